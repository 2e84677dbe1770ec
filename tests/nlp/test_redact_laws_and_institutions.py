"""A law's number and an institution named after a person stay; the people beside them go."""

from __future__ import annotations

import pytest

from nlp.pii.identifiers import is_law_number
from nlp.redact import Redactor
from tests.nlp.conftest import FixedTagger, assert_redacted


@pytest.mark.parametrize("text", [
    "under Republic Act No. 9208", "R.A. 9208", "Lwa CL/2014-0010", "Luật số 69/2020/QH14",
    "la directive 2011/36/UE", "Legea nr. 678/2001", "Закон № 3739-VI", "قانون رقم 64",
    "Ley 985", "dekrè 12-2020", "المؤثمة بـالقانون رقم 64",
    "قانون مكافحة الاتجار بالبشر رقم 28",
])
def test_a_number_after_a_law_is_the_laws(text: str) -> None:
    number = text.rsplit(" ", 1)[1]
    assert is_law_number(text, text.rindex(number))


@pytest.mark.parametrize("text", [
    "case No. 2024-CV-1187", "passport No. X1234567", "A-number 204556781", "CURP GOMA900412",
    "call 0917 552 8841",
])
def test_a_number_after_other_words_is_not_a_laws(text: str) -> None:
    number = text.rsplit(" ", 1)[1]
    assert not is_law_number(text, text.rindex(number))


def test_a_law_number_the_tagger_calls_an_identifier_stays(redactor: Redactor) -> None:
    text = ("Dosye a tonbe anba Lwa CL/2014-0010 sou trafik moun. Paspò li: RD4471902. "
            "Sa a vyole Luật số 69/2020/QH14 tou.")
    tagger = FixedTagger([("CL/2014-0010", "ID"), ("RD4471902", "ID"), ("69/2020/QH14", "ID")])
    assert_redacted(Redactor(redactor.pipeline, tagger=tagger), text,  # type: ignore[arg-type]
                    removed=["RD4471902"], kept=["Lwa CL/2014-0010", "Luật số 69/2020/QH14"])


def test_a_foundation_named_after_a_person_stays(redactor: Redactor) -> None:
    text = ("Rosalind Okafor was referred by the Helen Bamber Foundation to a solicitor; her sister "
            "Chidinma still works at the car wash.")
    tagger = FixedTagger([("Helen Bamber", "PERSON"), ("Chidinma", "PERSON")])
    assert_redacted(Redactor(redactor.pipeline, tagger=tagger), text,  # type: ignore[arg-type]
                    removed=["Rosalind", "Okafor", "Chidinma"], kept=["Helen Bamber Foundation"])


def test_a_business_named_after_a_person_still_names_the_person(redactor: Redactor) -> None:
    text = "She cleaned offices for Orellana Cleaning Services for two years without pay."
    tagger = FixedTagger([("Orellana", "PERSON")])
    assert_redacted(Redactor(redactor.pipeline, tagger=tagger), text,  # type: ignore[arg-type]
                    removed=["Orellana"], kept=["Cleaning Services"])
