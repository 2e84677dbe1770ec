"""Publishing, reading, matching, updating and deleting needs; searching open needs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response
from sqlalchemy import delete

from api.dependencies import ServicesDep, UserDep, require
from api.errors import Conflict, Forbidden, NotFound
from api.labels import EXAMPLE_STATUS
from api.matching_service import search_json, suggestion_json
from api.routes.narratives import check_size
from api.schemas import NeedCreate, NeedOut, NeedPublished, NeedStatusUpdate, SearchOut, SuggestionsOut
from api.tables import Need, Offer, User

router = APIRouter(prefix="/v1/needs")


def _need_json(need: Need) -> dict[str, object]:
    return {column: getattr(need, column) for column in NeedOut.model_fields}


def _visible_need(services: ServicesDep, user: User, need_id: str, write: bool = False) -> Need:
    """The need if this user may see it (or change it, with write): 404 or 403 otherwise."""
    with services.sessions() as session:
        need = session.get(Need, need_id)
    if need is None:
        raise NotFound(f"no need with id '{need_id}'")
    if user.role == "admin":
        return need
    if user.role == "poster" and need.organization_id == user.organization_id:
        return need
    if user.role == "responder" and not write and need.status == "open":
        return need
    raise Forbidden("this need belongs to another organisation")


@router.get("/search", response_model=SearchOut)
def search(
    services: ServicesDep, user: UserDep, q: Annotated[str, Query(min_length=1, max_length=500)],
    k: Annotated[int, Query(ge=1, le=100)] = 10,
) -> dict[str, object]:
    """Plain-language search over open, redacted needs."""
    require(user, "responder", "admin")
    results = services.service.search([q], k)[0]
    return {"results": [search_json(result) for result in results]}


@router.post("", status_code=201, response_model=NeedPublished)
def publish(body: NeedCreate, services: ServicesDep, user: UserDep) -> dict[str, object]:
    """Store the reviewed need (redacted again), then suggest responders."""
    require(user, "poster", "admin")
    check_size(services, body.text)
    need, suggestions = services.service.publish(
        user.organization_id, body.text, body.jurisdiction, body.language, body.urgency, k=20
    )
    for suggestion in suggestions:
        if suggestion.score >= services.settings.notify_threshold:
            services.bus.publish(f"responder:{suggestion.responder_id}", "need", {
                "need_id": need.id, "score": suggestion.score, "labels": need.labels,
                "jurisdiction": need.jurisdiction, "language": need.language,
                "urgency": need.urgency})
    return {**_need_json(need), "suggestions": [suggestion_json(s) for s in suggestions[:5]]}


@router.get("/{need_id}", response_model=NeedOut)
def read(need_id: str, services: ServicesDep, user: UserDep) -> dict[str, object]:
    """One need."""
    return _need_json(_visible_need(services, user, need_id))


@router.get("/{need_id}/suggestions", response_model=SuggestionsOut)
def suggestions(
    need_id: str, services: ServicesDep, user: UserDep, k: Annotated[int, Query(ge=1, le=50)] = 5
) -> dict[str, object]:
    """Responders suggested for a need, with explanations."""
    require(user, "poster", "admin")
    need = _visible_need(services, user, need_id, write=True)
    return {"suggestions": [suggestion_json(s) for s in services.service.suggestions_for(need, k)]}


@router.patch("/{need_id}", response_model=NeedOut)
def update_status(
    need_id: str, body: NeedStatusUpdate, services: ServicesDep, user: UserDep
) -> dict[str, object]:
    """Open, matched or closed."""
    require(user, "poster", "admin")
    _visible_need(services, user, need_id, write=True)
    with services.sessions.begin() as session:
        need = session.get(Need, need_id)
        if need is None:
            raise NotFound(f"no need with id '{need_id}'")
        if need.status == EXAMPLE_STATUS:
            raise Conflict(f"'{need_id}' is an imported labelled example, not a request for help: "
                           "it cannot be opened, matched or closed")
        need.status = body.status
    return _need_json(need)


@router.delete("/{need_id}", status_code=204)
def remove(need_id: str, services: ServicesDep, user: UserDep) -> Response:
    """Delete a need and its offers for good (search reads the database, so it is gone there too)."""
    require(user, "poster", "admin")
    need = _visible_need(services, user, need_id, write=True)
    with services.sessions.begin() as session:
        session.execute(delete(Offer).where(Offer.need_id == need_id))
        session.execute(delete(Need).where(Need.id == need_id))
    services.service.stored_encodings.forget([need.text])
    return Response(status_code=204)
