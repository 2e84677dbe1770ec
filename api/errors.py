"""Domain errors and their translation to HTTP answers (never a stack trace, never input text)."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

logger = logging.getLogger("needmatch.api")


class DomainError(Exception):
    """Base of errors a user can act on; status is the HTTP status."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotAuthenticated(DomainError):
    status = 401


class Forbidden(DomainError):
    status = 403


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


class PayloadTooLarge(DomainError):
    status = 413


class UnprocessableInput(DomainError):
    status = 422


def install_error_handlers(app: FastAPI) -> None:
    """Map every error to {"detail": ...} JSON without echoing what was sent."""

    @app.exception_handler(DomainError)
    async def domain_error(_: Request, error: DomainError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else None
        return JSONResponse({"detail": error.message}, status_code=error.status, headers=headers)

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
