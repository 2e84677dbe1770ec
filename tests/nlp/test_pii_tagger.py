"""The learned redaction tagger: offsets, gold tags, decoding, saving, fitting, and its place
beside the rules."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from nlp.multilingual_e5 import load_multilingual_encoder
from nlp.pii.tagger import (
    TAGS,
    PiiTagger,
    TaggerMismatch,
    TaggerWithEncoder,
    encoder_identity,
    gold_character_tags,
    keep_characters,
    load_shipped_tagger,
    token_states,
    token_tags,
    tokenize,
)
from nlp.redact import Redactor
from training.fit_tagger import fit_tagger, training_metrics

PERSON_TAG = TAGS.index("PERSON")


@pytest.fixture(scope="module")
def encoder():
    return load_multilingual_encoder()


def _tagger(thresholds: dict[str, float] | None = None, dimension: int = 384) -> PiiTagger:
    weights = [np.zeros((dimension, 4), np.float32), np.zeros((4, len(TAGS)), np.float32)]
    biases = [np.zeros(4, np.float32), np.zeros(len(TAGS), np.float32)]
    biases[1][0] = 10.0  # every token is outside
    return PiiTagger(weights, biases, 6, thresholds or {"PERSON": 0.5, "DOB": 0.5})


def test_pieces_point_back_into_the_original_text(encoder) -> None:
    text = "Client  Rosalía Quispe-Huamán (DOB 04/17/1996) met [PERSON 2] at the 7-Eleven."
    tokenized = tokenize(encoder, text)
    words = [text[start:end] for start, end in tokenized.unit_spans]
    assert "Rosalía" in words and "[PERSON 2]" in words
    assert [words[unit] for unit, flag in enumerate(tokenized.placeholder) if flag] == ["[PERSON 2]"]
    for unit, (start, end) in enumerate(tokenized.unit_spans):
        pieces = [tokenized.spans[token] for token, owner in enumerate(tokenized.units)
                  if owner == unit]
        # The pieces of a word cover it from its first to its last character, in order.
        assert pieces[0][0] == start and pieces[-1][1] == end
        assert all(low <= high for low, high in pieces)


def test_chinese_and_korean_are_tagged_piece_by_piece(encoder) -> None:
    tokenized = tokenize(encoder, "我叫张伟，住在北京。 제 이름은 김민지입니다. Maria")
    assert tokenized.piecewise == [True, True, True, True, False]
    chinese = [tokenized.spans[token] for token, unit in enumerate(tokenized.units) if unit == 0]
    assert len(chinese) > 2  # a clause is several pieces, each with its own span


def test_gold_tags_respect_word_edges_in_spaced_scripts_only() -> None:
    text = "Ana went to Analysis; 김민지씨가 왔다"
    tags = gold_character_tags(text, [{"text": "Ana", "type": "PERSON"},
                                      {"text": "김민지", "type": "PERSON"}])
    assert tags[0:3] == [PERSON_TAG] * 3
    analysis = text.index("Analysis")
    assert tags[analysis : analysis + 3] == [0, 0, 0]
    korean = text.index("김민지")
    assert tags[korean : korean + 3] == [PERSON_TAG] * 3 and tags[korean + 3] == 0


def test_token_tags_follow_the_majority_of_letters(encoder) -> None:
    text = "Call Rosalía Quispe today"
    tokenized = tokenize(encoder, text)
    tags = token_tags(tokenized, gold_character_tags(text, [{"text": "Rosalía Quispe",
                                                              "type": "PERSON"}]))
    tagged = {text[start:end] for (start, end), tag in zip(tokenized.spans, tags, strict=True)
              if tag == PERSON_TAG and end > start}
    assert "".join(sorted(tagged)) and all(piece in "Rosalía Quispe" for piece in tagged)
    untagged = [text[start:end] for (start, end), tag in zip(tokenized.spans, tags, strict=True)
                if tag == 0]
    assert "Call" in "".join(untagged) and "today" in "".join(untagged)


def test_keep_characters_mark_every_occurrence() -> None:
    kept = keep_characters("USCIS and USCIS", ["USCIS"])
    assert kept == [True] * 5 + [False] * 5 + [True] * 5


def _decode(encoder, text: str, tagged_words: dict[str, str], thresholds=None,
            grow: dict[str, float] | None = None, weak: dict[str, tuple[str, float]] | None = None):
    """Decode made-up probabilities: each listed word's pieces get its tag at 0.9, each weak
    word's pieces its tag at the given probability."""
    tagger = _tagger(thresholds)
    tagger.grow_thresholds = dict(grow or {})
    tokenized = tokenize(encoder, text)
    probabilities = np.zeros((len(tokenized.ids), len(TAGS)))
    probabilities[:, 0] = 1.0
    for token, unit in enumerate(tokenized.units):
        word = text[slice(*tokenized.unit_spans[unit])].strip(",.()")
        if word in tagged_words:
            probabilities[token] = 0.1 / (len(TAGS) - 1)
            probabilities[token, TAGS.index(tagged_words[word])] = 0.9
        elif weak and word in weak:
            tag, probability = weak[word]
            probabilities[token, 0] = 1.0 - probability
            probabilities[token, TAGS.index(tag)] = probability
    return [text[start:end] for start, end, _ in tagger._decode(text, tokenized, probabilities)]


