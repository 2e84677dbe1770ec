"""The one place where domain errors become HTTP answers (never a stack trace, never input text)."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.services.errors import (
    AuthenticationFailed,
    DomainError,
    InputTooLarge,
    InvalidInput,
    NotFoundError,
    NotPermitted,
    StateConflict,
)

logger = logging.getLogger("needmatch.api")

# Each kind of domain error and its status; the first kind an error is an instance of wins.
STATUS_BY_KIND: tuple[tuple[type[DomainError], int], ...] = (
    (AuthenticationFailed, 401),
    (NotPermitted, 403),
    (NotFoundError, 404),
    (StateConflict, 409),
    (InputTooLarge, 413),
    (InvalidInput, 422),
)


def status_of(error: DomainError) -> int:
    """The HTTP status of a domain error (400 for a kind not in the table)."""
    return next((status for kind, status in STATUS_BY_KIND if isinstance(error, kind)), 400)


def install_error_handlers(app: FastAPI) -> None:
    """Map every error to {"detail": ...} JSON without echoing what was sent."""

    @app.exception_handler(DomainError)
    async def domain_error(_: Request, error: DomainError) -> JSONResponse:
        status = status_of(error)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse({"detail": error.message}, status_code=status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, error: RequestValidationError) -> JSONResponse:
        # FastAPI's default answer echoes the input, which may be a narrative: leave it out.
        fields = [
            {"field": ".".join(str(part) for part in item["loc"] if part != "body"),
             "message": item["msg"]}
            for item in error.errors()
        ]
        return JSONResponse({"detail": "invalid request", "errors": fields}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, error: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"detail": error.detail}, status_code=error.status_code)

    @app.exception_handler(Exception)
    async def unexpected(_: Request, error: Exception) -> JSONResponse:
        logger.error("unexpected %s", type(error).__name__)
        return JSONResponse({"detail": "internal error; the request was not applied"},
                            status_code=500)
