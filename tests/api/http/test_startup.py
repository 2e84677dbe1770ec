"""A background start: the server answers at once; routes say 503 until the models are loaded."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from fastapi.testclient import TestClient

from api.bootstrap import Services, build_services
from api.http.app import create_app
from api.services.accounts import create_user
from api.settings import Settings


def test_health_answers_while_the_models_load_and_routes_wait(tmp_path: Path) -> None:
    release = threading.Event()

    def slow_loader(settings: Settings) -> Services:
        release.wait(60)
        return build_services(settings)

    settings = Settings(data_dir=tmp_path / "var", model_poll_seconds=0)
    with TestClient(create_app(settings, loader=slow_loader, background=True)) as client:
        assert client.get("/healthz").status_code == 200
        ready = client.get("/readyz")
        assert ready.status_code == 503 and ready.json()["checks"]["models"] is False
        waiting = client.get("/v1/me", headers={"Authorization": "Bearer nm_anything"})
        assert waiting.status_code == 503 and waiting.headers["Retry-After"].isdigit()
        assert "starting" in waiting.json()["detail"]
        release.set()
        deadline = time.monotonic() + 120  # a guard against hanging, not a speed check
        while client.get("/readyz").status_code != 200:
            assert time.monotonic() < deadline, "the models never loaded"
            time.sleep(0.1)
        key = create_user(client.app.state.services.sessions, "Late Shelter", "poster")[1]  # type: ignore[attr-defined]
        assert client.get("/v1/me", headers={"Authorization": f"Bearer {key}"}).status_code == 200
