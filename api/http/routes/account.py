"""Who the caller is."""

from __future__ import annotations

from fastapi import APIRouter

from api.http.dependencies import ServicesDep, UserDep
from api.storage.tables import Organization

router = APIRouter(prefix="/v1")


@router.get("/me")
def me(services: ServicesDep, user: UserDep) -> dict[str, object]:
    """The caller's role, organisation and linked responder profile."""
    with services.sessions() as session:
        organization = session.get(Organization, user.organization_id)
    return {"id": user.id, "role": user.role, "responder_id": user.responder_id,
            "organization": organization.name if organization else ""}
