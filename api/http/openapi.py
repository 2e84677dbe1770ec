"""The OpenAPI document as the API really answers: the project's error bodies for every
status a route can give, the bearer scheme, and the event stream's media type."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel


class FieldError(BaseModel):
    """One invalid field (its value is never echoed)."""

    field: str
    message: str


class ErrorOut(BaseModel):
    """Every error answer: a message a user can act on."""

    detail: str


class InvalidRequestOut(BaseModel):
    """A 422 answer: what is wrong with which field."""

    detail: str
    errors: list[FieldError]


# Statuses a /v1 route may answer besides its own, and what each means here.
ERROR_STATUSES = {
    "401": "missing or unknown API key (send 'Authorization: Bearer <key>')",
    "403": "the key's role or organisation may not do this",
    "404": "no such need, offer, responder, job or version",
    "409": "the request contradicts the current state (already decided, running, exists)",
    "413": "the narrative or the body is larger than the configured limit",
    "429": "too many requests for this key; the Retry-After header says when to retry",
    "503": "the database is unavailable, or the models are still loading; the Retry-After "
           "header says when to retry",
}


def _reference(name: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}


def install_openapi(app: FastAPI) -> None:
    """Replace FastAPI's generated document by one that describes the real answers."""

    def document() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        spec = get_openapi(title=app.title, version=app.version, description=app.description,
                           routes=app.routes)
        schemas = spec.setdefault("components", {}).setdefault("schemas", {})
        for model in (FieldError, ErrorOut, InvalidRequestOut):
            schemas[model.__name__] = model.model_json_schema(
                ref_template="#/components/schemas/{model}")
        for name in ("HTTPValidationError", "ValidationError"):
            schemas.pop(name, None)
        for path, operations in spec.get("paths", {}).items():
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                if path.startswith("/v1"):
                    responses["422"] = {
                        "description": "invalid request: the fields named in 'errors', or a body "
                                       "that is not UTF-8 JSON",
                        "content": _reference("InvalidRequestOut")}
                    for status, meaning in ERROR_STATUSES.items():
                        responses.setdefault(status, {"description": meaning,
                                                      "content": _reference("ErrorOut")})
                elif "422" in responses:
                    responses["422"]["content"] = _reference("InvalidRequestOut")
                if path == "/v1/stream" and method == "get":
                    responses["200"] = {
                        "description": "server-sent events ('need' for a responder, 'offer' for a "
                                       "poster); Last-Event-ID replays what was missed",
                        "content": {"text/event-stream": {"schema": {"type": "string"}}}}
        app.openapi_schema = spec
        return spec

    app.openapi = document  # type: ignore[method-assign]
