"""Responder profiles: admins manage all, a responder account its own."""

from __future__ import annotations

from fastapi import APIRouter, Response

from api.http.dependencies import ModelDep, ServicesDep, UserDep
from api.services import responders
from api.services.needs import notify_of_open_needs
from api.services.responders import ResponderProfile
from api.storage.tables import Responder

router = APIRouter(prefix="/v1/responders")


def _profile_out(responder: Responder) -> dict[str, object]:
    return {**responder.profile(), "email": responder.email, "phone": responder.phone,
            "inferred_categories": responder.inferred_categories}


@router.post("", status_code=201)
def create(body: ResponderProfile, services: ServicesDep, model: ModelDep, user: UserDep
           ) -> dict[str, object]:
    """Add a profile in the format of taxonomy.md (its id is kept); the open needs it may take are
    pushed to its stream."""
    created = responders.create_profile(services.sessions, model, user, body)
    notify_of_open_needs(services.sessions, model, services.bus, created.id)
    return _profile_out(created)


@router.get("/{responder_id}")
def read(responder_id: str, services: ServicesDep, user: UserDep) -> dict[str, object]:
    """A profile (with contact details for an admin or the responder itself)."""
    return _profile_out(responders.read_profile(services.sessions, user, responder_id))


@router.put("/{responder_id}")
def replace(responder_id: str, body: ResponderProfile, services: ServicesDep, model: ModelDep,
            user: UserDep) -> dict[str, object]:
    """Replace a profile; the index follows on the next match, and the open needs it may now
    take are pushed to its stream."""
    replaced = responders.replace_profile(services.sessions, model, user, responder_id, body)
    notify_of_open_needs(services.sessions, model, services.bus, responder_id)
    return _profile_out(replaced)


@router.delete("/{responder_id}", status_code=204)
def remove(responder_id: str, services: ServicesDep, user: UserDep) -> Response:
    """Delete a profile (its offers go with it)."""
    responders.delete_profile(services.sessions, user, responder_id)
    return Response(status_code=204)
