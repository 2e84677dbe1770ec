"""Need search at 10^4-10^5 open needs: the keeper on a real database, the index kept up to date
one need at a time, against rebuilding it whole.

Texts are real sentences from the training postings (in 14 languages), several per need; their
vectors are clustered synthetic unit vectors (see api.benchmarks.scale), one per distinct
sentence, so no encoder runs: what is measured is the index and the database, not the model.
"""

from __future__ import annotations

import os
import tempfile
import time
import uuid
import zlib
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import create_engine, insert, update
from sqlalchemy.orm import Session, sessionmaker
from tqdm import tqdm

from api.benchmarks.scale import clustered_vectors
from api.services.search import NeedSearchKeeper, SearchFilters
from api.storage.tables import Base, Case, Need
from index.need_search import NeedSearchIndex
from nlp.encoding import EncodedText
from nlp.sentences import Sentence, SentenceSplitter
from training.datasets import read_jsonl
from training.shipped import folder_postings

CATEGORIES = ("immigration", "wage_claims", "family_law", "criminal_record_relief", "housing",
              "civil_litigation", "public_benefits", "victim_rights")
PLACES = ("US-NY", "US-CA", "US-TX", "US-FL", "US-IL", "US-WA", "US-GA", "US-NJ", "MX", "GT",
          "PH", "CA-ON", "CA-QC", "GB", "FR", "ES", "RO", "UA", "NP", "KR")
LANGUAGES = ("en", "es", "fr", "pt", "zh", "ko", "vi", "tl", "ru", "uk", "ht", "ro", "ne", "ar")
DIMENSION = 384


def _sentences(data_dir: Path) -> list[str]:
    """Distinct sentences of the training postings, every language."""
    splitter = SentenceSplitter()
    found: dict[str, None] = {}
    for path in sorted(data_dir.glob("*.jsonl")) + folder_postings(data_dir):
        for _, row in read_jsonl(path):
            if isinstance(row, dict) and isinstance(row.get("text"), str):
                for sentence in splitter.split(row["text"]):
                    found.setdefault(sentence.text, None)
    return list(found)


class SyntheticEncodings:
    """The keeper's encoder stand-in: each distinct sentence has a fixed clustered vector."""

    def __init__(self, sentences: Sequence[str]) -> None:
        self.splitter = SentenceSplitter()
        self.vectors = clustered_vectors(len(sentences), DIMENSION, seed=7)
        self.row = {sentence: position for position, sentence in enumerate(sentences)}
        self.parts: dict[str, list[str]] = {}  # a stored text's sentences, as it was made

    def compose(self, sentences: Sequence[str]) -> str:
        """A need's text made of these sentences (remembered, so encoding need not split it)."""
        text = " ".join(sentences)
        self.parts[text] = list(sentences)
        return text

    def vector(self, sentence: str) -> np.ndarray:
        position = self.row.get(sentence)
        if position is None:
            position = zlib.crc32(sentence.encode()) % len(self.vectors)
        return self.vectors[position]

    def encode(self, texts: Sequence[str], on_chunk: Callable[[int, int], object] | None = None
               ) -> list[EncodedText]:
        encoded = []
        for text in texts:
            if text in self.parts:
                sentences, offset = [], 0
                for part in self.parts[text]:
                    sentences.append(Sentence(part, offset, offset + len(part)))
                    offset += len(part) + 1
            else:
                sentences = self.splitter.split(text) or [Sentence(text, 0, len(text))]
            encoded.append(EncodedText(sentences, np.stack([self.vector(s.text) for s in sentences])))
        return encoded


