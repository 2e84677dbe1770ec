"""The FastAPI application: models loaded once in the lifespan, routes thin."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from api.bootstrap import Services, build_services
from api.http.errors import install_error_handlers
from api.http.metrics import LATENCY, REGISTRY, REQUESTS, RateLimiter
from api.http.routes import account, admin, health, narratives, needs, offers, responders
from api.services.accounts import hash_key
from api.settings import Settings

logger = logging.getLogger("needmatch.api")
WEB = Path(__file__).resolve().parent / "web"


def create_app(
    settings: Settings | None = None, loader: Callable[[Settings], Services] = build_services
) -> FastAPI:
    """The app; `loader` builds the services at start-up (tests may hand over their own)."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services = loader(settings)
        app.state.services = services
        if services.follower is not None:
            services.follower.start(settings.model_poll_seconds)
        logger.info("service ready")
        yield
        if services.follower is not None:
            services.follower.stop()

    app = FastAPI(title="needmatch", version="0.1.0", lifespan=lifespan,
                  description="Legal-needs matching for people who fight human trafficking.")
    install_error_handlers(app)
    byte_limit = settings.max_narrative_chars * 4 + 65_536

    limiter = RateLimiter(settings.rate_limit_per_minute)

    @app.middleware("http")
    async def guard_and_measure(request: Request, call_next):  # type: ignore[no-untyped-def]
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > byte_limit:
            return Response('{"detail": "request body too large"}', status_code=413,
                            media_type="application/json")
        authorization = request.headers.get("authorization", "")
        if authorization.startswith("Bearer "):
            # Keyed by a hash so that keys are never held in memory longer than needed.
            allowed, wait = limiter.allow(hash_key(authorization[7:].strip()))
            if not allowed:
                return Response('{"detail": "too many requests for this key; retry later"}',
                                status_code=429, media_type="application/json",
                                headers={"Retry-After": str(int(wait) + 1)})
        start = time.perf_counter()
        response = await call_next(request)
        route = request.scope.get("route")
        path = getattr(route, "path", "unmatched")
        REQUESTS.labels(request.method, path, str(response.status_code)).inc()
        LATENCY.labels(request.method, path).observe(time.perf_counter() - start)
        return response

    @app.get("/metrics", include_in_schema=False)
    def metrics() -> Response:
        """Prometheus metrics of this process."""
        return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)

    for router in (health.router, account.router, narratives.router, needs.router, offers.router,
                   responders.router, admin.router):
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=WEB), name="static")

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        """The web page (plain HTML and JavaScript over this API; no build step)."""
        return FileResponse(WEB / "index.html")

    return app
