"""The one place where domain errors become HTTP answers (never a stack trace, never input text)."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.services.errors import (
    AuthenticationFailed,
    DomainError,
    InputTooLarge,
    InvalidInput,
    NotFoundError,
    NotPermitted,
    StateConflict,
    Unavailable,
)
from nlp.encoding import EmptyText

logger = logging.getLogger("needmatch.api")

# Each kind of domain error and its status; the first kind an error is an instance of wins.
STATUS_BY_KIND: tuple[tuple[type[DomainError], int], ...] = (
    (AuthenticationFailed, 401),
    (NotPermitted, 403),
    (NotFoundError, 404),
    (StateConflict, 409),
    (InputTooLarge, 413),
    (InvalidInput, 422),
    (Unavailable, 503),
)


RETRY_AFTER_SECONDS = 5
# Driver errors that mean the server cannot be reached or stopped serving (psycopg, sqlite3).
_OUTAGE_ERRORS = {"OperationalError", "InterfaceError", "AdminShutdown", "CannotConnectNow",
                  "ConnectionTimeout", "ConnectionFailure"}


def _invalid(detail: str, errors: list[dict[str, str]]) -> JSONResponse:
    return JSONResponse({"detail": detail, "errors": errors}, status_code=422)


def status_of(error: DomainError) -> int:
    """The HTTP status of a domain error (400 for a kind not in the table)."""
    return next((status for kind, status in STATUS_BY_KIND if isinstance(error, kind)), 400)


def install_error_handlers(app: FastAPI) -> None:
    """Map every error to {"detail": ...} JSON without echoing what was sent."""

    @app.exception_handler(DomainError)
    async def domain_error(_: Request, error: DomainError) -> JSONResponse:
        status = status_of(error)
        if status == 422:  # every 422 names what to fix, as validation errors do
            return _invalid(error.message, [{"field": getattr(error, "field", "") or "body",
                                             "message": error.message}])
        headers = ({"WWW-Authenticate": "Bearer"} if status == 401 else
                   {"Retry-After": str(RETRY_AFTER_SECONDS)} if status == 503 else None)
        return JSONResponse({"detail": error.message}, status_code=status, headers=headers)

    @app.exception_handler(EmptyText)
    async def no_words(_: Request, error: EmptyText) -> JSONResponse:
        # Text of symbols only, or of characters of no script the sentence splitter reads
        # ("\U00018cd6"), passes the schema but leaves nothing to read.
        message = "has no words to read: send the narrative as plain text in a written language"
        return _invalid(f"text {message}", [{"field": "text", "message": message}])

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, error: RequestValidationError) -> JSONResponse:
        # FastAPI's default answer echoes the input, which may be a narrative: leave it out.
        problems = error.errors()
        malformed = [item for item in problems if item.get("type") == "json_invalid"]
        if malformed:
            position = malformed[0]["loc"][-1]
            return _invalid("the body is not valid JSON",
                            [{"field": "body", "message": f"malformed JSON near character {position}: "
                                                          "send one JSON object"}])
        fields = [
            {"field": ".".join(str(part) for part in item["loc"] if part != "body") or "body",
             "message": item["msg"]}
            for item in problems
        ]
        return _invalid("invalid request", fields)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, error: StarletteHTTPException) -> JSONResponse:
        if isinstance(error.__cause__, UnicodeDecodeError):
            return _invalid("the body is not UTF-8 text",
                            [{"field": "body", "message": "send JSON encoded as UTF-8"}])
        # Keep the headers Starlette sets (Allow on a 405, for one).
        return JSONResponse({"detail": error.detail}, status_code=error.status_code,
                            headers=error.headers)

    @app.exception_handler(DBAPIError)
    @app.exception_handler(PoolTimeout)
    async def database_unavailable(_: Request, error: Exception) -> JSONResponse:
        # Connection failures (and a full pool) are the database's outage, not the request's
        # fault: the client may retry; anything else from the driver is an internal error.
        if isinstance(error, DBAPIError) and not error.connection_invalidated and \
                type(error.orig).__name__ not in _OUTAGE_ERRORS:
            logger.error("database error %s", type(error.orig).__name__)
            return JSONResponse({"detail": "internal error; the request was not applied"},
                                status_code=500)
        logger.warning("database unavailable: %s", type(error).__name__)
        return JSONResponse({"detail": "the database is unavailable; retry shortly"},
                            status_code=503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})

    @app.exception_handler(Exception)
    async def unexpected(_: Request, error: Exception) -> JSONResponse:
        logger.error("unexpected %s", type(error).__name__)
        return JSONResponse({"detail": "internal error; the request was not applied"},
                            status_code=500)
