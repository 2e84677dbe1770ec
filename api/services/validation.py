"""Field types shared by every input model: ISO codes that exist, and readable validation
messages. The code lists are pycountry's (ISO 3166-1, ISO 3166-2, ISO 639)."""

from __future__ import annotations

import re
from functools import cache
from typing import Annotated

import pycountry
from pydantic import AfterValidator, Field, ValidationError

_JURISDICTION = re.compile(r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")
_LANGUAGE = re.compile(r"^[a-z]{2}$")


@cache
def _places() -> frozenset[str]:
    """Every ISO 3166-1 country and ISO 3166-2 subdivision code."""
    return frozenset(country.alpha_2 for country in pycountry.countries) | frozenset(
        subdivision.code for subdivision in pycountry.subdivisions)


@cache
def _languages() -> frozenset[str]:
    """Every ISO 639-1 (two-letter) language code."""
    return frozenset(language.alpha_2 for language in pycountry.languages
                     if hasattr(language, "alpha_2"))


def _jurisdiction_code(value: str) -> str:
    if not _JURISDICTION.match(value):
        raise ValueError("not an ISO 3166 code (like US, US-TX, MX)")
    if value not in _places():
        raise ValueError("no such ISO 3166 country or subdivision (like US, US-TX, MX, CA-ON)")
    return value


def _language_code(value: str) -> str:
    if not _LANGUAGE.match(value) or value not in _languages():
        raise ValueError("not an ISO 639-1 language code (like en, es, zh, ht)")
    return value


# The patterns are also written into the OpenAPI document (the validators say what is wrong).
JurisdictionCode = Annotated[str, AfterValidator(_jurisdiction_code), Field(
    json_schema_extra={"pattern": _JURISDICTION.pattern, "examples": ["US-TX", "MX", "CA-ON"]},
    description="an ISO 3166 code: a country (MX) or a subdivision (US-TX); US is federal")]
LanguageCode = Annotated[str, AfterValidator(_language_code), Field(
    json_schema_extra={"pattern": _LANGUAGE.pattern, "examples": ["en", "es"]},
    description="an ISO 639-1 code")]


def describe(error: ValidationError) -> str:
    """'field: message; ...' without the offending values (they may hold narrative text)."""
    return "; ".join(
        f"{'.'.join(str(part) for part in item['loc']) or 'row'}: {item['msg']}"
        for item in error.errors()
    )