def test_a_tagged_word_grows_over_likely_neighbours(encoder) -> None:
    text = "meu nome é maria do socorro alves e moro aqui"
    weak = {"do": ("PERSON", 0.2), "socorro": ("PERSON", 0.3), "alves": ("PERSON", 0.1),
            "e": ("PERSON", 0.01)}
    assert _decode(encoder, text, {"maria": "PERSON"}, weak=weak) == ["maria"]
    assert _decode(encoder, text, {"maria": "PERSON"}, grow={"PERSON": 0.05},
                   weak=weak) == ["maria do socorro alves"]
    # Below the growth threshold, or of another tag, a neighbour stops the growth.
    assert _decode(encoder, text, {"maria": "PERSON"}, grow={"PERSON": 0.15},
                   weak=weak) == ["maria do socorro"]
    assert _decode(encoder, text, {"maria": "PERSON"}, grow={"DOB": 0.05},
                   weak=weak) == ["maria"]


def test_growth_stops_at_punctuation_placeholders_and_eastern_address_pieces(encoder) -> None:
    grow = {"PERSON": 0.05, "ADDRESS": 0.05}
    # A comma between two words ends the growth: the city after a street stays.
    assert _decode(encoder, "Adres: ul. Lenina 15, Moskva", {"15": "ADDRESS"}, {"ADDRESS": 0.5},
                   grow, {"Lenina": ("ADDRESS", 0.4), "Moskva": ("ADDRESS", 0.4)}) == ["Lenina 15"]
    assert _decode(encoder, "el [PERSON 1] Rosa", {"Rosa": "PERSON"}, grow=grow,
                   weak={"[PERSON 1]": ("PERSON", 0.9)}) == ["Rosa"]
    # Han pieces run from the district into the street with nothing between: an address does
    # not grow over them.
    text = "住在皇后区法拉盛39街"
    tokenized = tokenize(encoder, text)
    tagger = _tagger({"ADDRESS": 0.5})
    tagger.grow_thresholds = grow
    probabilities = np.zeros((len(tokenized.ids), len(TAGS)))
    probabilities[:, 0] = 0.6
    probabilities[:, TAGS.index("ADDRESS")] = 0.4
    street = next(token for token, (start, end) in enumerate(tokenized.spans)
                  if "街" in text[start:end])
    probabilities[street] = [0.05, 0, 0, 0.95, 0, 0]
    spans = [text[start:end] for start, end, _ in tagger._decode(text, tokenized, probabilities)]
    assert spans == [text[slice(*tokenized.spans[street])]]


