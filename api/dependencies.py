"""What routes receive: the loaded services and the calling user, through FastAPI dependencies."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Header, Request
from sqlalchemy.orm import Session, sessionmaker

from api.auth import user_for_key
from api.errors import Forbidden, NotAuthenticated
from api.events import EventBus
from api.live_model import ModelFollower
from api.matching_service import NeedmatchService
from api.model_registry import ModelRegistry
from api.retraining import Retrainer
from api.settings import Settings
from api.tables import User


@dataclass
class Services:
    """Everything loaded once at start-up (models, database) and shared by requests."""

    settings: Settings
    sessions: sessionmaker[Session]
    # Replaced as a whole when a promoted model is swapped in: a request reads it once.
    service: NeedmatchService
    bus: EventBus = field(default_factory=EventBus)
    registry: ModelRegistry | None = None
    retrainer: Retrainer | None = None
    follower: ModelFollower | None = None


def get_services(request: Request) -> Services:
    """The services loaded by the app's lifespan."""
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def get_user(services: ServicesDep, authorization: Annotated[str | None, Header()] = None) -> User:
    """The user whose key is in 'Authorization: Bearer <key>'."""
    if not authorization or not authorization.startswith("Bearer "):
        raise NotAuthenticated("missing API key: send 'Authorization: Bearer <key>'")
    with services.sessions() as session:
        user = user_for_key(session, authorization.removeprefix("Bearer ").strip())
    if user is None:
        raise NotAuthenticated("unknown API key: check it or ask an admin for a new one")
    return user


UserDep = Annotated[User, Depends(get_user)]


def require(user: User, *roles: str) -> None:
    """Refuse a user whose role is not among roles."""
    if user.role not in roles:
        raise Forbidden(f"this action is for {' or '.join(roles)} accounts; yours is {user.role}")
