"""What routes receive: the loaded services and the calling user (by role), as FastAPI dependencies."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi import Path as PathParameter
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.bootstrap import Services
from api.services import policy
from api.services.accounts import user_for_key
from api.services.errors import AuthenticationFailed, Unavailable
from api.services.serving import ServingModel
from api.storage.tables import User


def loaded_services(request: Request) -> Services | None:
    """The services, or None while the models are still loading (a background start)."""
    services: Services | None = getattr(request.app.state, "services", None)
    return services


def get_services(request: Request) -> Services:
    """The services loaded by the app's lifespan; 503 while they are still loading."""
    services = loaded_services(request)
    if services is None:
        raise Unavailable("the service is starting: its models are still loading; retry shortly")
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def get_model(services: ServicesDep) -> ServingModel:
    """The serving model, taken once per request: a swap mid-request must not mix two models."""
    return services.model


ModelDep = Annotated[ServingModel, Depends(get_model)]


# Declares the bearer scheme in the OpenAPI document; a missing key is answered below (401).
BEARER = HTTPBearer(auto_error=False, description="an API key made by 'needmatch users create'")


def get_user(services: ServicesDep,
             credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)]) -> User:
    """The user whose key is in 'Authorization: Bearer <key>'."""
    if credentials is None or not credentials.credentials.strip():
        raise AuthenticationFailed("missing API key: send 'Authorization: Bearer <key>'")
    with services.sessions() as session:
        user = user_for_key(session, credentials.credentials.strip())
    if user is None:
        raise AuthenticationFailed("unknown API key: check it or ask an admin for a new one")
    return user


UserDep = Annotated[User, Depends(get_user)]


def _role(*roles: str):  # type: ignore[no-untyped-def]
    def dependency(user: UserDep) -> User:
        policy.require_role(user, *roles)
        return user

    return dependency


AdminUser = Annotated[User, Depends(_role(policy.ADMIN))]
PosterUser = Annotated[User, Depends(_role(policy.POSTER, policy.ADMIN))]
ResponderUser = Annotated[User, Depends(_role(policy.RESPONDER, policy.ADMIN))]


# Row ids are 64-bit integers in the database: a larger number is refused as invalid (422).
MAX_ROW_ID = 2**63 - 1
OfferId = Annotated[int, PathParameter(ge=1, le=MAX_ROW_ID, description="an offer's id")]
JobId = Annotated[int, PathParameter(ge=1, le=MAX_ROW_ID, description="a background job's id")]
LabelId = Annotated[int, PathParameter(ge=1, le=MAX_ROW_ID, description="a label's id")]
