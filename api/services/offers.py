"""Offers of help: a responder offers, the poster accepts or declines; contacts after acceptance."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api.services import policy
from api.services.errors import (
    AttestationMissing,
    ConflictNotAttested,
    NeedNotFound,
    NeedNotOpen,
    NoCapacity,
    OfferAlreadyDecided,
    OfferAlreadyMade,
    OfferNotFound,
    quoted,
)
from api.services.events import EventBus
from api.storage.tables import Need, Offer, Organization, Responder, User, utc_now


def _offer_json(offer: Offer) -> dict[str, Any]:
    return {"id": offer.id, "need_id": offer.need_id, "responder_id": offer.responder_id,
            "status": offer.status, "no_conflict_attested": offer.no_conflict_attested,
            "created_at": offer.created_at.isoformat() if offer.created_at else None}


def offer_view(session: Session, offer: Offer, viewer: User) -> dict[str, Any]:
    """An offer as the viewer may see it: the other side's contacts only once accepted."""
    view = _offer_json(offer)
    if offer.status != "accepted":
        return view
    need = session.get(Need, offer.need_id)
    responder = session.get(Responder, offer.responder_id)
    organization = session.get(Organization, need.organization_id) if need else None
    if viewer.role in ("poster", "admin") and responder is not None:
        view["responder_contact"] = {"name": responder.name, "organization": responder.organization,
                                     "email": responder.email, "phone": responder.phone}
    if viewer.role in ("responder", "admin") and organization is not None:
        view["poster_contact"] = {"organization": organization.name,
                                  "email": organization.contact_email,
                                  "phone": organization.contact_phone}
    return view


def make_offer(sessions: sessionmaker[Session], bus: EventBus, user: User, need_id: str,
               attested: bool) -> dict[str, Any]:
    """A responder account offers help on an open need, attesting it has no conflict of interest."""
    responder_id = policy.check_can_offer(user)
    if not attested:
        raise AttestationMissing(
            "an offer needs the no-conflict attestation: check that you represent no one on the other "
            "side (the trafficker, the employer), then send no_conflict_attested: true")
    with sessions.begin() as session:
        need = session.get(Need, need_id)
        if need is None:
            raise NeedNotFound(need_id)
        if need.status != "open":
            raise NeedNotOpen(f"need {quoted(need_id)} is {need.status}, not open")
        responder = session.get(Responder, responder_id)
        if responder is None or responder.capacity <= 0:
            raise NoCapacity("your profile has no capacity left: raise it before offering")
        existing = session.scalar(select(Offer).where(Offer.need_id == need_id,
                                                      Offer.responder_id == responder.id))
        if existing is not None and existing.status != "declined":
            raise OfferAlreadyMade(f"you already offered help on this need (offer {existing.id})")
        if existing is not None:
            # A declined responder may offer again (the advocate may have declined too soon): the
            # same offer becomes pending again, so one responder holds one offer per need.
            offer = existing
            offer.status, offer.no_conflict_attested = "pending", attested
        else:
            offer = Offer(need_id=need_id, responder_id=responder.id, status="pending",
                          no_conflict_attested=attested)
            session.add(offer)
        session.flush()
        view = _offer_json(offer)
        audience = f"organization:{need.organization_id}"
    bus.publish(audience, "offer", view)
    return view


def _offer_and_need(session: Session, offer_id: int) -> tuple[Offer, Need]:
    offer = session.get(Offer, offer_id)
    if offer is None:
        raise OfferNotFound(offer_id)
    need = session.get(Need, offer.need_id)
    if need is None:
        raise NeedNotFound(offer.need_id)
    return offer, need


def decide(sessions: sessionmaker[Session], bus: EventBus, user: User, offer_id: int,
           accept: bool) -> dict[str, Any]:
    """Accept (needs the responder's no-conflict attestation) or decline a pending offer."""
    with sessions.begin() as session:
        offer, need = _offer_and_need(session, offer_id)
        policy.check_decide_offer(user, need)
        if offer.status != "pending":
            raise OfferAlreadyDecided(f"offer {offer_id} is already {offer.status}")
        if accept:
            if not offer.no_conflict_attested:
                raise ConflictNotAttested(
                    "the responder has not attested that it has no conflict of "
                    "interest; it must do so before the offer can be accepted")
            responder = session.get(Responder, offer.responder_id)
            if responder is None or responder.capacity <= 0:
                raise NoCapacity("the responder has no capacity left")
            responder.capacity -= 1
            responder.last_referral_at = utc_now()
            need.status = "matched"
        offer.status = "accepted" if accept else "declined"
        session.flush()
        view = offer_view(session, offer, user)
        responder_view = _offer_json(offer)
    bus.publish(f"responder:{offer.responder_id}", "offer", responder_view)
    return view


def attest(sessions: sessionmaker[Session], user: User, offer_id: int) -> dict[str, Any]:
    """The responder attests it has no conflict of interest on this need."""
    with sessions.begin() as session:
        offer = session.get(Offer, offer_id)
        if offer is None:
            raise OfferNotFound(offer_id)
        policy.check_attest(user, offer)
        offer.no_conflict_attested = True
        return _offer_json(offer)


def read_offer(sessions: sessionmaker[Session], user: User, offer_id: int) -> dict[str, Any]:
    """One offer, for its responder, the posting organisation or an admin."""
    with sessions() as session:
        offer, need = _offer_and_need(session, offer_id)
        policy.check_read_offer(user, offer, need)
        return offer_view(session, offer, user)


def offers_for_need(sessions: sessionmaker[Session], user: User, need_id: str) -> list[dict[str, Any]]:
    """Offers on a need, for its organisation or an admin."""
    with sessions() as session:
        need = session.get(Need, need_id)
        if need is None:
            raise NeedNotFound(need_id)
        policy.check_see_offers(user, need)
        offers = session.scalars(select(Offer).where(Offer.need_id == need_id).order_by(Offer.id))
        return [offer_view(session, offer, user) for offer in offers]