def test_decoding_joins_neighbouring_words_and_trims_punctuation(encoder) -> None:
    spans = _decode(encoder, "Ask (Rosalía Quispe), born 1996.",
                    {"Rosalía": "PERSON", "Quispe": "PERSON", "1996": "DOB"})
    assert spans == ["Rosalía Quispe", "1996"]


def test_a_tag_without_a_threshold_is_never_given(encoder) -> None:
    assert _decode(encoder, "Unit 4B of the tower", {"4B": "ADDRESS"}) == []
    assert _decode(encoder, "Unit 4B of the tower", {"4B": "ADDRESS"},
                   {"ADDRESS": 0.5}) == ["4B"]


def test_save_and_load_give_the_same_probabilities(tmp_path: Path, encoder) -> None:
    rng = np.random.default_rng(0)
    tagger = PiiTagger([rng.normal(size=(384, 8)), rng.normal(size=(8, len(TAGS)))],
                       [rng.normal(size=8), rng.normal(size=len(TAGS))], 6, {"PERSON": 0.7},
                       {"encoder": encoder_identity(encoder), "version": "ttest"},
                       grow_thresholds={"PERSON": 0.05})
    tagger.save(tmp_path)
    loaded = PiiTagger.load(tmp_path, encoder)
    states = rng.normal(size=(5, 384)).astype(np.float32)
    np.testing.assert_allclose(loaded.probabilities(states), tagger.probabilities(states), rtol=1e-6)
    assert loaded.thresholds == {"PERSON": 0.7} and loaded.layers == 6
    assert loaded.grow_thresholds == {"PERSON": 0.05}


