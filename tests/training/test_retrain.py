"""The promotion gate, the held-out split and which categories a retrain learns."""

from __future__ import annotations

from training.datasets import LabelledRow
from training.retrain import RetrainConfig, gate, in_held_out, learnable_labels, restrict

CONFIG = RetrainConfig(tolerance=0.01, max_category_drop=0.05)


def test_gate_passes_an_equal_or_better_candidate() -> None:
    live = {"family_law": 0.80, "wage_claims": 0.70}
    decision = gate(live, {"family_law": 0.82, "wage_claims": 0.70}, CONFIG)
    assert decision.passed and decision.reasons == []
    assert decision.candidate_primary > decision.live_primary


def test_gate_allows_a_dip_within_tolerance() -> None:
    decision = gate({"a_label": 0.80, "b_label": 0.70}, {"a_label": 0.79, "b_label": 0.70}, CONFIG)
    assert decision.passed


def test_gate_refuses_a_worse_primary_metric() -> None:
    decision = gate({"a_label": 0.80, "b_label": 0.70}, {"a_label": 0.77, "b_label": 0.70}, CONFIG)
    assert not decision.passed
    assert "macro-F1" in decision.reasons[0]


def test_gate_refuses_a_category_that_drops_too_far_even_if_the_mean_rises() -> None:
    live = {"a_label": 0.80, "b_label": 0.60, "c_label": 0.60}
    candidate = {"a_label": 0.70, "b_label": 0.80, "c_label": 0.80}
    decision = gate(live, candidate, CONFIG)
    assert decision.candidate_primary > decision.live_primary
    assert not decision.passed and decision.drops == {"a_label": 0.1}


def test_gate_compares_only_categories_both_models_are_scored_on() -> None:
    decision = gate({"a_label": 0.8}, {"a_label": 0.8, "new_label": 0.1}, CONFIG)
    assert decision.passed and decision.compared_labels == ["a_label"]


def test_held_out_membership_is_stable_and_about_one_in_five() -> None:
    ids = [f"need-{index}" for index in range(2000)]
    first = [in_held_out(identifier, 5) for identifier in ids]
    assert first == [in_held_out(identifier, 5) for identifier in ids]
    assert 0.15 < sum(first) / len(ids) < 0.25


def test_an_added_category_is_learned_only_with_enough_examples() -> None:
    rows = [LabelledRow(f"text {index}", ("tax_relief",), ()) for index in range(3)]
    rows.append(LabelledRow("other", ("family_law",), ("tax_relief",)))
    labels, counts = learnable_labels(rows, ["family_law", "wage_claims"], min_examples=3)
    assert labels == ["family_law", "tax_relief", "wage_claims"] and counts["tax_relief"] == 3
    labels, _ = learnable_labels(rows, ["family_law", "wage_claims"], min_examples=4)
    assert "tax_relief" not in labels
    restricted = restrict(rows, labels)
    assert restricted[0].labels == () and restricted[3].negatives == ()
