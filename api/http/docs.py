"""The API's documentation pages (Swagger UI at /docs, ReDoc at /redoc), served from this
machine: their scripts come from the fastapi-offline package, so no page loads from a CDN."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/docs-assets"

_SWAGGER = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>needmatch API</title>
<link rel="stylesheet" href="{ASSETS}/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="{ASSETS}/swagger-ui-bundle.js"></script>
<script src="/static/docs.js"></script></body></html>
"""
_REDOC = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>needmatch API</title></head>
<body><redoc spec-url="/openapi.json"></redoc>
<script src="{ASSETS}/redoc.standalone.js"></script></body></html>
"""
# Swagger UI and ReDoc set styles inline and ReDoc searches in a worker made from a blob: their
# pages get this policy; every other page and answer gets the strict one.
DOCS_CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                                "img-src 'self' data:; worker-src 'self' blob:; frame-ancestors 'none'; "
                                "base-uri 'none'; form-action 'none'")
DOCS_PATHS = ("/docs", "/redoc", ASSETS)


def install_docs(app: FastAPI) -> None:
    """Serve /docs and /redoc with locally installed assets."""
    assets = Path(str(files("fastapi_offline") / "static"))
    app.mount(ASSETS, StaticFiles(directory=assets), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def swagger() -> HTMLResponse:
        """Swagger UI over /openapi.json."""
        return HTMLResponse(_SWAGGER)

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        """ReDoc over /openapi.json."""
        return HTMLResponse(_REDOC)
