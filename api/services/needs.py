"""Needs, one legal category of a case each: read (audited), suggestions, status, invitations."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from api.services import policy
from api.services.cases import (
    EXAMPLE_STATUS,
    case_suggestions,
    need_event,
    needs_of,
    refresh_case_status,
    why_no_suggestion,
)
from api.services.errors import (
    CaseNotFound,
    NeedNotFound,
    NeedNotOpen,
    NotPermitted,
    ResponderNotFound,
    quoted,
)
from api.services.events import EventPublisher
from api.services.serving import ServingModel
from api.storage.tables import (
    Case,
    CaseAccess,
    Invitation,
    Need,
    Offer,
    Organization,
    Responder,
    User,
    utc_iso,
    utc_now,
)
from index.eligibility import eligible_categories
from index.matching import Suggestion
from index.responder_index import entry_from_profile

logger = logging.getLogger("needmatch.service")


def stored_need(session: Session, need_id: str) -> tuple[Need, Case]:
    """A need and its case."""
    need = session.get(Need, need_id)
    case = session.get(Case, need.case_id) if need is not None else None
    if need is None or case is None or case.status == EXAMPLE_STATUS:
        raise NeedNotFound(need_id)
    return need, case


def record_access(session: Session, user: User, cases: Sequence[Case], action: str) -> None:
    """Log reads of cases by responders and admins, for the posting organisation's audit log."""
    if user.role not in (policy.RESPONDER, policy.ADMIN):
        return
    organization = session.get(Organization, user.organization_id)
    reader = organization.name if organization is not None else ""
    for case in cases:
        session.add(CaseAccess(case_id=case.id, organization_id=case.organization_id,
                               user_id=user.id, role=user.role, reader=reader, action=action))


def _accepted(session: Session, user: User, need_ids: Sequence[str]) -> set[str]:
    """Of these needs, those on which the user's responder profile has an accepted offer."""
    if user.responder_id is None or not need_ids:
        return set()
    return set(session.scalars(select(Offer.need_id).where(
        Offer.need_id.in_(list(need_ids)), Offer.responder_id == user.responder_id,
        Offer.status == "accepted")))


def read_need(sessions: sessionmaker[Session], user: User, need_id: str
              ) -> tuple[Need, Case, list[Need]]:
    """A need this user may see, its case and the case's other needs; a responder's or an
    admin's read is logged for the posting organisation."""
    with sessions.begin() as session:
        need, case = stored_need(session, need_id)
        siblings = needs_of(session, [case.id])[case.id]
        accepted = bool(_accepted(session, user, [need.id]))
        policy.check_read_need(user, case, need, accepted)
        record_access(session, user, [case], f"read need {need.category}")
    return need, case, siblings


def suggestions_for(sessions: sessionmaker[Session], model: ServingModel, user: User,
                    need_id: str, k: int = 5) -> tuple[list[Suggestion], dict[str, Any] | None]:
    """Responders suggested for one need of the user's case; when there are none, which
    eligibility rule left nobody."""
    policy.require_role(user, policy.POSTER, policy.ADMIN)
    with sessions() as session:
        need, case = stored_need(session, need_id)
    policy.check_manage_need(user, case)
    found = case_suggestions(model, case, [need], k)[need.id]
    return found, None if found else why_no_suggestion(model, case, need.category)


def set_need_status(sessions: sessionmaker[Session], user: User, need_id: str,
                    status: str) -> tuple[Need, Case]:
    """Open, matched or closed, one need alone; the case's status follows its needs."""
    policy.require_role(user, policy.POSTER, policy.ADMIN)
    with sessions.begin() as session:
        need, case = stored_need(session, need_id)
        policy.check_manage_need(user, case)
        if case.status == "review" and status == "open":
            raise NeedNotOpen("the case is held for review: open the case (PATCH /v1/cases/"
                              f"{case.id}) once you have checked it")
        need.status = status
        session.flush()
        if case.status == "closed" and status == "open":
            case.status = "open"
        refresh_case_status(session, case)
    return need, case


