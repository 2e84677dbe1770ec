"""Who may take a need: jurisdiction, language and capacity rules that hold before ranking.

Jurisdiction, per category of the need that the responder practises:
- a need in a US state (US-XX) is served by a responder licensed there (US-XX); immigration
  matters (immigration_relief, family_reunification) are federal, so any US-licensed responder
  (US or any US-..) serves them; federal TVPRA suits and federal prosecutions (civil_damages,
  victim_rights) are served by nationwide responders (US) too;
- a need in a country or subdivision outside the US (MX, CA-ON) is served by a responder listing
  that code, its country (CA serves CA-ON) or, for a country-level need, any of its subdivisions.
Language: the responder speaks the need's language, except for paperwork-heavy categories
(judgment_collection, identity_documents) where an interpreter suffices.
Capacity: more than zero.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

FEDERAL_IMMIGRATION = frozenset({"immigration_relief", "family_reunification"})
NATIONWIDE_FEDERAL = frozenset({"civil_damages", "victim_rights"}) | FEDERAL_IMMIGRATION
INTERPRETER_SUFFICES = frozenset({"judgment_collection", "identity_documents"})


@dataclass(frozen=True)
class JurisdictionFit:
    """Whether and why a responder may practise one category where the need is."""

    allowed: bool
    reason: str
    strength: float  # 1.0 licensed right there, lower for nationwide or federal-only reach


def country_of(code: str) -> str:
    """'US-TX' -> 'US', 'MX' -> 'MX'."""
    return code.split("-", 1)[0]


@dataclass(frozen=True)
class Reach:
    """One way a responder's jurisdictions can reach a need's place for a category.

    `by` is "code" (the responder lists exactly `code`) or "country" (it lists `code` or any
    subdivision of it). The index turns the same table into set algebra, so the rule is
    written only here.
    """

    by: str
    code: str
    reason: str
    strength: float


def reaches(need_jurisdiction: str, category: str) -> list[Reach]:
    """The ways to reach a need's place for a category, in the order they are tried."""
    country = country_of(need_jurisdiction)
    ways = [Reach("code", need_jurisdiction, f"practises in {need_jurisdiction}", 1.0)]
    if country == "US":
        if category in FEDERAL_IMMIGRATION:
            ways.append(Reach("country", "US",
                              "immigration law is federal: any US-licensed responder", 0.8))
        if category in NATIONWIDE_FEDERAL:
            ways.append(Reach("code", "US", "nationwide federal practice (US)", 0.7))
        if need_jurisdiction == "US":
            ways.append(Reach("country", "US", "practises in the US", 0.8))
    else:
        ways.append(Reach("code", country, f"practises throughout {country}", 0.9))
        if need_jurisdiction == country:
            ways.append(Reach("country", country, f"practises in part of {country}", 0.7))
    return ways


def jurisdiction_fit(need_jurisdiction: str, category: str, responder: Iterable[str]) -> JurisdictionFit:
    """Can a responder with these jurisdictions practise this category where the need is?"""
    codes = set(responder)
    countries = {country_of(code) for code in codes}
    for way in reaches(need_jurisdiction, category):
        if way.code in (codes if way.by == "code" else countries):
            return JurisdictionFit(True, way.reason, way.strength)
    if country_of(need_jurisdiction) == "US":
        return JurisdictionFit(False, f"not licensed in {need_jurisdiction}", 0.0)
    return JurisdictionFit(False, f"does not practise in {need_jurisdiction}", 0.0)


def needs_the_language(category: str) -> bool:
    """Whether the responder must speak the need's language (else an interpreter suffices)."""
    return category not in INTERPRETER_SUFFICES


def language_fit(need_languages: Sequence[str], category: str, languages: Iterable[str]
                 ) -> tuple[bool, str]:
    """Whether the language rule lets a responder take this category, and why.

    `need_languages` are the survivor's languages (the narrative's when none were given): a
    responder who speaks any of them may take the work.
    """
    spoken = set(languages)
    shared = [code for code in need_languages if code in spoken]
    if shared:
        return True, f"speaks {shared[0]}"
    wanted = " or ".join(need_languages)
    if not needs_the_language(category):
        return True, f"does not speak {wanted}; an interpreter suffices for this work"
    return False, f"does not speak {wanted}"


def eligible_categories(
    need_jurisdiction: str,
    need_languages: Sequence[str],
    need_categories: Iterable[str],
    responder_categories: Iterable[str],
    jurisdictions: Iterable[str],
    languages: Iterable[str],
    capacity: int,
) -> dict[str, tuple[JurisdictionFit, str]]:
    """The need's categories this responder practises and may take, with the reasons."""
    if capacity <= 0:
        return {}
    practised = set(responder_categories)
    jurisdiction_codes = list(jurisdictions)
    language_codes = list(languages)
    allowed: dict[str, tuple[JurisdictionFit, str]] = {}
    for category in need_categories:
        if category not in practised:
            continue
        fit = jurisdiction_fit(need_jurisdiction, category, jurisdiction_codes)
        speaks, language_reason = language_fit(need_languages, category, language_codes)
        if fit.allowed and speaks:
            allowed[category] = (fit, language_reason)
    return allowed