def test_loading_refuses_another_encoder_or_other_tags(tmp_path: Path, encoder) -> None:
    _tagger().save(tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    (tmp_path / "manifest.json").write_text(json.dumps(
        {**manifest, "encoder": {"name": "intfloat/multilingual-e5-small", "weights_sha256": "0"}}))
    with pytest.raises(TaggerMismatch, match="was made for"):
        PiiTagger.load(tmp_path, encoder)
    (tmp_path / "manifest.json").write_text(json.dumps({**manifest, "tags": ["O", "PERSON"]}))
    with pytest.raises(TaggerMismatch, match="tags"):
        PiiTagger.load(tmp_path)


def test_fitting_learns_a_separable_tag_and_needs_every_tag() -> None:
    rng = np.random.default_rng(1)
    tags = np.repeat(np.arange(len(TAGS)), 500)
    states = rng.normal(scale=0.1, size=(len(tags), 16)).astype(np.float32)
    states[np.arange(len(tags)), tags] += 3.0  # each tag lights up its own dimension
    tagger = fit_tagger(states, tags, hidden=8)
    predicted = tagger.probabilities(states).argmax(axis=1)
    assert (predicted == tags).mean() > 0.95
    tagger.thresholds = {tag: 0.5 for tag in TAGS[1:]}
    metrics = training_metrics(tagger, states, tags)
    assert metrics["primary"] == "training_token_recall" and metrics["tokens"] == len(tags)
    assert metrics["training_token_recall"] > 0.9 and metrics["training_token_precision"] > 0.9
    with pytest.raises(ValueError, match="no token tagged"):
        fit_tagger(states[tags != 2], tags[tags != 2], hidden=8)


def test_token_states_cover_long_texts_in_windows(encoder) -> None:
    text = " ".join(["Rosalía worked at the farm in Immokalee without pay."] * 90)
    tokenized = tokenize(encoder, text)
    assert len(tokenized.ids) > 600  # more than one window of the encoder
    (states,) = token_states(encoder, [tokenized], 6)
    assert states.shape == (len(tokenized.ids), encoder.dimension)
    assert np.abs(states).sum(axis=1).min() > 0  # no token was left without a state


class _FixedTagger:
    """A stand-in tagger that tags given strings wherever they occur."""

    def __init__(self, strings: dict[str, str]) -> None:
        self.strings = strings

    def spans(self, texts):
        result = []
        for text in texts:
            found = []
            for needle, kind in self.strings.items():
                position = text.find(needle)
                while position != -1:
                    found.append((position, position + len(needle), kind))
                    position = text.find(needle, position + 1)
            result.append(found)
        return result


def test_the_redactor_adds_what_only_the_tagger_found() -> None:
    text = "sabi ni boss rodel, babalik daw siya bukas sa Naga City."
    rules = Redactor(tagger=False).redact(text)
    assert "rodel" in rules.text  # the rules miss a lower-case name
    tagged = Redactor(tagger=_FixedTagger({"rodel": "PERSON"})).redact(text)  # type: ignore[arg-type]
    assert "rodel" not in tagged.text and "Naga City" in tagged.text
    assert "[PERSON 1]" in tagged.text


class _FirstOnlyTagger(_FixedTagger):
    """A stand-in tagger that tags each given string where it first occurs only, and nothing
    on a later look (a text with placeholders)."""

    def spans(self, texts):
        return [[(text.find(needle), text.find(needle) + len(needle), kind)
                 for needle, kind in self.strings.items() if needle in text and "[" not in text]
                for text in texts]


def test_every_mention_of_a_tagged_name_goes() -> None:
    text = "sabi ni boss rodel, babalik daw siya bukas. si rodel ang may hawak ng passport sa Naga."
    redactor = Redactor(tagger=_FirstOnlyTagger({"rodel": "PERSON"}))  # type: ignore[arg-type]
    result = redactor.redact(text).text
    assert "rodel" not in result and "passport sa Naga" in result


def test_a_tagged_span_widens_the_rules_span_it_touches() -> None:
    text = "Her address is 88-14 Jamaica Ave Bldg 7, Queens."
    redactor = Redactor(tagger=_FixedTagger({"Bldg 7": "ADDRESS"}))  # type: ignore[arg-type]
    redaction = redactor.redact(text)
    assert "Bldg 7" not in redaction.text and "88-14" not in redaction.text
    assert "Queens" in redaction.text
    assert redactor.redact(redaction.text).text == redaction.text


def test_the_shipped_tagger_finds_names_the_rules_miss() -> None:
    text = ("voice note: si ate lorna po ang kumuha ng passport ko, tapos yung asawa niya si "
            "kuya dodong ang nagbabantay sa amin sa bodega sa Valenzuela")
    shipped = Redactor()
    assert shipped.tagger is load_shipped_tagger()
    result = shipped.redact(text).text
    assert "lorna" not in result and "dodong" not in result
    assert "Valenzuela" in result and "passport" in result
    assert shipped.redact(result).text == result  # redacting again changes nothing


def test_the_shipped_tagger_reads_chinese_without_destroying_the_need() -> None:
    text = "我现在没有合法身份，想申请T签证。老板王建国扣了我的护照。"
    result = Redactor().redact(text).text
    assert "王建国" not in result
    assert "想申请T签证" in result and "护照" in result


def test_placeholders_are_read_but_never_tagged(encoder) -> None:
    spans = _decode(encoder, "el [PERSON 1] y Rosa", {"[PERSON 1]": "PERSON", "Rosa": "PERSON"})
    assert spans == ["Rosa"]
    tokenized = tokenize(encoder, "[PERSON 1] :[PERSON 2]x")
    units = [(text, flag) for (start, end), flag in zip(tokenized.unit_spans, tokenized.placeholder,
                                                       strict=True)
             for text in ["[PERSON 1] :[PERSON 2]x"[start:end]]]
    assert units == [("[PERSON 1]", True), (":", False), ("[PERSON 2]", True), ("x", False)]


def test_a_tagger_bound_to_its_encoder_gives_spans_per_text(encoder) -> None:
    bound = TaggerWithEncoder(_tagger(), encoder)
    assert bound.spans(["", "nothing to see"]) == [[], []]


def test_a_lone_surrogate_is_read_as_a_replacement_character() -> None:
    text = "Maria L\ud800pez called from Houston"
    redaction = Redactor().redact(text)
    assert len(redaction.text) > 0 and "\ud800" not in redaction.text
    assert all(0 <= entity.start < entity.end <= len(text) for entity in redaction.entities)
