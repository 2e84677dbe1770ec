"""Cases: publish (each category a need, each need matched), list, read, open or close, delete;
who read a case."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query, Response

from api.http.dependencies import ModelDep, PosterUser, ServicesDep, UserDep
from api.http.schemas import (
    AccessEntry,
    AccessLog,
    CaseCreate,
    CaseList,
    CaseOut,
    CasePublished,
    CaseStatusUpdate,
    MatchSuggestion,
    NeedOut,
    NoSuggestionReason,
)
from api.services import cases, needs
from api.services.offers import offers_for_case
from api.services.responders import responder_cards
from api.storage.tables import Case, Need
from index.matching import Suggestion

router = APIRouter(prefix="/v1")

SHOWN_SUGGESTIONS = 5


def need_out(need: Need, **extra: Any) -> NeedOut:
    """The response model of a need (suggestions, reasons and offers where the route has them)."""
    return NeedOut(id=need.id, case_id=need.case_id, category=need.category, status=need.status,
                   source=need.source, created_at=need.created_at, updated_at=need.updated_at,
                   **extra)


def case_out(case: Case, case_needs: list[NeedOut]) -> dict[str, Any]:
    """The fields of a case's response model."""
    consent = None
    if case.consent_obtained_on is not None and case.consent_expires_on is not None:
        consent = {"obtained_on": case.consent_obtained_on, "expires_on": case.consent_expires_on,
                   "scope": case.consent_scope}
    return {"id": case.id, "text": case.text, "labels": case.labels, "scores": case.scores,
            "jurisdiction": case.jurisdiction, "language": case.language,
            "survivor_languages": case.survivor_languages, "urgency": case.urgency,
            "deadlines": case.deadlines, "consent": consent, "status": case.status,
            "model_version": case.model_version, "created_at": case.created_at,
            "updated_at": case.updated_at, "purged_at": case.purged_at, "needs": case_needs}


def _suggested(services: Any, model: Any, case: Case, need: Need,
               found: list[Suggestion]) -> dict[str, Any]:
    shown = found[:SHOWN_SUGGESTIONS]
    cards = responder_cards(services.sessions, [s.responder_id for s in shown])
    reason = None
    if not shown:
        reason = NoSuggestionReason.model_validate(
            cases.why_no_suggestion(model, case, need.category))
    return {"suggestions": [MatchSuggestion.of(s, cards) for s in shown], "no_suggestion": reason}


@router.post("/cases", status_code=201, response_model=CasePublished)
def publish(body: CaseCreate, services: ServicesDep, model: ModelDep, user: PosterUser,
            idempotency_key: Annotated[str | None, Header(
                min_length=1, max_length=100, pattern=r"^[\x21-\x7e]+$",
                description="a client's key for this publish: a retry with it returns the same case")
            ] = None) -> CasePublished:
    """Store the reviewed case (redacted again) with a need per confirmed category, then suggest
    responders for each need."""
    settings = services.settings
    consent = cases.Consent(body.consent.obtained_on, body.consent.expires_on, body.consent.scope)
    published = cases.publish(
        services.sessions, model, user, body.text, body.jurisdiction, body.language, body.urgency,
        consent=consent, bus=services.bus, notify_threshold=settings.notify_threshold,
        max_chars=settings.max_narrative_chars, survivor_languages=body.survivor_languages,
        categories=body.categories, idempotency_key=idempotency_key)
    case_needs = [need_out(need, **_suggested(services, model, published.case, need,
                                               published.suggestions[need.id]))
                  for need in published.needs]
    return CasePublished(**case_out(published.case, case_needs), review=published.review,
                         detected_language=published.detected_language,
                         field_labels=published.field_labels)


@router.get("/cases", response_model=CaseList)
def list_cases(
    services: ServicesDep, user: PosterUser,
    status: Annotated[Literal["open", "review", "matched", "closed"] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> CaseList:
    """The organisation's cases, newest first, each with its needs' statuses."""
    rows, total = cases.list_cases(services.sessions, user, status, limit, offset)
    return CaseList(cases=[CaseOut(**case_out(case, [need_out(n) for n in case_needs]))
                           for case, case_needs in rows], total=total, limit=limit, offset=offset)


@router.get("/cases/{case_id}", response_model=CaseOut)
def read_case(case_id: str, services: ServicesDep, user: PosterUser) -> CaseOut:
    """One case with its needs and each need's offers (contacts once accepted)."""
    case, case_needs = cases.read_case(services.sessions, user, case_id)
    offers = offers_for_case(services.sessions, user, case_id)
    if user.role == "admin":
        with services.sessions.begin() as session:
            needs.record_access(session, user, [case], "read case")
    return CaseOut(**case_out(case, [need_out(n, offers=offers.get(n.id, [])) for n in case_needs]))


@router.patch("/cases/{case_id}", response_model=CaseOut)
def update_case(case_id: str, body: CaseStatusUpdate, services: ServicesDep, user: UserDep
                ) -> CaseOut:
    """Open a case held for review once checked (its needs open), or close it."""
    case, case_needs = cases.set_case_status(services.sessions, user, case_id, body.status)
    return CaseOut(**case_out(case, [need_out(n) for n in case_needs]))


@router.delete("/cases/{case_id}", status_code=204)
def remove(case_id: str, services: ServicesDep, model: ModelDep, user: UserDep) -> Response:
    """Delete a case, its needs and their offers for good."""
    cases.delete_case(services.sessions, model, user, case_id)
    return Response(status_code=204)


@router.get("/cases/{case_id}/access", response_model=AccessLog)
def access(case_id: str, services: ServicesDep, user: PosterUser) -> AccessLog:
    """Who read the case (responders and admins: who, when, what), newest first."""
    rows = needs.access_log(services.sessions, user, case_id)
    return AccessLog(case_id=case_id, entries=[
        AccessEntry(at=row.at, reader=row.reader, role=row.role, action=row.action) for row in rows])
