"""Offers of help: a responder offers, the poster accepts or declines; contacts after acceptance."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api.services import policy
from api.services.cases import refresh_case_status
from api.services.errors import (
    AttestationMissing,
    CaseNotFound,
    ConflictNotAttested,
    NeedNotOpen,
    NoCapacity,
    OfferAlreadyDecided,
    OfferAlreadyMade,
    OfferNotFound,
    quoted,
)
from api.services.events import EventPublisher
from api.services.needs import stored_need
from api.storage.tables import (
    Case,
    Need,
    Offer,
    Organization,
    Responder,
    User,
    utc_iso,
    utc_now,
)


def _offer_json(offer: Offer, need: Need | None = None) -> dict[str, Any]:
    view: dict[str, Any] = {
        "id": offer.id, "need_id": offer.need_id, "responder_id": offer.responder_id,
        "status": offer.status, "no_conflict_attested": offer.no_conflict_attested,
        "created_at": utc_iso(offer.created_at)}
    if need is not None:
        view["case_id"], view["category"] = need.case_id, need.category
    return view


def offer_view(session: Session, offer: Offer, viewer: User) -> dict[str, Any]:
    """An offer as the viewer may see it: the other side's contacts only once accepted."""
    need, case = stored_need(session, offer.need_id)
    view = _offer_json(offer, need)
    responder = session.get(Responder, offer.responder_id)
    if responder is not None and viewer.role in ("poster", "admin"):
        # Who offers, as the suggestions name it (contacts only once accepted).
        view["responder"] = {"name": responder.name, "organization": responder.organization}
    if offer.status != "accepted":
        return view
    organization = session.get(Organization, case.organization_id)
    if viewer.role in ("poster", "admin") and responder is not None:
        view["responder_contact"] = {"name": responder.name, "organization": responder.organization,
                                     "email": responder.email, "phone": responder.phone}
    if viewer.role in ("responder", "admin") and organization is not None:
        view["poster_contact"] = {"organization": organization.name,
                                  "email": organization.contact_email,
                                  "phone": organization.contact_phone}
    return view


def make_offer(sessions: sessionmaker[Session], bus: EventPublisher, user: User, need_id: str,
               attested: bool) -> dict[str, Any]:
    """A responder account offers help on an open need, attesting it has no conflict of interest."""
    responder_id = policy.check_can_offer(user)
    if not attested:
        raise AttestationMissing(
            "an offer needs the no-conflict attestation: check that you represent no one on the other "
            "side (the trafficker, the employer), then send no_conflict_attested: true")
    with sessions.begin() as session:
        need, case = stored_need(session, need_id)
        if need.status != "open" or case.status != "open":
            status = need.status if case.status in ("open", "matched") else case.status
            raise NeedNotOpen(f"need {quoted(need_id)} is {status}, not open")
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
        view = _offer_json(offer, need)
        audience = f"organization:{case.organization_id}"
    bus.publish(audience, "offer", view)
    return view


def _offer_and_need(session: Session, offer_id: int) -> tuple[Offer, Need, Case]:
    offer = session.get(Offer, offer_id)
    if offer is None:
        raise OfferNotFound(offer_id)
    need, case = stored_need(session, offer.need_id)
    return offer, need, case


def decide(sessions: sessionmaker[Session], bus: EventPublisher, user: User, offer_id: int,
           accept: bool) -> dict[str, Any]:
    """Accept (needs the responder's no-conflict attestation) or decline a pending offer."""
    with sessions.begin() as session:
        offer, need, case = _offer_and_need(session, offer_id)
        policy.check_decide_offer(user, case)
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
            need.status = "matched"  # this need alone: the case's other needs stay open
        offer.status = "accepted" if accept else "declined"
        session.flush()
        refresh_case_status(session, case)
        view = offer_view(session, offer, user)
        responder_view = _offer_json(offer, need)
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
        return _offer_json(offer, session.get(Need, offer.need_id))


def read_offer(sessions: sessionmaker[Session], user: User, offer_id: int) -> dict[str, Any]:
    """One offer, for its responder, the posting organisation or an admin."""
    with sessions() as session:
        offer, _, case = _offer_and_need(session, offer_id)
        policy.check_read_offer(user, offer, case)
        return offer_view(session, offer, user)


def offers_for_need(sessions: sessionmaker[Session], user: User, need_id: str) -> list[dict[str, Any]]:
    """Offers on a need, for its organisation or an admin."""
    with sessions() as session:
        _, case = stored_need(session, need_id)
        policy.check_see_offers(user, case)
        offers = session.scalars(select(Offer).where(Offer.need_id == need_id).order_by(Offer.id))
        return [offer_view(session, offer, user) for offer in offers]


def offers_for_case(sessions: sessionmaker[Session], user: User, case_id: str
                    ) -> dict[str, list[dict[str, Any]]]:
    """Offers on each need of a case (need id -> offers), for its organisation or an admin."""
    with sessions() as session:
        case = session.get(Case, case_id)
        if case is None:
            raise CaseNotFound(case_id)
        policy.check_see_offers(user, case)
        found: dict[str, list[dict[str, Any]]] = {}
        for offer in session.scalars(select(Offer).join(Need, Need.id == Offer.need_id)
                                     .where(Need.case_id == case_id).order_by(Offer.id)):
            found.setdefault(offer.need_id, []).append(offer_view(session, offer, user))
        return found


def my_offers(sessions: sessionmaker[Session], user: User, status: str | None = None
              ) -> list[dict[str, Any]]:
    """A responder's own offers, newest first, each with its need's category, place and urgency
    (and, once accepted, the advocate's contact and the case's text)."""
    responder_id = policy.check_can_offer(user)
    with sessions() as session:
        query = (select(Offer, Need, Case).join(Need, Need.id == Offer.need_id)
                 .join(Case, Case.id == Need.case_id).where(Offer.responder_id == responder_id))
        if status is not None:
            query = query.where(Offer.status == status)
        views = []
        for offer, need, case in session.execute(query.order_by(Offer.created_at.desc(),
                                                                Offer.id.desc())):
            view = offer_view(session, offer, user)
            view.update(jurisdiction=case.jurisdiction, urgency=case.urgency,
                        need_status=need.status, deadlines=case.deadlines)
            if offer.status == "accepted":
                view["case_text"] = case.text
            views.append(view)
        return views
