"""A learned tagger of identifying details, read off the multilingual encoder's token states.

The rules find what they were written for; on text written apart from them they miss about one
name in four and half the birth dates, most in the languages with the fewest rules. The tagger
reads each token's state after the first layers of multilingual-e5-small (the encoder the
classifier already loads) and a network with one hidden layer over six tags (outside, person,
birth date, address, identifier, contact). Its spans are added to the rules' findings; it never
takes one away.

Where words are separated by spaces, a word is tagged whole: it is tagged when its most
confident piece passes the threshold. Han, Kana and Hangul are tagged piece by piece, since one
"word" there is often a clause. Placeholders such as ``[PERSON 1]`` are read (they are context:
"el [PERSON 1]") but never tagged.

Saved as ``weights.npz`` (no pickles) and ``manifest.json`` naming the encoder, its weights
file's hash, the layers read and the tags; loading refuses a tagger made for another encoder.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from nlp.pii.common import PLACEHOLDER, occurrences
from nlp.scripts import HAN, HANGUL, KANA, script_of
from nlp.spacy_model import MissingModelError
from nlp.threads import one_blas_thread

if TYPE_CHECKING:
    from nlp.multilingual_e5 import MultilingualE5Encoder

OUTSIDE = "O"
TAGS = (OUTSIDE, "PERSON", "DOB", "ADDRESS", "ID", "CONTACT")
# The gold types of the redaction sets, as the tagger's tags.
TAG_OF_TYPE = {"PERSON": "PERSON", "DOB": "DOB", "ADDRESS": "ADDRESS", "ID": "ID",
               "PHONE": "CONTACT", "EMAIL": "CONTACT", "HANDLE": "CONTACT"}
# The redactor's type for a span of each tag: a contact detail the tagger finds is most often a
# handle or a phone number that the patterns did not know; it is replaced as an identifier.
TYPE_OF_TAG = {"PERSON": "PERSON", "DOB": "DOB", "ADDRESS": "ADDRESS", "ID": "ID", "CONTACT": "ID"}

MANIFEST = "manifest.json"
WEIGHTS = "weights.npz"
# Tokens per window the encoder reads at once (it has 512 positions; <s>, </s> take two).
WINDOW_TOKENS = 500
_PIECEWISE_SCRIPTS = frozenset({HAN, KANA, HANGUL})
# A placeholder is a unit of its own, even with no space before or after it (":[PERSON 2]").
_UNIT = re.compile(rf"{PLACEHOLDER.pattern}|(?:(?!{PLACEHOLDER.pattern})\S)+")
_NUMBER_IN_PLACEHOLDER = re.compile(r" \d+\]$")
# What may separate two cells of one grown span: nothing or one space. (Growing an address
# across a comma too added nothing on round 7 and took the commune after a village.)
_GROWTH_GAP = re.compile(r"[ \t\u3000]?")
_EDGE_PUNCTUATION = "،؛؟।,.;:!?()[]{}\"'«»“”‘’„‚<>*、，。；：！？（）「」『』《》【】"


class TaggerMismatch(ValueError):
    """A saved tagger was made for another encoder or another set of tags."""


@dataclass
class TokenizedText:
    """A text's piece ids, each piece's character span, and the unit (word) it belongs to."""

    ids: list[int]
    spans: list[tuple[int, int]]
    units: list[int]
    unit_spans: list[tuple[int, int]]
    piecewise: list[bool]  # per unit: tag its pieces rather than the whole unit
    placeholder: list[bool]  # per unit: an earlier redaction's placeholder, read but never tagged


def tokenize(encoder: MultilingualE5Encoder, text: str) -> TokenizedText:
    """Split a text into units (words and placeholders) and their encoder pieces, with offsets."""
    units = list(_UNIT.finditer(text))
    # A placeholder is read without its number: "[PERSON 2]" says no more than "[PERSON 1]",
    # and the numbers change from one look to the next.
    pieces = encoder.tokenizer.word_pieces([_NUMBER_IN_PLACEHOLDER.sub("]", match.group())
                                            if PLACEHOLDER.fullmatch(match.group())
                                            else match.group() for match in units])
    tokenized = TokenizedText([], [], [], [], [], [])
    for index, (match, (ids, spans)) in enumerate(zip(units, pieces, strict=True)):
        start = match.start()
        if PLACEHOLDER.fullmatch(match.group()):
            spans = [(0, len(match.group()))] * len(ids)
        tokenized.unit_spans.append((start, match.end()))
        tokenized.piecewise.append(any(script_of(char) in _PIECEWISE_SCRIPTS for char in match.group()))
        tokenized.placeholder.append(bool(PLACEHOLDER.fullmatch(match.group())))
        for token, (first, last) in zip(ids, spans, strict=True):
            tokenized.ids.append(token)
            tokenized.spans.append((start + first, start + last))
            tokenized.units.append(index)
    return tokenized


def _windows(tokenized: TokenizedText, size: int = WINDOW_TOKENS) -> list[tuple[int, int]]:
    """Consecutive token ranges of at most size tokens, cut between units where one fits."""
    windows: list[tuple[int, int]] = []
    start = 0
    total = len(tokenized.ids)
    while start < total:
        end = min(start + size, total)
        if end < total:
            cut = end
            while cut > start + size // 2 and tokenized.units[cut] == tokenized.units[cut - 1]:
                cut -= 1
            end = cut if cut > start + size // 2 else end
        windows.append((start, end))
        start = end
    return windows


def token_states(encoder: MultilingualE5Encoder, texts: Sequence[TokenizedText],
                 layers: int) -> list[np.ndarray]:
    """Each text's token states (one row per piece) after the encoder's first layers."""
    bos, eos = encoder.tokenizer.special["bos"], encoder.tokenizer.special["eos"]
    rows: list[list[int]] = []
    owners: list[tuple[int, int, int]] = []
    for index, tokenized in enumerate(texts):
        for start, end in _windows(tokenized):
            rows.append([bos, *tokenized.ids[start:end], eos])
            owners.append((index, start, end))
    states = encoder.token_states(rows, layers) if rows else []
    output = [np.zeros((len(tokenized.ids), encoder.dimension), np.float32) for tokenized in texts]
    for (index, start, end), state in zip(owners, states, strict=True):
        output[index][start:end] = state[1:-1]
    return output


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without punctuation at either edge."""
    while start < end and text[start] in _EDGE_PUNCTUATION:
        start += 1
    while end > start and text[end - 1] in _EDGE_PUNCTUATION:
        end -= 1
    return start, end


