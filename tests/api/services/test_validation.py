"""Jurisdictions and languages must exist (ISO 3166-1/3166-2, ISO 639-1), not just look right."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ValidationError

from api.services.validation import JurisdictionCode, LanguageCode, describe


class Coded(BaseModel):
    jurisdiction: JurisdictionCode
    language: LanguageCode


@pytest.mark.parametrize(("jurisdiction", "language"), [
    ("US-TX", "en"), ("US", "es"), ("MX-CMX", "es"), ("CA-ON", "fr"), ("PH", "tl"), ("HT", "ht"),
    ("NP", "ne"), ("UA", "uk"), ("RO-B", "ro"), ("CN", "zh"), ("KR", "ko"), ("VN", "vi"),
    ("US-PR", "es"), ("US-GU", "en"), ("US-DC", "en")])
def test_real_codes_pass(jurisdiction: str, language: str) -> None:
    assert Coded(jurisdiction=jurisdiction, language=language).jurisdiction == jurisdiction


@pytest.mark.parametrize(("jurisdiction", "language", "field"), [
    ("ZZ-QQ", "en", "jurisdiction"), ("ZZ", "en", "jurisdiction"), ("US-XX", "en", "jurisdiction"),
    ("UK", "en", "jurisdiction"), ("Texas", "en", "jurisdiction"), ("US-TX", "xx", "language"),
    ("US-TX", "qq", "language"), ("US-TX", "english", "language")])
def test_impossible_codes_are_refused_with_the_field_named(jurisdiction: str, language: str,
                                                           field: str) -> None:
    with pytest.raises(ValidationError) as error:
        Coded(jurisdiction=jurisdiction, language=language)
    message = describe(error.value)
    assert message.startswith(field) and jurisdiction not in message.replace("US-TX", "")
