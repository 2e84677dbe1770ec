"""The FastAPI application: models loaded once in the lifespan, routes thin."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.bootstrap import Services, build_services
from api.http.docs import DOCS_CONTENT_SECURITY_POLICY, DOCS_PATHS, install_docs
from api.http.errors import install_error_handlers
from api.http.metrics import LATENCY, REGISTRY, REQUESTS, RateLimiter
from api.http.openapi import install_openapi
from api.http.routes import account, admin, cases, health, narratives, needs, offers, responders
from api.services.accounts import hash_key
from api.services.jobs import wait_for_background_jobs
from api.settings import Settings

if TYPE_CHECKING:  # the Redis client is imported only when a Redis is configured
    from api.http.rate_limit import RequestLimit

logger = logging.getLogger("needmatch.api")
WEB = Path(__file__).resolve().parent / "web"

# The page loads only its own script and style sheet: no inline script, no framing. Images may
# also be blob: URLs (the held-out chart is fetched with the key, then shown from memory).
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; "
                           "img-src 'self' data: blob:; "
                           "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
                           "form-action 'none'")
SECURITY_HEADERS = [(b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
                    (b"referrer-policy", b"no-referrer")]


class SecurityHeaders:
    """Adds the security headers to every HTTP answer (a looser style policy on the API docs)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        docs = str(scope.get("path", "")).startswith(DOCS_PATHS)
        policy = DOCS_CONTENT_SECURITY_POLICY if docs else CONTENT_SECURITY_POLICY

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(b"content-security-policy", policy.encode())] + SECURITY_HEADERS
                message["headers"] = [*message.get("headers", []),
                                      *[(name, value) for name, value in extra if name not in present]]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def request_limit(settings: Settings) -> RequestLimit:
    """The per-key rate limit: counted on Redis when several servers share one, else in this process."""
    if not settings.redis_url:
        return RateLimiter(settings.rate_limit_per_minute)
    from api.http.rate_limit import RedisRateLimiter

    return RedisRateLimiter(settings.redis_url, settings.rate_limit_per_minute)


def create_app(
    settings: Settings | None = None, loader: Callable[[Settings], Services] = build_services,
    background: bool = False,
) -> FastAPI:
    """The app; `loader` builds the services at start-up (tests may hand over their own).

    With `background`, the server answers at once: /healthz says it is alive while the models
    load, /readyz and every route answer 503 (with Retry-After) until they are loaded.
    """
    settings = settings or Settings()

    def load(app: FastAPI) -> None:
        services = loader(settings)
        if services.follower is not None:
            services.follower.start(settings.model_poll_seconds)
            if settings.redis_url:
                services.follower.listen(settings.redis_url)
        if services.retention is not None:
            services.retention.start(settings.retention_check_seconds)
        app.state.services = services
        logger.info("service ready")

    def load_in_background(app: FastAPI) -> None:
        try:
            load(app)
        except Exception as error:  # noqa: BLE001 - readiness stays false; the log says why
            logger.error("the models could not be loaded: %s", type(error).__name__)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.services = None
        loading = None
        if background:
            loading = threading.Thread(target=load_in_background, args=(app,), name="load-models",
                                       daemon=True)
            loading.start()
        else:
            load(app)  # a failure stops the start-up
        yield
        if loading is not None:
            loading.join()
        services = app.state.services
        if services is not None and services.follower is not None:
            services.follower.stop()
        if services is not None and services.retention is not None:
            services.retention.stop()
        unfinished = wait_for_background_jobs(settings.shutdown_wait_seconds)
        if unfinished:  # their rows stay 'running' and are marked abandoned later
            logger.warning("%d background jobs still running at shutdown", unfinished)

    # A body past the limit is refused as it streams in (chunked too), not after it is read.
    app = FastAPI(title="needmatch", version="0.1.0", lifespan=lifespan, docs_url=None,
                  redoc_url=None, max_body_size=settings.max_narrative_chars * 4 + 65_536,
                  description="Legal-needs matching for people who fight human trafficking.")
    install_error_handlers(app)
    limiter = request_limit(settings)

    @app.middleware("http")
    async def limit_and_measure(request: Request, call_next):  # type: ignore[no-untyped-def]
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

    origins = [origin.strip() for origin in settings.cors_origins.split(",") if origin.strip()]
    if origins:  # closed unless configured
        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_credentials=False,
                           allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
                           allow_headers=["Authorization", "Content-Type", "Last-Event-ID",
                                          "Idempotency-Key"])
    app.add_middleware(SecurityHeaders)

    @app.get("/metrics", include_in_schema=False)
    def metrics() -> Response:
        """Prometheus metrics of this process."""
        return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)

    for router in (health.router, account.router, narratives.router, cases.router, needs.router,
                   offers.router,
                   responders.router, admin.router):
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=WEB), name="static")
    install_docs(app)
    install_openapi(app)

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        """The web page (plain HTML and JavaScript over this API; no build step)."""
        return FileResponse(WEB / "index.html")

    return app
