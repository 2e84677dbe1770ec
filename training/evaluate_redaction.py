"""Measure the redactor: removal recall per type, keep rate, precision per type and speed."""

from __future__ import annotations

import argparse
import re
import statistics
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from nlp.multilingual_e5 import load_multilingual_encoder
from nlp.pii.common import occurrences
from nlp.pii.tagger import PiiTagger, TaggerWithEncoder
from nlp.redact import Redactor
from training.datasets import read_jsonl

TYPES = ("PERSON", "PHONE", "EMAIL", "HANDLE", "ADDRESS", "DOB", "ID")

# A narrative in the register of the postings, repeated to reach the benchmark's length.
_BENCHMARK_SENTENCES = (
    "Houston. Client is a 34-year-old Honduran woman who was recruited in 2019 by a man "
    "who promised restaurant work and then held her passport.",
    "Her husband Carlos Mejia and his cousin forced her to work 14 hours a day at a "
    "cantina on Telephone Road without pay, and threatened to call ICE.",
    "She left in March with her two children and is staying with a friend near 4512 "
    "Bissonnet St, Apt 12.",
    "She needs a T visa application (I-914) and help with the wage claim; USCIS has not "
    "received anything yet.",
    "Her DOB is 04/12/1990 and her A-number is A-204-556-781; best phone 713-555-0164.",
    "The trafficker still messages her on WhatsApp and Facebook, and she is afraid he "
    "will find the shelter.",
    "She speaks Spanish and some English and can meet in the afternoons after school "
    "pick-up.",
)


def load_datasets(paths: Iterable[Path]) -> dict[str, list[dict[str, Any]]]:
    """Gold rows per file; a gold file without text is joined on id to any postings file given."""
    gold: dict[str, list[dict[str, Any]]] = {}
    texts: dict[str, str] = {}
    for path in paths:
        for _, record in read_jsonl(path):
            if "must_remove" in record or "must_keep" in record:
                gold.setdefault(path.name, []).append(record)
            elif "text" in record:
                texts[record["id"]] = record["text"]
    joined: dict[str, list[dict[str, Any]]] = {}
    for name, rows in gold.items():
        with_text = [row if "text" in row else {**row, "text": texts.get(row["id"])} for row in rows]
        missing = [row["id"] for row in with_text if row["text"] is None]
        if missing:
            raise ValueError(f"{name}: {len(missing)} rows have no text; pass the postings file too")
        joined[name] = with_text
    return joined


def _occurs(needle: str, haystack: str) -> bool:
    """True when needle still occurs anywhere in haystack."""
    return bool(needle) and needle in haystack