def _resident_mb() -> float:
    """This process's resident memory (Linux /proc)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _milliseconds(times: Sequence[float]) -> tuple[float, float]:
    return float(np.percentile(times, 50) * 1000), float(np.percentile(times, 95) * 1000)


def _store(sessions: sessionmaker[Session], count: int, sentences: Sequence[str],
           encodings: SyntheticEncodings, rng: np.random.Generator) -> list[str]:
    """Store `count` open cases with one open need each (bulk inserts); their need ids."""
    need_ids = []
    now = datetime.now(UTC) - timedelta(days=1)  # published over past days, not in the last minute
    with tqdm(total=count, desc="storing needs", unit="need") as bar:
        for first in range(0, count, 5000):
            size = min(5000, count - first)
            cases, needs = [], []
            for offset in range(size):
                number = first + offset
                chosen = rng.choice(len(sentences), size=int(rng.integers(3, 9)), replace=False)
                text = encodings.compose([sentences[int(i)] for i in chosen])
                cases.append({"id": f"case-{number}", "text": text,
                              "jurisdiction": PLACES[int(rng.integers(len(PLACES)))],
                              "language": LANGUAGES[int(rng.integers(len(LANGUAGES)))],
                              "urgency": ("high", "normal", "normal", "low")[int(rng.integers(4))],
                              "status": "open", "created_at": now, "updated_at": now})
                needs.append({"id": f"need-{number}", "case_id": f"case-{number}",
                              "category": CATEGORIES[int(rng.integers(len(CATEGORIES)))],
                              "status": "open", "created_at": now, "updated_at": now})
                need_ids.append(f"need-{number}")
            with sessions.begin() as session:
                session.execute(insert(Case), cases)
                session.execute(insert(Need), needs)
            bar.update(size)
    return need_ids


def benchmark_need_search(count: int, database_url: str = "", queries: int = 100,
                          changes: int = 20, seed: int = 0,
                          data_dir: Path = Path("training/data")) -> dict[str, Any]:
    """Load, query and change-one-need figures for `count` open needs."""
    rng = np.random.default_rng(seed)
    sentences = _sentences(data_dir)
    encodings = SyntheticEncodings(sentences)
    with tempfile.TemporaryDirectory() as folder:
        url = database_url or f"sqlite:///{folder}/needs.db"
        engine = create_engine(url)
        tables = [Case.__table__, Need.__table__]
        Base.metadata.drop_all(engine, tables=tables[::-1])  # type: ignore[arg-type]
        Base.metadata.create_all(engine, tables=tables)  # type: ignore[arg-type]
        sessions = sessionmaker(engine, expire_on_commit=False)
        try:
            need_ids = _store(sessions, count, sentences, encodings, rng)
            keeper = NeedSearchKeeper(sessions, encodings)  # type: ignore[arg-type]
            before = _resident_mb()
            start = time.perf_counter()
            index = keeper.index()
            load_s = time.perf_counter() - start
            memory_mb = _resident_mb() - before
            texts = [sentences[int(i)] for i in rng.choice(len(sentences), size=queries)]
            words = [" ".join(text.split()[:4]) for text in texts]
            vectors = [encodings.vector(text) for text in texts]
            categories = [{CATEGORIES[int(rng.integers(len(CATEGORIES)))]: 0.95} for _ in texts]
            filters = SearchFilters(jurisdiction="US", category="wage_claims")

            def timed(run: Callable[[int], object]) -> list[float]:
                times = []
                for position in range(queries):
                    began = time.perf_counter()
                    run(position)
                    times.append(time.perf_counter() - began)
                return times

            check = timed(lambda _: keeper.index())
            plain = timed(lambda i: index.search(words[i], vectors[i], categories[i], 30,
                                                 baseline=0.2))
            narrowed = timed(lambda i: index.search(words[i], vectors[i], categories[i], 30,
                                                    allowed=keeper.allowed(filters), baseline=0.2))
            # One need published, then one closed, at a time: the next query applies it.
            published, closed = [], []
            for step in range(changes):
                chosen = rng.choice(len(sentences), size=5, replace=False)
                identifier = uuid.uuid4().hex[:12]
                with sessions.begin() as session:
                    session.execute(insert(Case), [{
                        "id": f"case-new-{identifier}",
                        "text": encodings.compose([sentences[int(i)] for i in chosen]),
                        "jurisdiction": "US-NY", "language": "en", "status": "open",
                        "updated_at": datetime.now(UTC), "created_at": datetime.now(UTC)}])
                    session.execute(insert(Need), [{
                        "id": f"need-new-{identifier}", "case_id": f"case-new-{identifier}",
                        "category": "wage_claims", "status": "open",
                        "updated_at": datetime.now(UTC), "created_at": datetime.now(UTC)}])
                began = time.perf_counter()
                keeper.index()
                published.append(time.perf_counter() - began)
                with sessions.begin() as session:
                    session.execute(update(Need).where(Need.id == need_ids[step])
                                    .values(status="closed", updated_at=datetime.now(UTC)))
                began = time.perf_counter()
                keeper.index()
                closed.append(time.perf_counter() - began)
            assert len(keeper.index()) == count, "every change was applied"
            started = time.perf_counter()
            NeedSearchIndex(index.needs)
            rebuild_s = time.perf_counter() - started
            return {
                "needs": count, "database": engine.dialect.name,
                "sentences": int(index._row_count),  # noqa: SLF001 - a figure of the benchmark
                "load_s": load_s, "memory_mb": memory_mb,
                "check_ms": _milliseconds(check), "search_ms": _milliseconds(plain),
                "filtered_ms": _milliseconds(narrowed), "publish_ms": _milliseconds(published),
                "close_ms": _milliseconds(closed), "rebuild_s": rebuild_s,
                "full_looks": keeper.full_looks,
            }
        finally:
            if database_url:
                Base.metadata.drop_all(engine, tables=tables[::-1])  # type: ignore[arg-type]
            engine.dispose()


def format_need_search(result: dict[str, Any]) -> str:
    """A readable block of one size's figures."""
    publish_p50 = result["publish_ms"][0]
    lines = [
        f"{result['needs']:,} open needs ({result['sentences']:,} sentences) on {result['database']}",
        f"  first load (read, index): {result['load_s']:.1f} s, +{result['memory_mb']:.0f} MB resident",
        "  per query: change check p50 {:.2f} ms p95 {:.2f} ms; search p50 {:.1f} ms p95 {:.1f} ms; "
        "with filters (US, wage_claims) p50 {:.1f} ms p95 {:.1f} ms".format(
            *result["check_ms"], *result["search_ms"], *result["filtered_ms"]),
        "  one need published: applied by the next query in p50 {:.1f} ms p95 {:.1f} ms; "
        "one closed: p50 {:.1f} ms p95 {:.1f} ms".format(*result["publish_ms"], *result["close_ms"]),
        f"  rebuilding the index whole instead: {result['rebuild_s'] * 1000:.0f} ms "
        f"({result['rebuild_s'] * 1000 / max(publish_p50, 1e-3):.0f}x a published need's p50)",
        f"  looks at every open need's stamp: {result['full_looks']} (the first load, then one a "
        f"minute at most: NeedSearchKeeper.RECONCILE_SECONDS)",
    ]
    return "\n".join(lines)
