"""Who may see and change what: every authorisation rule of the service, in one place.

Roles: a poster (an advocate's organisation) publishes needs and decides on their offers; a
responder offers help and keeps its own profile; an admin may do everything.
"""

from __future__ import annotations

from api.services.errors import NotPermitted
from api.storage.tables import Case, Need, Offer, User

POSTER, RESPONDER, ADMIN = "poster", "responder", "admin"


def require_role(user: User, *roles: str) -> None:
    """Refuse a user whose role is not among roles."""
    if user.role not in roles:
        raise NotPermitted(f"this action is for {' or '.join(roles)} accounts; yours is {user.role}")


def _owns(user: User, case: Case) -> bool:
    return user.role == POSTER and case.organization_id == user.organization_id


def check_read_need(user: User, case: Case, need: Need, accepted_responder: bool = False) -> None:
    """Its organisation and admins read a need; responders read open ones (of an open case), and
    a responder whose offer on it was accepted keeps reading it (the need is now its work)."""
    if user.role == ADMIN or _owns(user, case):
        return
    if user.role == RESPONDER and need.status == "open" and case.status == "open":
        return
    if user.role == RESPONDER and accepted_responder:
        return
    raise NotPermitted("this need belongs to another organisation")


def _check_posted_by(user: User, case: Case, refusal: str) -> None:
    """Only the organisation that posted the case, or an admin."""
    if user.role != ADMIN and not _owns(user, case):
        raise NotPermitted(refusal)


def check_manage_need(user: User, case: Case) -> None:
    """Its organisation and admins change a case or its needs and see their suggestions."""
    _check_posted_by(user, case, "this case belongs to another organisation")


def check_decide_offer(user: User, case: Case) -> None:
    """Only the organisation that posted the case (or an admin) accepts or declines its offers."""
    _check_posted_by(user, case, "only the organisation that posted the case decides on its offers")


def check_see_offers(user: User, case: Case) -> None:
    """Only the organisation that posted the case (or an admin) lists its offers."""
    _check_posted_by(user, case, "only the organisation that posted the case sees its offers")


def check_can_offer(user: User) -> str:
    """A responder account linked to a profile offers help; returns the profile's id."""
    if user.role != RESPONDER or user.responder_id is None:
        raise NotPermitted("only a responder account linked to a profile can offer help")
    return user.responder_id


def check_attest(user: User, offer: Offer) -> None:
    """Only the responder who made the offer attests on it."""
    if user.role != RESPONDER or user.responder_id != offer.responder_id:
        raise NotPermitted("only the responder who made the offer can attest")


def check_read_offer(user: User, offer: Offer, case: Case) -> None:
    """Its responder, the posting organisation or an admin reads an offer."""
    if user.role == RESPONDER:
        if user.responder_id != offer.responder_id:
            raise NotPermitted("this offer is another responder's")
        return
    check_decide_offer(user, case)


def check_own_profile(user: User, responder_id: str) -> None:
    """An admin, or the responder account linked to this profile."""
    if user.role == ADMIN or (user.role == RESPONDER and user.responder_id == responder_id):
        return
    raise NotPermitted("only an admin or the responder itself may do this")


def stream_audiences(user: User) -> list[str]:
    """The event audiences a user listens to: its profile's (responder) or its organisation's."""
    require_role(user, RESPONDER, POSTER)
    if user.role == RESPONDER:
        return [f"responder:{user.responder_id}"]
    return [f"organization:{user.organization_id}"]
