"""Needs, one category of a case each: read, suggestions, status, invitations; search."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from api.http.dependencies import ModelDep, ResponderUser, ServicesDep, UserDep
from api.http.routes.cases import need_out
from api.http.schemas import (
    DeadlineOut,
    InvitationCreate,
    MatchSuggestion,
    NeedDetail,
    NeedOut,
    NeedSibling,
    NeedStatusUpdate,
    NoSuggestionReason,
    SearchHit,
    SearchOut,
    SuggestionsOut,
)
from api.services import needs
from api.services.responders import responder_cards
from api.services.search import SearchFilters, search_needs
from api.services.validation import JurisdictionCode, LanguageCode
from api.storage.tables import Case

router = APIRouter(prefix="/v1")


@router.get("/needs/search", response_model=SearchOut)
def search(
    services: ServicesDep, model: ModelDep, user: ResponderUser,
    q: Annotated[str, Query(min_length=1, max_length=500)],
    k: Annotated[int, Query(ge=1, le=100)] = 10,
    jurisdiction: Annotated[JurisdictionCode | None, Query()] = None,
    category: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    language: Annotated[LanguageCode | None, Query()] = None,
    urgency: Annotated[Literal["low", "normal", "high"] | None, Query()] = None,
) -> SearchOut:
    """Plain-language search over open needs, within the filters; needs with nothing to do with
    the query are left out. Equal scores: the more urgent first."""
    filters = SearchFilters(jurisdiction, category, language, urgency)
    hits = search_needs(model.search, model.pipeline, [q], k, filters)[0]
    if hits:
        with services.sessions.begin() as session:
            found = [case for case in (session.get(Case, hit.facts.case_id) for hit in hits)
                     if case is not None]
            needs.record_access(session, user, found, "search result")
    return SearchOut(results=[SearchHit.of(hit) for hit in hits])


@router.get("/needs/{need_id}", response_model=NeedDetail)
def read(need_id: str, services: ServicesDep, user: UserDep) -> NeedDetail:
    """One need with its case's redacted text (a responder's read is logged for the poster)."""
    need, case, siblings = needs.read_need(services.sessions, user, need_id)
    return NeedDetail(
        id=need.id, case_id=case.id, category=need.category, status=need.status, text=case.text,
        jurisdiction=case.jurisdiction, language=case.language,
        survivor_languages=case.survivor_languages, urgency=case.urgency,
        deadlines=[DeadlineOut.model_validate(d) for d in case.deadlines],
        created_at=need.created_at,
        other_needs=[NeedSibling(id=other.id, category=other.category, status=other.status)
                     for other in siblings if other.id != need.id])


@router.get("/needs/{need_id}/suggestions", response_model=SuggestionsOut)
def suggestions(
    need_id: str, services: ServicesDep, model: ModelDep, user: UserDep,
    k: Annotated[int, Query(ge=1, le=50)] = 5,
) -> SuggestionsOut:
    """Responders suggested for one need, with explanations; when none, which rule left nobody."""
    found, why = needs.suggestions_for(services.sessions, model, user, need_id, k)
    cards = responder_cards(services.sessions, [s.responder_id for s in found])
    return SuggestionsOut(suggestions=[MatchSuggestion.of(s, cards) for s in found],
                          no_suggestion=NoSuggestionReason.model_validate(why) if why else None)


@router.patch("/needs/{need_id}", response_model=NeedOut)
def update_status(need_id: str, body: NeedStatusUpdate, services: ServicesDep, user: UserDep
                  ) -> NeedOut:
    """Open, matched or closed: this need alone (the case is matched when all its needs are)."""
    need, _ = needs.set_need_status(services.sessions, user, need_id, body.status)
    return need_out(need)


@router.post("/needs/{need_id}/invitations", status_code=201)
def invite(need_id: str, body: InvitationCreate, services: ServicesDep, user: UserDep
           ) -> dict[str, Any]:
    """Invite a responder to offer help on this need; it hears of it on its stream."""
    return needs.invite(services.sessions, services.bus, user, need_id, body.responder_id)


@router.get("/invitations")
def invitations(services: ServicesDep, user: UserDep) -> dict[str, Any]:
    """A responder's invitations on needs still open, newest first."""
    return {"invitations": needs.invitations_for(services.sessions, user)}
