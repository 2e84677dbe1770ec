"""Offers of help and the live event stream."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Query
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict

from api.http.dependencies import OfferId, ServicesDep, UserDep
from api.services import offers, policy

router = APIRouter(prefix="/v1")


class OfferCreate(BaseModel):
    """A responder's offer; it needs the no-conflict attestation (false or missing is refused)."""

    model_config = ConfigDict(extra="forbid")
    no_conflict_attested: bool = False


@router.post("/needs/{need_id}/offers", status_code=201)
def offer_help(need_id: str, body: OfferCreate, services: ServicesDep, user: UserDep) -> dict[str, Any]:
    """Offer help on an open need."""
    return offers.make_offer(services.sessions, services.bus, user, need_id,
                             body.no_conflict_attested)


@router.get("/needs/{need_id}/offers")
def list_offers(need_id: str, services: ServicesDep, user: UserDep) -> dict[str, Any]:
    """Offers on one of the organisation's needs."""
    return {"offers": offers.offers_for_need(services.sessions, user, need_id)}


@router.get("/offers")
def my_offers(
    services: ServicesDep, user: UserDep,
    status: Annotated[Literal["pending", "accepted", "declined"] | None, Query()] = None,
) -> dict[str, Any]:
    """A responder's own offers, newest first (the advocate's contact and the case once accepted)."""
    return {"offers": offers.my_offers(services.sessions, user, status)}


@router.get("/offers/{offer_id}")
def read_offer(offer_id: OfferId, services: ServicesDep, user: UserDep) -> dict[str, Any]:
    """One offer; contact details of the other side once accepted."""
    return offers.read_offer(services.sessions, user, offer_id)


@router.post("/offers/{offer_id}/attest")
def attest(offer_id: OfferId, services: ServicesDep, user: UserDep) -> dict[str, Any]:
    """The responder attests it has no conflict of interest."""
    return offers.attest(services.sessions, user, offer_id)


@router.post("/offers/{offer_id}/accept")
def accept(offer_id: OfferId, services: ServicesDep, user: UserDep) -> dict[str, Any]:
    """Accept an attested offer: this need is matched (the case's others stay open) and both
    sides see each other's contacts."""
    return offers.decide(services.sessions, services.bus, user, offer_id, accept=True)


@router.post("/offers/{offer_id}/decline")
def decline(offer_id: OfferId, services: ServicesDep, user: UserDep) -> dict[str, Any]:
    """Decline an offer."""
    return offers.decide(services.sessions, services.bus, user, offer_id, accept=False)


@router.get("/stream")
async def stream(
    services: ServicesDep, user: UserDep,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
) -> StreamingResponse:
    """Server-sent events: new matching needs for a responder, offer updates for a poster."""
    audiences = policy.stream_audiences(user)
    start = int(last_event_id) if last_event_id and last_event_id.isdigit() else 0
    return StreamingResponse(services.bus.subscribe(audiences, start),
                             media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
