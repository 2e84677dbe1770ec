"""Responder profiles: admins manage all, a responder account its own."""

from __future__ import annotations

from fastapi import APIRouter, Response
from sqlalchemy import delete

from api.dependencies import ServicesDep, UserDep, require
from api.errors import Conflict, Forbidden, NotFound
from api.responder_import import ResponderProfile, upsert_responders
from api.tables import Responder, User

router = APIRouter(prefix="/v1/responders")


def _own_or_admin(user: User, responder_id: str) -> None:
    if user.role == "admin" or (user.role == "responder" and user.responder_id == responder_id):
        return
    raise Forbidden("only an admin or the responder itself may do this")


def _infer(services: ServicesDep):  # type: ignore[no-untyped-def]
    pipeline = services.service.pipeline
    return lambda texts: [result.scores for result in pipeline.classify_batch(list(texts))]


@router.post("", status_code=201)
def create(body: ResponderProfile, services: ServicesDep, user: UserDep) -> dict[str, object]:
    """Add a profile in the format of taxonomy.md (its id is kept)."""
    require(user, "admin")
    with services.sessions() as session:
        if session.get(Responder, body.id) is not None:
            raise Conflict(f"responder '{body.id}' exists: use PUT /v1/responders/{body.id}")
    upsert_responders(services.sessions, [body], _infer(services))
    return read(body.id, services, user)


@router.get("/{responder_id}")
def read(responder_id: str, services: ServicesDep, user: UserDep) -> dict[str, object]:
    """A profile (with contact details for an admin or the responder itself)."""
    _own_or_admin(user, responder_id)
    with services.sessions() as session:
        responder = session.get(Responder, responder_id)
    if responder is None:
        raise NotFound(f"no responder with id '{responder_id}'")
    return {**responder.profile(), "email": responder.email, "phone": responder.phone,
            "inferred_categories": responder.inferred_categories}


@router.put("/{responder_id}")
def replace(
    responder_id: str, body: ResponderProfile, services: ServicesDep, user: UserDep
) -> dict[str, object]:
    """Replace a profile; the index follows on the next match."""
    _own_or_admin(user, responder_id)
    if body.id != responder_id:
        raise Forbidden("the profile's id must be the one in the address")
    upsert_responders(services.sessions, [body], _infer(services))
    return read(responder_id, services, user)


@router.delete("/{responder_id}", status_code=204)
def remove(responder_id: str, services: ServicesDep, user: UserDep) -> Response:
    """Delete a profile (its offers go with it)."""
    _own_or_admin(user, responder_id)
    with services.sessions.begin() as session:
        if session.get(Responder, responder_id) is None:
            raise NotFound(f"no responder with id '{responder_id}'")
        session.execute(delete(Responder).where(Responder.id == responder_id))
    return Response(status_code=204)