class PiiTagger:
    """A one-hidden-layer network over token states; `spans` gives (start, end, type) per text."""

    def __init__(self, weights: Sequence[np.ndarray], biases: Sequence[np.ndarray], layers: int,
                 thresholds: dict[str, float], manifest: dict[str, Any] | None = None,
                 grow_thresholds: dict[str, float] | None = None) -> None:
        """Wrap fitted weights (dimension × hidden, hidden × tags; ReLU between) read after
        `layers` encoder layers; a token is tagged when the probability that it is not
        outside reaches its likeliest tag's threshold (a tag without one is never given)."""
        if len(weights) != 2 or len(biases) != 2 or weights[1].shape[1] != len(TAGS):
            raise TaggerMismatch("a tagger has two weight matrices, the second with one "
                                 f"column per tag ({len(TAGS)})")
        self.weights = [np.ascontiguousarray(matrix, dtype=np.float32) for matrix in weights]
        self.biases = [np.asarray(bias, dtype=np.float32) for bias in biases]
        self.layers = layers
        self.thresholds = dict(thresholds)
        self.grow_thresholds = dict(grow_thresholds or {})
        self.manifest = manifest or {}

    def threshold_array(self) -> np.ndarray:
        """Each tag's threshold by tag index (outside and tags without one: never given)."""
        return np.array([np.inf] + [self.thresholds.get(tag, np.inf) for tag in TAGS[1:]])

    def probabilities(self, states: np.ndarray) -> np.ndarray:
        """Tag probabilities per token (rows sum to one)."""
        with one_blas_thread():  # right after the encoder, two BLAS threads crawl (nlp/threads.py)
            hidden = np.maximum(states @ self.weights[0] + self.biases[0], 0.0)
            scores = hidden @ self.weights[1] + self.biases[1]
        scores -= scores.max(axis=1, keepdims=True)
        exponentials = np.exp(scores)
        return exponentials / exponentials.sum(axis=1, keepdims=True)

    def spans(self, encoder: MultilingualE5Encoder,
              texts: Sequence[str]) -> list[list[tuple[int, int, str]]]:
        """The tagged spans of each text, as (start, end, redactor type)."""
        tokenized = [tokenize(encoder, text) for text in texts]
        states = token_states(encoder, tokenized, self.layers)
        return [self._decode(text, item, self.probabilities(state)) if len(item.ids) else []
                for text, item, state in zip(texts, tokenized, states, strict=True)]

    def _decode(self, text: str, tokenized: TokenizedText,
                probabilities: np.ndarray) -> list[tuple[int, int, str]]:
        """Tagged units and pieces, grown over their neighbours, merged when adjacent with one
        tag, trimmed of punctuation."""
        inside = 1.0 - probabilities[:, 0]
        likeliest = probabilities[:, 1:].argmax(axis=1) + 1
        passes = inside >= self.threshold_array()[likeliest]
        # Cells: a unit read whole, or a piece of a unit read piece by piece; each with its span,
        # its tag probabilities (a whole unit's: its pieces' largest) and a tag once marked.
        cells: list[tuple[int, int]] = []
        cell_probabilities: list[np.ndarray] = []
        tags: list[int] = []
        pieces: list[bool] = []  # a piece of a unit read piece by piece
        by_unit: dict[int, list[int]] = {}
        for token, unit in enumerate(tokenized.units):
            by_unit.setdefault(unit, []).append(token)
        for unit, tokens in by_unit.items():
            if tokenized.placeholder[unit]:
                # A placeholder is a cell that is never marked and stops a span's growth.
                cells.append(tokenized.unit_spans[unit])
                cell_probabilities.append(np.zeros(len(TAGS), np.float32))
                tags.append(-1)
                pieces.append(False)
                continue
            if tokenized.piecewise[unit]:
                for token in tokens:
                    start, end = tokenized.spans[token]
                    if end > start:
                        cells.append((start, end))
                        cell_probabilities.append(probabilities[token])
                        tags.append(int(likeliest[token]) if passes[token] else 0)
                        pieces.append(True)
                continue
            passing = [token for token in tokens if passes[token]]
            cells.append(tokenized.unit_spans[unit])
            cell_probabilities.append(probabilities[tokens].max(axis=0))
            tags.append(int(likeliest[max(passing, key=lambda token: inside[token])])
                        if passing else 0)
            pieces.append(False)
        self._grow(text, cells, cell_probabilities, tags, pieces)
        marked = sorted((*cells[index], tag) for index, tag in enumerate(tags) if tag > 0)
        merged: list[list[int]] = []
        for start, end, tag in marked:
            if merged and merged[-1][2] == tag and not text[merged[-1][1] : start].strip():
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end, tag])
        spans = []
        for start, end, tag in merged:
            start, end = _trim(text, start, end)
            if end > start and any(char.isalnum() for char in text[start:end]):
                spans.append((start, end, TYPE_OF_TAG[TAGS[tag]]))
        return spans

    def _grow(self, text: str, cells: Sequence[tuple[int, int]],
              cell_probabilities: Sequence[np.ndarray], tags: list[int],
              pieces: Sequence[bool]) -> None:
        """Mark the unmarked neighbours of each marked cell whose probability of its tag reaches
        the tag's growth threshold, outward until one does not: the rest of a name whose first
        word passed ("maria [do socorro]"), the rest of an address or a date. Neighbours are
        next to each other or one space apart; punctuation between them ("Самара, ул."), a line
        break or a placeholder stops the growth. An address does not grow over Han, Kana or
        Hangul pieces: there the district runs into the street with nothing between them
        ("皇后区法拉盛39街"), and the district is kept."""
        if not self.grow_thresholds:
            return
        # Cells come in the order of the text (units in order, a unit's pieces in order), so a
        # cell's neighbours are the cells before and after it in the list.
        seeds = [index for index, tag in enumerate(tags) if tag > 0]
        for seed in seeds:
            tag = tags[seed]
            threshold = self.grow_thresholds.get(TAGS[tag])
            if threshold is None:
                continue
            for step in (-1, 1):
                current = seed
                while True:
                    neighbour = current + step
                    if not 0 <= neighbour < len(cells):
                        break
                    if tags[neighbour] != 0 or cell_probabilities[neighbour][tag] < threshold:
                        break
                    if pieces[neighbour] and TAGS[tag] == "ADDRESS":
                        break
                    left, right = (neighbour, current) if step < 0 else (current, neighbour)
                    gap = text[cells[left][1] : cells[right][0]]
                    if not _GROWTH_GAP.fullmatch(gap) or (
                            text[cells[left][1] - 1] in _EDGE_PUNCTUATION
                            or text[cells[right][0]] in _EDGE_PUNCTUATION):
                        break
                    tags[neighbour] = tag
                    current = neighbour

    def save(self, directory: Path) -> None:
        """Write weights.npz and manifest.json."""
        directory.mkdir(parents=True, exist_ok=True)
        np.savez(directory / WEIGHTS, hidden_weights=self.weights[0], hidden_bias=self.biases[0],
                 output_weights=self.weights[1], output_bias=self.biases[1])
        manifest = {**self.manifest, "layers": self.layers, "thresholds": self.thresholds,
                    "grow_thresholds": self.grow_thresholds,
                    "tags": list(TAGS)}
        (directory / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")

    @classmethod
    def load(cls, directory: Path, encoder: MultilingualE5Encoder | None = None) -> PiiTagger:
        """Read a saved tagger; refuse one made for another encoder or other tags."""
        manifest = json.loads((directory / MANIFEST).read_text())
        if manifest.get("tags") != list(TAGS):
            raise TaggerMismatch(f"{directory}: tags {manifest.get('tags')} are not {list(TAGS)}")
        if encoder is not None:
            expected = encoder_identity(encoder)
            if manifest.get("encoder") != expected:
                raise TaggerMismatch(
                    f"{directory} was made for {manifest.get('encoder')}, not {expected}; "
                    "retrain it with: make tagger")
        with np.load(directory / WEIGHTS, allow_pickle=False) as weights:
            return cls([weights["hidden_weights"], weights["output_weights"]],
                       [weights["hidden_bias"], weights["output_bias"]], int(manifest["layers"]),
                       {tag: float(value) for tag, value in manifest["thresholds"].items()},
                       manifest, {tag: float(value)
                                  for tag, value in manifest.get("grow_thresholds", {}).items()})


class TaggerWithEncoder:
    """A tagger bound to the encoder whose states it reads."""

    def __init__(self, tagger: PiiTagger, encoder: MultilingualE5Encoder) -> None:
        """Pair a loaded tagger with its encoder."""
        self.tagger = tagger
        self.encoder = encoder

    def spans(self, texts: Sequence[str]) -> list[list[tuple[int, int, str]]]:
        """The tagged spans of each text, as (start, end, redactor type)."""
        return self.tagger.spans(self.encoder, texts)


def shipped_tagger_directory() -> Path:
    """Where the live shipped tagger lies: models/pii_tagger/<version>, named by live.json."""
    import models

    root = Path(models.__file__).parent / "pii_tagger"
    pointer = json.loads((root / "live.json").read_text())
    return root / pointer["version"]


@lru_cache(maxsize=1)
def load_shipped_tagger() -> TaggerWithEncoder:
    """The shipped tagger with the shared encoder, loaded once per process."""
    from nlp.multilingual_e5 import load_multilingual_encoder

    encoder = load_multilingual_encoder()
    directory = shipped_tagger_directory()
    if not (directory / MANIFEST).exists():
        raise MissingModelError(f"The redaction tagger is missing from {directory}; "
                                "train it with: make tagger")
    return TaggerWithEncoder(PiiTagger.load(directory, encoder), encoder)


def encoder_identity(encoder: MultilingualE5Encoder) -> dict[str, str]:
    """The encoder's name and its weights file's hash, as a tagger's manifest records them."""
    from nlp.multilingual_e5 import file_sha256

    return {"name": encoder.name, "weights_sha256": file_sha256(Path(encoder.weights_path))}


def _is_word_letter(char: str) -> bool:
    """A letter of a script that separates words by spaces and has no attached particles."""
    return char.isalpha() and script_of(char) not in {HAN, KANA, HANGUL, None}


def gold_character_tags(text: str, must_remove: Iterable[dict[str, str]]) -> list[int]:
    """The tag index of each character of a text, from its gold spans (every occurrence; in
    words of scripts with spaces, only occurrences that start and end at a word's edge)."""
    tags = [0] * len(text)
    for item in sorted(must_remove, key=lambda item: len(item["text"])):
        needle, tag = item["text"], TAGS.index(TAG_OF_TYPE[item["type"]])
        for position in occurrences(text, needle):
            end = position + len(needle)
            before = text[position - 1] if position else " "
            after = text[end] if end < len(text) else " "
            bounded = not (_is_word_letter(needle[0]) and _is_word_letter(before)) and not (
                _is_word_letter(needle[-1]) and _is_word_letter(after))
            if bounded:
                tags[position:end] = [tag] * len(needle)
    return tags


def keep_characters(text: str, must_keep: Iterable[str]) -> list[bool]:
    """Which characters of a text lie in a string the gold says to keep."""
    kept = [False] * len(text)
    for needle in must_keep:
        for position in occurrences(text, needle):
            kept[position : position + len(needle)] = [True] * len(needle)
    return kept


def token_tags(tokenized: TokenizedText, character_tags: Sequence[int]) -> np.ndarray:
    """Each piece's tag: the most common gold tag of its letters and digits (outside if none)."""
    result = np.zeros(len(tokenized.ids), dtype=np.int64)
    for token, (start, end) in enumerate(tokenized.spans):
        if end == start:  # a lone word-start mark: the tag of the letter it stands before
            result[token] = character_tags[start] if start < len(character_tags) else 0
            continue
        counts = np.bincount([character_tags[position] for position in range(start, end)],
                             minlength=len(TAGS))
        if counts[1:].sum() * 2 > end - start:
            result[token] = int(counts[1:].argmax()) + 1
    return result
