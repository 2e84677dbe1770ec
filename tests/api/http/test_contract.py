"""Schemathesis against the OpenAPI document: every operation, as every kind of caller, with
generated valid and invalid input: no server error, and every answer as the document says."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

import api.services.retraining
from api.http.app import create_app
from api.services.accounts import create_user
from api.services.responders import read_profiles, upsert_responders
from api.settings import Settings
from tests.support import MATCHING

pytestmark = pytest.mark.slow  # hundreds of generated requests

ROLES = ("poster", "responder", "admin", "anonymous")
KEYS: dict[str, str] = {}
# The app object exists at import (the schema is read from it); its models load in the fixture.
APP = create_app(Settings(data_dir=Path(tempfile.mkdtemp(prefix="needmatch-contract-")) / "var",
                          rate_limit_per_minute=1_000_000, model_poll_seconds=0))
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
# The bulk import also takes JSON Lines: generated strings are sent as they are.
schemathesis.serializer.alias("application/x-ndjson", "text/plain")


@pytest.fixture(scope="module", autouse=True)
def running_app() -> Iterator[TestClient]:
    # A retrain would take minutes of both cores (and shutting down waits for it): the operation
    # answers 409 here instead. Schemathesis starts the app's lifespan again, building services
    # of its own, so every start-up in this module is made without a retrainer.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(api.services.retraining, "Retrainer", lambda *arguments, **keywords: None)
        with TestClient(APP) as client:
            services = client.app.state.services  # type: ignore[attr-defined]
            assert services.retrainer is None
            upsert_responders(services.sessions, read_profiles(MATCHING / "responders.jsonl"))
            KEYS["poster"] = create_user(services.sessions, "Contract Shelter", "poster")[1]
            KEYS["responder"] = create_user(services.sessions, "Contract Clinic", "responder", "r-001")[1]
            KEYS["admin"] = create_user(services.sessions, "Contract Network", "admin")[1]
            yield client


@schema.exclude(path="/v1/stream").parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_keeps_its_contract(case) -> None:  # type: ignore[no-untyped-def]
    for role in ROLES:  # each generated request as each kind of caller
        headers = {"Authorization": f"Bearer {KEYS[role]}"} if role in KEYS else {}
        case.call_and_validate(headers=headers, checks=[
            not_a_server_error, status_code_conformance, content_type_conformance,
            response_schema_conformance])
