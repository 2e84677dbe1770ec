"""Splitting a narrative into sentences with character offsets."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from nlp.spacy_model import load_sentence_pipeline

if TYPE_CHECKING:
    from spacy.language import Language

# Bullet lists and intake forms put one need per line: a line break always ends a sentence.
_LINE_BREAK = re.compile(r"\n+")
# The encoder reads at most 256 word pieces; a run-on "sentence" longer than this many
# words is cut into windows so that nothing is silently truncated.
MAX_WORDS_PER_SENTENCE = 120
_WORD = re.compile(r"\S+")
# Redaction placeholders ("[PERSON 1]") must never be cut by a sentence boundary.
_PLACEHOLDER = re.compile(r"\[[A-Z]+(?: \d+)?\]")

# Version 1 knew only what spaCy's English pipeline finds. That pipeline reads a run of Chinese
# or Japanese as one token, so a whole Chinese narrative was one "sentence" and the encoder cut
# it at its input limit. Version 2 also ends a sentence after the full stops of the scripts
# without spaces (。！？ and the half-width ｡) and of Devanagari (। ॥), and cuts a run of
# characters without spaces into windows of MAX_CHARACTERS_WITHOUT_SPACES. A model records the
# version it was trained with (its manifest's "sentence_split"); one without it used version 1.
SPLIT_VERSION = 2
SPLIT_VERSIONS = (1, 2)
_FULL_STOP = re.compile(r"[。！？｡।॥]+[」』”’）)\]]*")
# About the encoder's 256 word pieces: a Han character is one or two pieces.
MAX_CHARACTERS_WITHOUT_SPACES = 160
_WORD_CHARACTERS = re.compile(r"\w")


@dataclass(frozen=True)
class Sentence:
    """One sentence of a text: its stripped text and its offsets in the original."""

    text: str
    start: int
    end: int


class SentenceSplitter:
    """spaCy sentence boundaries, with line breaks as hard boundaries and long runs windowed."""

    def __init__(self, pipeline: Language | None = None, version: int = SPLIT_VERSION) -> None:
        if version not in SPLIT_VERSIONS:
            raise ValueError(f"unknown sentence splitting version {version}; known: {SPLIT_VERSIONS}")
        self.pipeline = pipeline if pipeline is not None else load_sentence_pipeline()
        self.version = version

    def split(self, text: str) -> list[Sentence]:
        """Split one text."""
        return self.split_batch([text])[0]

    def split_batch(self, texts: Sequence[str]) -> list[list[Sentence]]:
        """Split many texts, running spaCy over all their lines in one pass."""
        blocks: list[tuple[int, int, str]] = []  # (text index, offset, line text)
        for index, text in enumerate(texts):
            for start, line in _lines(text):
                blocks.append((index, start, line))
        results: list[list[Sentence]] = [[] for _ in texts]
        docs = self.pipeline.pipe(line for _, _, line in blocks)
        for (index, offset, line), doc in zip(blocks, docs, strict=True):
            protected = [(m.start(), m.end()) for m in _PLACEHOLDER.finditer(line)]
            starts = [span.start_char for span in doc.sents]
            starts = [start for start in starts
                      if not any(begin < start < end for begin, end in protected)]
            if self.version >= 2:
                starts = sorted(set(starts) | {stop for stop in _full_stop_ends(line)
                                               if not any(begin < stop < end
                                                          for begin, end in protected)})
            for start, end in zip(starts, starts[1:] + [len(line)], strict=True):
                if self.version >= 2 and not _WORD_CHARACTERS.search(line[start:end]):
                    continue  # punctuation left alone after a split ("」。")
                if line[start:end].strip():
                    results[index].extend(_windows(line[start:end], offset + start,
                                                   self.version >= 2))
        return results


def _full_stop_ends(line: str) -> Iterator[int]:
    """Where a sentence begins after a full stop of CJK or Devanagari text."""
    for match in _FULL_STOP.finditer(line):
        if match.end() < len(line):
            yield match.end()


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """Yield (offset, line) for each non-blank line."""
    position = 0
    for match in _LINE_BREAK.finditer(text):
        if text[position : match.start()].strip():
            yield position, text[position : match.start()]
        position = match.end()
    if text[position:].strip():
        yield position, text[position:]


def _windows(span_text: str, offset: int, cut_long_words: bool = False) -> Iterator[Sentence]:
    """Strip a sentence and cut it into windows of at most MAX_WORDS_PER_SENTENCE words.

    With `cut_long_words` (version 2), a run of a script written without spaces counts as many
    words as its length asks: a window holds at most MAX_CHARACTERS_WITHOUT_SPACES such
    characters, and a longer run is cut inside.
    """
    words = [(m.start(), m.end()) for m in _WORD.finditer(span_text)]
    if not cut_long_words:
        for first in range(0, len(words), MAX_WORDS_PER_SENTENCE):
            chunk = words[first : first + MAX_WORDS_PER_SENTENCE]
            yield Sentence(span_text[chunk[0][0] : chunk[-1][1]], offset + chunk[0][0],
                           offset + chunk[-1][1])
        return
    step = MAX_CHARACTERS_WITHOUT_SPACES
    pieces = [(first, min(first + step, end)) for start, end in words
              for first in range(start, end, step)]
    window: list[tuple[int, int]] = []
    used = 0.0
    for start, end in pieces:
        cost = max(1.0, (end - start) * MAX_WORDS_PER_SENTENCE / step) if end - start > 20 else 1.0
        if window and used + cost > MAX_WORDS_PER_SENTENCE:
            yield Sentence(span_text[window[0][0] : window[-1][1]], offset + window[0][0],
                           offset + window[-1][1])
            window, used = [], 0.0
        window.append((start, end))
        used += cost
    if window:
        yield Sentence(span_text[window[0][0] : window[-1][1]], offset + window[0][0],
                       offset + window[-1][1])
