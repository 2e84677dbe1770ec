"""Liveness and readiness."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from api.http.dependencies import loaded_services

router = APIRouter()
logger = logging.getLogger("needmatch.api")


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process answers."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(request: Request) -> JSONResponse:
    """Models loaded, the database reachable and the responder index usable (a damaged one is
    rebuilt from the database here, so a ready service can match), and where that index lives
    (`responder_backend`: pgvector or faiss); with Redis configured, whether it answers (`redis`)."""
    services = loaded_services(request)
    checks = {"models": services is not None, "database": False, "responder_index": False}
    if services is None:  # still loading (a background start)
        return JSONResponse({"ready": False, "checks": checks}, status_code=503,
                            headers={"Retry-After": "2"})
    model = services.model
    try:
        with services.sessions() as session:
            session.execute(text("SELECT 1"))
        checks["database"] = True
        model.directory.index()
        checks["responder_index"] = True
    except Exception as error:  # noqa: BLE001 - any failure means not ready
        logger.warning("not ready: %s", type(error).__name__)
    ready = all(checks.values())
    body: dict[str, object] = {"ready": ready, "checks": checks,
                               "responder_backend": model.directory.backend}
    reachable = getattr(services.bus, "reachable", None)
    if reachable is not None:
        # Said, not required: without Redis, live events and queued jobs wait and the rate limit
        # lets requests through, but every stored thing still works; taking all servers out of
        # the load balancer for it would stop the whole service.
        body["redis"] = bool(reachable())
    return JSONResponse(body, status_code=200 if ready else 503)
