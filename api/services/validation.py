"""Field types shared by every input model: ISO codes, and readable validation messages."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field, ValidationError

_JURISDICTION = re.compile(r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")
_LANGUAGE = re.compile(r"^[a-z]{2}$")


def _jurisdiction_code(value: str) -> str:
    if not _JURISDICTION.match(value):
        raise ValueError("not an ISO 3166 code (like US, US-TX, MX)")
    return value


def _language_code(value: str) -> str:
    if not _LANGUAGE.match(value):
        raise ValueError("not an ISO 639-1 code (like en, es)")
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
