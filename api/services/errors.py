"""Domain errors, named by what went wrong; `api/http/errors.py` maps them to HTTP statuses.

Every message is one a user can act on and never quotes input beyond a short identifier.
The web API and the command line both catch `DomainError`; neither needs to know the other.
"""

from __future__ import annotations

import unicodedata

QUOTE_LIMIT = 40


def quoted(value: object, limit: int = QUOTE_LIMIT) -> str:
    """A short, printable rendering of something the caller sent, for an error message: control
    and format characters dropped, at most `limit` characters, quoted. Never a whole input."""
    text = "".join(char for char in str(value) if unicodedata.category(char)[0] not in "CZ"
                   or char == " ")
    return f"'{text[:limit]}…'" if len(text) > limit else f"'{text}'"


class DomainError(Exception):
    """Base of errors a user can act on."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# -- kinds (each maps to one HTTP status in api/http/errors.py) ----------------------------
class AuthenticationFailed(DomainError):
    """The caller could not be identified (no key, or an unknown one)."""


class NotPermitted(DomainError):
    """The caller is known but may not do this (role, organisation, ownership)."""


class NotFoundError(DomainError):
    """What was asked for does not exist."""


class StateConflict(DomainError):
    """The request contradicts the current state (already decided, running, exists)."""


class InvalidInput(DomainError):
    """The request is well formed but its content cannot be used."""


class InputTooLarge(DomainError):
    """The input is larger than the configured limit."""


class Unavailable(DomainError):
    """The service cannot answer yet (its models are still loading); the client may retry."""


# -- not found ------------------------------------------------------------------------------
class NeedNotFound(NotFoundError):
    """No need with that id."""

    def __init__(self, need_id: str) -> None:
        super().__init__(f"no need with id {quoted(need_id)}")


class CaseNotFound(NotFoundError):
    """No case with that id."""

    def __init__(self, case_id: str) -> None:
        super().__init__(f"no case with id {quoted(case_id)}")


class LabelNotFound(NotFoundError):
    """No label with that id."""


class OfferNotFound(NotFoundError):
    """No offer with that id."""

    def __init__(self, offer_id: int) -> None:
        super().__init__(f"no offer with id {offer_id}")


class ResponderNotFound(NotFoundError):
    """No responder profile with that id."""

    def __init__(self, responder_id: str) -> None:
        super().__init__(f"no responder with id {quoted(responder_id)}")


class RetrainJobNotFound(NotFoundError):
    """No background job (retrain or reclassify) with that id."""

    def __init__(self, job_id: int) -> None:
        super().__init__(f"no retrain job {job_id}")


class UnknownVersion(NotFoundError):
    """No classifier version by that name."""


class ChartNotFound(NotFoundError):
    """A version made without a retrain has no held-out chart."""


# -- conflicts ------------------------------------------------------------------------------
class NeedNotOpen(StateConflict):
    """Offers are made on open needs only."""


class NeedIsExample(StateConflict):
    """An imported labelled example is not a request for help."""


class OfferAlreadyMade(StateConflict):
    """A responder offers once per need."""


class OfferAlreadyDecided(StateConflict):
    """An offer is accepted or declined once."""


class AttestationMissing(InvalidInput):
    """An offer is made only with the responder's no-conflict attestation."""


class ConflictNotAttested(StateConflict):
    """An offer is accepted only after the responder attests it has no conflict of interest."""


class NoCapacity(StateConflict):
    """The responder has no capacity left."""


class ResponderExists(StateConflict):
    """A profile with that id exists (replace it instead)."""


class CategoryExists(StateConflict):
    """Category ids are never reused."""


class JobRunning(StateConflict):
    """One background job of a kind at a time."""


class RetrainRunning(JobRunning):
    """One retrain at a time."""


class NothingToRollBack(StateConflict):
    """No earlier live version to go back to."""


class FeatureUnavailable(StateConflict):
    """This process was built without the part the request needs (e.g. no model registry)."""


# -- invalid input --------------------------------------------------------------------------
class UnknownCategory(InvalidInput):
    """A category that is neither in the taxonomy nor added."""


class InvalidLabels(InvalidInput):
    """A label decision that contradicts itself."""


class InvalidCategory(InvalidInput):
    """A new category whose id, label or description cannot be used."""


class ReasonRequired(InvalidInput):
    """A version the gate refused is made live by hand only with a stated reason."""


class IdentifierMismatch(NotPermitted):
    """The profile's id must be the one in the address."""


class InvalidImportRow(InvalidInput):
    """A row of a bulk import that cannot be used: the message names its line and field (never
    its text); `field` names the field."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class ImportTooLarge(InputTooLarge):
    """A bulk import with more bytes or rows than one job takes."""


class QueueUnavailable(Unavailable):
    """The job queue (Redis) could not take a job; nothing was started."""


class NarrativeTooLong(InputTooLarge):
    """The narrative is longer than the configured limit."""

    def __init__(self, length: int, limit: int) -> None:
        super().__init__(f"the narrative has {length} characters; the limit is {limit}")
