"""How long a retrain takes with N labelled postings in the database: cold (no embedding
cached), then warm (a second retrain after a few more labels, as an admin would run it)."""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path
from typing import Any

from api.database import open_database
from api.model_registry import ModelRegistry
from api.retraining import Retrainer
from api.tables import Need, NeedLabel
from nlp.classifier_store import load_classifier
from nlp.classify import DocumentEncoder, NeedClassificationPipeline
from nlp.encoder import Encoder
from nlp.sentences import SentenceSplitter
from training.datasets import load_labelled
from training.retrain import SHIPPED_TRAINING


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


def run_benchmark(count: int) -> dict[str, Any]:
    """Load `count` labelled postings into a fresh SQLite database and retrain twice."""
    with tempfile.TemporaryDirectory(prefix="needmatch-retrain-") as folder:
        data_dir = Path(folder)
        sessions = open_database("", data_dir)
        postings = synthetic_postings(count + 100)
        with sessions.begin() as session:
            for index, (text, labels) in enumerate(postings[:count]):
                session.add(Need(id=f"bench-{index:05d}", text=text, jurisdiction="US",
                                 language="en", status="labelled"))
                session.add_all(NeedLabel(need_id=f"bench-{index:05d}", category=c, applies=True)
                                for c in labels)
        registry = ModelRegistry(data_dir / "models" / "classifier")
        encoder = Encoder()
        classifier, manifest = load_classifier(registry.live_directory(), encoder)
        pipeline = NeedClassificationPipeline(DocumentEncoder(encoder), classifier, manifest["version"])
        retrainer = Retrainer(sessions, registry)
        runs = []
        for name in ("cold", "warm"):
            if name == "warm":
                # An admin labels 100 more postings, then retrains again.
                with sessions.begin() as session:
                    for index, (text, labels) in enumerate(postings[count:], start=count):
                        session.add(Need(id=f"bench-{index:05d}", text=text, jurisdiction="US",
                                         language="en", status="labelled"))
                        session.add_all(NeedLabel(need_id=f"bench-{index:05d}", category=c,
                                                  applies=True) for c in labels)
            started = time.perf_counter()
            job = retrainer.create_job(None, None, pipeline.version)
            outcome = retrainer.run(job, pipeline, show_progress=True)
            runs.append({"name": name, "seconds": time.perf_counter() - started,
                         "rows": outcome.rows, "status": outcome.status})
        return {"count": count, "runs": runs}


def format_benchmark(result: dict[str, Any]) -> str:
    """One line per run, and the warm/cold ratio."""
    lines = [f"retrain with {result['count']:,} labelled postings in the database "
             "(plus the shipped postings), SQLite, this machine:"]
    for run in result["runs"]:
        rows = run["rows"]
        training = rows["shipped_training"] + rows["database_training"]
        held = rows["held_out_file"] + rows["database_held_out"]
        lines.append(f"  {run['name']:<5} {run['seconds']:7.1f} s  ({training:,} training rows, "
                     f"{held:,} held-out rows; {run['status']})")
    cold, warm = result["runs"][0]["seconds"], result["runs"][1]["seconds"]
    lines.append(f"  warm / cold = {warm / cold:.2f}; cold is {cold / 300:.2f}x the 5-minute budget")
    return "\n".join(lines)
