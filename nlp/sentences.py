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


@dataclass(frozen=True)
class Sentence:
    """One sentence of a text: its stripped text and its offsets in the original."""

    text: str
    start: int
    end: int


class SentenceSplitter:
    """spaCy sentence boundaries, with line breaks as hard boundaries and long runs windowed."""

    def __init__(self, pipeline: Language | None = None) -> None:
        self.pipeline = pipeline if pipeline is not None else load_sentence_pipeline()

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
            for start, end in zip(starts, starts[1:] + [len(line)], strict=True):
                if line[start:end].strip():
                    results[index].extend(_windows(line[start:end], offset + start))
        return results


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """Yield (offset, line) for each non-blank line."""
    position = 0
    for match in _LINE_BREAK.finditer(text):
        if text[position : match.start()].strip():
            yield position, text[position : match.start()]
        position = match.end()
    if text[position:].strip():
        yield position, text[position:]


def _windows(span_text: str, offset: int) -> Iterator[Sentence]:
    """Strip a sentence and cut it into windows of at most MAX_WORDS_PER_SENTENCE words."""
    words = list(_WORD.finditer(span_text))
    for first in range(0, len(words), MAX_WORDS_PER_SENTENCE):
        chunk = words[first : first + MAX_WORDS_PER_SENTENCE]
        start, end = chunk[0].start(), chunk[-1].end()
        yield Sentence(span_text[start:end], offset + start, offset + end)
