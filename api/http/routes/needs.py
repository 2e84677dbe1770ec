"""Publishing, reading, matching, updating and deleting needs; searching open needs."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query, Response

from api.http.dependencies import ModelDep, PosterUser, ResponderUser, ServicesDep, UserDep
from api.http.schemas import (
    MatchSuggestion,
    NeedCreate,
    NeedList,
    NeedOut,
    NeedPublished,
    NeedStatusUpdate,
    NoSuggestionReason,
    SearchHit,
    SearchOut,
    SuggestionsOut,
)
from api.services import needs
from api.services.responders import responder_cards
from api.services.search import search_needs
from api.storage.tables import Need

router = APIRouter(prefix="/v1/needs")


def _reasons(report: dict[str, dict[str, Any]]) -> dict[str, NoSuggestionReason]:
    return {category: NoSuggestionReason.model_validate(counts) for category, counts in report.items()}


def _need_out(need: Need) -> NeedOut:
    return NeedOut.model_validate({column: getattr(need, column) for column in NeedOut.model_fields})


@router.get("/search", response_model=SearchOut)
def search(
    services: ServicesDep, model: ModelDep, user: ResponderUser,
    q: Annotated[str, Query(min_length=1, max_length=500)],
    k: Annotated[int, Query(ge=1, le=100)] = 10,
) -> SearchOut:
    """Plain-language search over open, redacted needs."""
    results = search_needs(model.search, model.pipeline, [q], k)[0]
    return SearchOut(results=[SearchHit.of(result) for result in results])


@router.get("", response_model=NeedList)
def list_needs(
    services: ServicesDep, user: PosterUser,
    status: Annotated[Literal["open", "review", "matched", "closed"] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> NeedList:
    """The organisation's posted needs, newest first (for the advocate's page after a reload)."""
    rows, total = needs.list_needs(services.sessions, user, status, limit, offset)
    return NeedList(needs=[_need_out(need) for need in rows], total=total, limit=limit, offset=offset)


@router.post("", status_code=201, response_model=NeedPublished)
def publish(body: NeedCreate, services: ServicesDep, model: ModelDep, user: PosterUser,
            idempotency_key: Annotated[str | None, Header(
                min_length=1, max_length=100, pattern=r"^[\x21-\x7e]+$",
                description="a client's key for this publish: a retry with it returns the same need")
            ] = None) -> NeedPublished:
    """Store the reviewed need (redacted again), then suggest responders."""
    settings = services.settings
    need, suggestions, published = needs.publish(
        services.sessions, model, user, body.text, body.jurisdiction, body.language, body.urgency,
        bus=services.bus, notify_threshold=settings.notify_threshold,
        max_chars=settings.max_narrative_chars, survivor_languages=body.survivor_languages,
        idempotency_key=idempotency_key)
    shown = suggestions[:5]
    cards = responder_cards(services.sessions, [s.responder_id for s in shown])
    return NeedPublished(**_need_out(need).model_dump(),
                         suggestions=[MatchSuggestion.of(s, cards) for s in shown],
                         no_suggestion=None if shown else _reasons(needs.why_no_suggestion(model, need)),
                         review=published.review, detected_language=published.detected_language)


@router.get("/{need_id}", response_model=NeedOut)
def read(need_id: str, services: ServicesDep, user: UserDep) -> NeedOut:
    """One need."""
    return _need_out(needs.read_need(services.sessions, user, need_id))


@router.get("/{need_id}/suggestions", response_model=SuggestionsOut)
def suggestions(
    need_id: str, services: ServicesDep, model: ModelDep, user: UserDep,
    k: Annotated[int, Query(ge=1, le=50)] = 5,
) -> SuggestionsOut:
    """Responders suggested for a need, with explanations."""
    found = needs.suggestions_for(services.sessions, model, user, need_id, k)
    cards = responder_cards(services.sessions, [s.responder_id for s in found])
    why = None
    if not found:
        why = _reasons(needs.why_no_suggestion(model, needs.read_need(services.sessions, user, need_id)))
    return SuggestionsOut(suggestions=[MatchSuggestion.of(s, cards) for s in found], no_suggestion=why)


@router.patch("/{need_id}", response_model=NeedOut)
def update_status(need_id: str, body: NeedStatusUpdate, services: ServicesDep, user: UserDep
                  ) -> NeedOut:
    """Open (also a need held for review, once its poster checked it), matched or closed."""
    return _need_out(needs.set_status(services.sessions, user, need_id, body.status))


@router.delete("/{need_id}", status_code=204)
def remove(need_id: str, services: ServicesDep, model: ModelDep, user: UserDep) -> Response:
    """Delete a need and its offers for good (search reads the database, so it is gone there too)."""
    needs.delete_need(services.sessions, model, user, need_id)
    return Response(status_code=204)