def _overlaps(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    """True when [start, end) overlaps any of spans."""
    return any(start < span_end and span_start < end for span_start, span_end in spans)


def _gold_offsets(text: str, must_remove: Sequence[dict[str, str]]) -> list[tuple[int, int]]:
    """Offsets of every occurrence of every gold span in text."""
    return [(position, position + len(item["text"])) for item in must_remove
            for position in occurrences(text, item["text"])]


_WORD = re.compile(r"\w+\.?")
# Titles and articles that gold spans sometimes include with a name.
_NOT_IDENTIFYING = frozenset({
    "mr", "mrs", "ms", "miss", "madam", "madame", "mme", "mlle", "dr", "dra", "doctor", "officer",
    "det", "detective", "sgt", "agent", "judge", "attorney", "sr", "sra", "srta", "don", "doña",
    "señor", "señora", "el", "la", "los", "las", "le", "les", "o", "a", "os", "as", "lil", "big",
    "the", "ate", "kuya", "tita", "tito", "aling", "mang", "si", "ni", "chị", "anh", "em", "cô",
    "chú", "bác", "ông", "bà", "dona", "seu", "tía", "tío", "tia", "tio", "doamna", "domnul",
    "pani", "pan", "madan", "msye",
})


def _coverage(text: str, needle: str, removed: Sequence[tuple[int, int]]) -> str:
    """"whole" when every letter and digit of every occurrence of needle lies in a removed span,
    "none" when none does, "partial" otherwise ("Mercedes [PERSON 1]" leaks a name too)."""
    covered = uncovered = 0
    for start, end in _gold_offsets(text, [{"text": needle}]):
        # A title or an article left beside a removed name ("Madam [PERSON 1]", "el [PERSON 2]")
        # identifies nobody: only the other words of the span must go.
        ignored = {position for word in _WORD.finditer(text, start, end)
                   if word.group().casefold().rstrip(".") in _NOT_IDENTIFYING
                   for position in range(word.start(), word.end())}
        for position in range(start, end):
            if not text[position].isalnum() or position in ignored:
                continue
            if any(span_start <= position < span_end for span_start, span_end in removed):
                covered += 1
            else:
                uncovered += 1
    if uncovered == 0:
        return "whole"
    return "partial" if covered else "none"


def evaluate_rows(redactor: Redactor, rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Removal recall per type (a span counts as removed only when removed whole, everywhere it
    occurs: a partial removal is a leak), keep rate, and precision per type over rows with text.

    Precision counts only rows whose gold list is complete: a row may say "complete": false
    when its must_remove list names only some of the identifying details.
    """
    redactions = redactor.redact_batch([row["text"] for row in rows])
    removal: dict[str, dict[str, int]] = {}
    predicted: dict[str, dict[str, int]] = {}
    kept = keep_total = 0
    misses: list[dict[str, str]] = []
    lost: list[dict[str, str]] = []
    for row, redaction in zip(rows, redactions, strict=True):
        removed = [(entity.start, entity.end) for entity in redaction.entities]
        for item in row.get("must_remove", []):
            counts = removal.setdefault(item["type"], {"removed": 0, "partial": 0, "total": 0})
            counts["total"] += 1
            coverage = _coverage(row["text"], item["text"], removed)
            if coverage == "whole" and not _occurs(item["text"], redaction.text):
                counts["removed"] += 1
            else:
                counts["partial"] += coverage == "partial"
                misses.append({"id": row["id"], "type": item["type"]})
        for needle in row.get("must_keep", []):
            keep_total += 1
            if _occurs(needle, redaction.text):
                kept += 1
            else:
                lost.append({"id": row["id"]})
        if row.get("complete", True):
            gold = _gold_offsets(row["text"], row.get("must_remove", []))
            for entity in redaction.entities:
                counts = predicted.setdefault(entity.type, {"correct": 0, "total": 0})
                counts["total"] += 1
                counts["correct"] += _overlaps(entity.start, entity.end, gold)
    removed_all = sum(counts["removed"] for counts in removal.values())
    total_all = sum(counts["total"] for counts in removal.values())
    return {
        "rows": len(rows),
        "overall": {"removed": removed_all, "total": total_all,
                    "partial": sum(counts["partial"] for counts in removal.values()),
                    "recall": removed_all / total_all if total_all else 1.0},
        "removal": {
            kind: {**counts, "recall": counts["removed"] / counts["total"]}
            for kind, counts in sorted(removal.items())
        },
        "keep": {"kept": kept, "total": keep_total, "rate": kept / keep_total if keep_total else 1.0},
        "precision": {
            kind: {**counts, "precision": counts["correct"] / counts["total"]}
            for kind, counts in sorted(predicted.items())
        },
        "missed": misses,
        "lost": lost,
    }


def benchmark(redactor: Redactor, words: int = 300, repeats: int = 50) -> dict[str, float]:
    """Median and 95th-percentile milliseconds to redact one narrative of about words words."""
    vocabulary = " ".join(_BENCHMARK_SENTENCES).split()
    narrative = " ".join(vocabulary[index % len(vocabulary)] for index in range(words))
    redactor.redact(narrative)  # warm-up
    timings: list[float] = []
    for _ in range(repeats):
        started = time.perf_counter()
        redactor.redact(narrative)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    percentile_index = min(len(timings) - 1, round(0.95 * (len(timings) - 1)))
    return {
        "words": float(words),
        "median_ms": statistics.median(timings),
        "p95_ms": timings[percentile_index],
    }


def format_report(name: str, report: dict[str, Any]) -> str:
    """A readable table of one evaluation report (no narrative text, only ids and counts)."""
    lines = [f"== {name}: {report['rows']} rows"]
    lines.append(f"{'type':<9}{'removed':>9}{'total':>7}{'recall':>8}{'partial':>8}{'pred':>7}"
                 f"{'precision':>11}")
    found = set(report["removal"]) | set(report["precision"])
    kinds = [kind for kind in TYPES if kind in found] + sorted(found - set(TYPES))
    for kind in kinds:
        removal = report["removal"].get(kind)
        precision = report["precision"].get(kind)
        removed = f"{'-':>9}{'-':>7}{'-':>8}{'-':>8}"
        if removal:
            removed = (f"{removal['removed']:>9}{removal['total']:>7}{removal['recall']:>8.3f}"
                       f"{removal['partial']:>8}")
        predicted = f"{'-':>7}{'-':>11}"
        if precision:
            predicted = f"{precision['total']:>7}{precision['precision']:>11.3f}"
        lines.append(f"{kind:<9}{removed}{predicted}")
    overall = report["overall"]
    lines.append(f"all types: {overall['removed']}/{overall['total']} removed whole "
                 f"({overall['recall']:.3f}), {overall['partial']} partly (counted as leaks)")
    keep = report["keep"]
    lines.append(f"keep rate {keep['rate']:.3f} ({keep['kept']}/{keep['total']})")
    if report["missed"]:
        lines.append("missed: " + ", ".join(f"{miss['id']}:{miss['type']}" for miss in report["missed"]))
    if report["lost"]:
        lines.append("lost keeps in: " + ", ".join(sorted({item["id"] for item in report["lost"]})))
    return "\n".join(lines)


def _chosen_tagger(directory: Path | None, none: bool) -> TaggerWithEncoder | bool:
    """The tagger to measure: none, one from a directory, or (True) the shipped one."""
    if none:
        return False
    if directory is None:
        return True
    encoder = load_multilingual_encoder()
    return TaggerWithEncoder(PiiTagger.load(directory, encoder), encoder)


def main(argv: Sequence[str] | None = None) -> int:
    """Evaluate the redactor on JSONL files and print a table per gold file and the timing."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, action="append", required=True,
                        help="JSONL rows; repeat it, e.g. a gold file and the postings it annotates")
    parser.add_argument("--skip-benchmark", action="store_true",
                        help="do not time a 300-word narrative")
    parser.add_argument("--by-language", action="store_true",
                        help="also print one table per language of each file")
    parser.add_argument("--tagger", type=Path,
                        help="a trained tagger's directory instead of the shipped one")
    parser.add_argument("--no-tagger", action="store_true",
                        help="the rules alone, without the learned tagger")
    arguments = parser.parse_args(argv)
    datasets = load_datasets(arguments.data)
    redactor = Redactor(tagger=_chosen_tagger(arguments.tagger, arguments.no_tagger))
    described = redactor.tagger.tagger.manifest.get("version", "?") if redactor.tagger else "none"
    print(f"tagger: {described}")
    for name, rows in datasets.items():
        print(format_report(name, evaluate_rows(redactor, rows)))
        if arguments.by_language:
            summary = []
            for language in sorted({str(row.get("language", "und")) for row in rows}):
                subset = [row for row in rows if str(row.get("language", "und")) == language]
                report = evaluate_rows(redactor, subset)
                print(format_report(f"{name} [{language}]", report))
                summary.append(f"{language} {report['overall']['recall']:.3f}"
                               f"/{report['keep']['rate']:.3f}")
            print(f"{name} by language (removed whole / keep): " + ", ".join(summary))
    if not arguments.skip_benchmark:
        timing = benchmark(redactor)
        print(f"benchmark: {timing['words']:.0f} words, median {timing['median_ms']:.1f} ms, "
              f"p95 {timing['p95_ms']:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
