"""How long a retrain takes with N labelled postings in the database.

As deployed, a posting is embedded when it is published or imported (the service needs its
vectors then) and the encoding is kept, so a retrain embeds only what it has never seen: the
first one the shipped training and held-out files, later ones nothing. The benchmark measures
that first retrain, then a second after 100 more labels; with ``cold`` also a retrain on a
database where nothing was kept (every text embedded during the retrain).
"""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from api.bootstrap import load_pipeline
from api.services.models import ModelRegistry
from api.services.retraining import Retrainer
from api.storage.database import open_database
from api.storage.embedding_store import kept_encodings
from api.storage.tables import Case, CaseLabel
from nlp.classify import NeedClassificationPipeline
from nlp.sentences import SentenceSplitter
from training.datasets import load_labelled
from training.shipped import SHIPPED_TRAINING


def synthetic_postings(count: int, seed: int = 0) -> list[tuple[str, list[str]]]:
    """Postings made by joining the sentences of two or three shipped postings (labels unioned).

    Only for timing: they are new texts (nothing cached) of realistic length and labels.
    """
    rows = load_labelled(list(SHIPPED_TRAINING))
    splitter = SentenceSplitter()
    sentences = [[s.text for s in found] for found in splitter.split_batch([r.text for r in rows])]
    rng = random.Random(seed)
    postings = []
    for _ in range(count):
        chosen = rng.sample(range(len(rows)), rng.choice((2, 3)))
        parts = [sentence for index in chosen for sentence in sentences[index]]
        rng.shuffle(parts)
        labels = sorted({label for index in chosen for label in rows[index].labels})
        postings.append((" ".join(parts[:12]), labels))
    return postings


def _store(sessions: sessionmaker[Session], postings: list[tuple[str, list[str]]], first: int) -> None:
    with sessions.begin() as session:
        for index, (text, labels) in enumerate(postings, start=first):
            session.add(Case(id=f"bench-{index:05d}", text=text, jurisdiction="US", language="en",
                             status="labelled"))
            session.add_all(CaseLabel(case_id=f"bench-{index:05d}", category=category, applies=True)
                            for category in labels)


def _retrain(retrainer: Retrainer, pipeline: NeedClassificationPipeline, name: str) -> dict[str, Any]:
    started = time.perf_counter()
    outcome = retrainer.run(retrainer.create_job(None, None, pipeline.version), pipeline,
                            show_progress=True)
    return {"name": name, "seconds": time.perf_counter() - started, "rows": outcome.rows,
            "status": outcome.status}


def run_benchmark(count: int, cold: bool = False) -> dict[str, Any]:
    """Load `count` labelled postings into fresh SQLite databases and time the retrains."""
    postings = synthetic_postings(count + 100)
    runs = []
    with tempfile.TemporaryDirectory(prefix="needmatch-retrain-") as folder:
        registry = ModelRegistry(Path(folder) / "models")
        pipeline = load_pipeline(registry.live_directory())
        if cold:
            sessions = open_database("", Path(folder) / "cold")
            _store(sessions, postings[:count], 0)
            runs.append(_retrain(Retrainer(sessions, ModelRegistry(Path(folder) / "cold-models")),
                                 pipeline, "cold: nothing kept, every text embedded in the retrain"))
        sessions = open_database("", Path(folder) / "deployed")
        _store(sessions, postings[:count], 0)
        cache = kept_encodings(sessions, pipeline.document_encoder)
        started = time.perf_counter()
        cache.encode([text for text, _ in postings[:count]])
        posting_time = time.perf_counter() - started
        retrainer = Retrainer(sessions, registry)
        runs.append(_retrain(retrainer, pipeline, "first retrain (postings embedded when posted)"))
        _store(sessions, postings[count:], count)
        cache.encode([text for text, _ in postings[count:]])
        runs.append(_retrain(retrainer, pipeline, "next retrain, after 100 more labels"))
    return {"count": count, "posting_seconds": posting_time, "runs": runs}


def format_benchmark(result: dict[str, Any]) -> str:
    """One line per run, against the 5-minute budget."""
    lines = [f"retrain with {result['count']:,} labelled postings in the database (plus the "
             "shipped postings), SQLite, this machine:",
             f"  embedding the {result['count']:,} postings when they were posted: "
             f"{result['posting_seconds']:.1f} s in all "
             f"({result['posting_seconds'] / result['count'] * 1000:.0f} ms a posting)"]
    for run in result["runs"]:
        rows = run["rows"]
        training = rows["shipped_training"] + rows["database_training"]
        held = rows["held_out_file"] + rows["database_held_out"]
        lines.append(f"  {run['name']}: {run['seconds']:.1f} s = {run['seconds'] / 300:.2f}x the "
                     f"5-minute budget ({training:,} training rows, {held:,} held-out rows; "
                     f"{run['status']})")
    return "\n".join(lines)