def invite(sessions: sessionmaker[Session], bus: EventPublisher, user: User, need_id: str,
           responder_id: str) -> dict[str, Any]:
    """The advocate invites a responder to offer help on an open need; it is notified. Inviting
    again (after a decline, say) renews the invitation and notifies it again."""
    policy.require_role(user, policy.POSTER, policy.ADMIN)
    with sessions.begin() as session:
        need, case = stored_need(session, need_id)
        policy.check_manage_need(user, case)
        if need.status != "open" or case.status != "open":
            raise NeedNotOpen(f"need {quoted(need_id)} is {need.status}, not open: only an open "
                              "need takes invitations")
        if session.get(Responder, responder_id) is None:
            raise ResponderNotFound(responder_id)
        invitation = session.scalar(select(Invitation).where(
            Invitation.need_id == need_id, Invitation.responder_id == responder_id))
        if invitation is None:
            invitation = Invitation(need_id=need_id, responder_id=responder_id, invited_by=user.id)
            session.add(invitation)
        else:
            invitation.created_at, invitation.invited_by = utc_now(), user.id
        session.flush()
        view = {"id": invitation.id, "need_id": need_id, "case_id": case.id,
                "category": need.category, "responder_id": responder_id,
                "created_at": utc_iso(invitation.created_at)}
        event = {**view, "jurisdiction": case.jurisdiction, "urgency": case.urgency,
                 "survivor_languages": case.survivor_languages, "language": case.language}
    bus.publish(f"responder:{responder_id}", "invitation", event)
    logger.info("need %s: responder invited", need_id)
    return view


def invitations_for(sessions: sessionmaker[Session], user: User) -> list[dict[str, Any]]:
    """A responder's invitations on needs that are still open, newest first."""
    responder_id = policy.check_can_offer(user)
    with sessions() as session:
        rows = session.execute(
            select(Invitation, Need, Case).join(Need, Need.id == Invitation.need_id)
            .join(Case, Case.id == Need.case_id)
            .where(Invitation.responder_id == responder_id, Need.status == "open",
                   Case.status == "open")
            .order_by(Invitation.created_at.desc(), Invitation.id.desc())).all()
        return [{"id": invitation.id, "need_id": need.id, "case_id": case.id,
                 "category": need.category, "jurisdiction": case.jurisdiction,
                 "urgency": case.urgency, "created_at": utc_iso(invitation.created_at)}
                for invitation, need, case in rows]


def access_log(sessions: sessionmaker[Session], user: User, case_id: str, limit: int = 200
               ) -> list[CaseAccess]:
    """Who read this case (responders and admins), newest first: for its organisation or an
    admin. The log outlives the case's text."""
    policy.require_role(user, policy.POSTER, policy.ADMIN)
    with sessions() as session:
        rows = list(session.scalars(select(CaseAccess).where(CaseAccess.case_id == case_id)
                                    .order_by(CaseAccess.at.desc(), CaseAccess.id.desc())
                                    .limit(limit)))
        case = session.get(Case, case_id)
        owner = case.organization_id if case is not None else (
            rows[0].organization_id if rows else None)
    if case is None and not rows:
        raise CaseNotFound(case_id)
    if user.role != policy.ADMIN and owner != user.organization_id:
        raise NotPermitted("this case belongs to another organisation")
    return rows


def open_need_count(session: Session) -> int:
    """How many needs responders can offer on now."""
    return int(session.scalar(select(func.count()).select_from(Need).join(
        Case, Case.id == Need.case_id).where(Need.status == "open", Case.status == "open")) or 0)


def notify_of_open_needs(sessions: sessionmaker[Session], model: ServingModel,
                         bus: EventPublisher, responder_id: str, limit: int = 200) -> int:
    """Push to a new or changed responder profile the open needs it may now take (the category
    it practises, licensed where the need is, speaking the survivor's language, with capacity):
    a need nobody could take stays open for the profiles that come later. Returns how many."""
    labels = model.pipeline.classifier.labels
    thresholds = dict(zip(labels, (float(t) for t in model.pipeline.classifier.thresholds),
                          strict=True))
    with sessions() as session:
        responder = session.get(Responder, responder_id)
        if responder is None or responder.capacity <= 0:
            return 0
        entry = entry_from_profile(responder.profile(), responder.inferred_categories, thresholds)
        rows = session.execute(
            select(Need, Case).join(Case, Case.id == Need.case_id)
            .where(Need.status == "open", Case.status == "open",
                   Need.category.in_(entry.practised))
            .order_by(Case.created_at.desc()).limit(limit)).all()
    sent = 0
    for need, case in rows:
        if eligible_categories(case.jurisdiction, case.matching_languages(), [need.category],
                               entry.practised, entry.jurisdictions, entry.languages,
                               entry.capacity):
            bus.publish(f"responder:{responder_id}", "need",
                        {**need_event(case, need, None), "reason": "new_profile"})
            sent += 1
    logger.info("responder profile changed: %d open needs pushed", sent)
    return sent
