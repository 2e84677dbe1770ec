import pytest

from index.eligibility import eligible_categories, jurisdiction_fit, language_fit


@pytest.mark.parametrize(
    ("need", "category", "responder", "allowed"),
    [
        ("US-TX", "family_law", ["US-TX"], True),
        ("US-TX", "family_law", ["US-CA"], False),
        ("US-TX", "family_law", ["US"], False),  # nationwide does not reach state courts
        ("US-TX", "immigration_relief", ["US-CA"], True),  # federal: any US licence
        ("US-TX", "family_reunification", ["US"], True),
        ("US-TX", "civil_damages", ["US"], True),
        ("US-TX", "civil_damages", ["US-CA"], False),
        ("US-TX", "immigration_relief", ["MX"], False),
        ("MX", "family_law", ["MX"], True),
        ("CA-ON", "housing", ["CA"], True),
        ("CA-ON", "housing", ["CA-QC"], False),
        ("MX", "wage_claims", ["MX-CMX"], True),
        ("GT", "immigration_relief", ["US"], False),
    ],
)
def test_jurisdiction_rules(need: str, category: str, responder: list[str], allowed: bool) -> None:
    assert jurisdiction_fit(need, category, responder).allowed is allowed


def test_language_rule_and_interpreter_exception() -> None:
    assert language_fit(["es"], "family_law", ["en", "es"])[0]
    assert not language_fit(["fr"], "family_law", ["en"])[0]
    assert language_fit(["fr"], "identity_documents", ["en"])[0]


def test_the_survivor_speaking_any_language_of_the_responder_is_enough() -> None:
    assert language_fit(["mam", "es"], "family_law", ["en", "es"]) == (True, "speaks es")
    allowed, reason = language_fit(["ht", "fr"], "family_law", ["en"])
    assert not allowed and reason == "does not speak ht or fr"


def test_eligible_categories_need_practice_capacity_and_all_rules() -> None:
    common = {"need_jurisdiction": "US-TX", "need_languages": ["es"],
              "need_categories": ["immigration_relief", "family_law"]}
    both = eligible_categories(**common, responder_categories=["immigration_relief", "family_law"],
                               jurisdictions=["US-TX"], languages=["es"], capacity=2)
    assert set(both) == {"immigration_relief", "family_law"}
    elsewhere = eligible_categories(**common, responder_categories=["immigration_relief", "family_law"],
                                    jurisdictions=["US-FL"], languages=["es"], capacity=2)
    assert set(elsewhere) == {"immigration_relief"}
    assert eligible_categories(**common, responder_categories=["family_law"],
                               jurisdictions=["US-TX"], languages=["es"], capacity=0) == {}
    assert eligible_categories(**common, responder_categories=["family_law"],
                               jurisdictions=["US-TX"], languages=["en"], capacity=3) == {}
