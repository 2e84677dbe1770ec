"""The web API through HTTP: accounts and roles, needs, responders, errors and privacy."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.http.app import create_app
from api.services.accounts import create_user
from api.services.responders import read_profiles, upsert_responders
from api.settings import Settings
from tests.support import case_body, need_of

MATCHING = Path(__file__).resolve().parents[2] / "training" / "data" / "matching"
NARRATIVE = (
    "Houston. Maria Guadalupe Soto (DOB 04/12/1990, phone 713-555-0164, maria.soto@example.org) "
    "was trafficked by her husband Carlos Mejia, who kept her passport. She wants a divorce and "
    "custody of her two children, and a T visa. Her A-number is A-204-556-781."
)
SECRETS = ["Maria Guadalupe Soto", "04/12/1990", "713-555-0164", "maria.soto@example.org",
           "Carlos Mejia", "A-204-556-781"]


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def client(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The whole API on the embedded default and on PostgreSQL (a fresh database each)."""
    data_dir = tmp_path_factory.mktemp("service") / "var"
    database = request.getfixturevalue("module_postgres_url") if request.param == "postgresql" else ""
    settings = Settings(data_dir=data_dir, max_narrative_chars=5000, database_url=database)
    # Every log line of the module's requests lands under the data directory, which the last
    # test scans for identifying details.
    (data_dir / "logs").mkdir(parents=True)
    handler = logging.FileHandler(data_dir / "logs" / "all.log")
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    with TestClient(create_app(settings)) as test_client:
        services = test_client.app.state.services  # type: ignore[attr-defined]
        upsert_responders(services.sessions, read_profiles(MATCHING / "responders.jsonl"))
        yield test_client
    root.removeHandler(handler)
    root.setLevel(previous_level)
    handler.close()


@pytest.fixture(scope="module")
def keys(client: TestClient) -> dict[str, str]:
    sessions = client.app.state.services.sessions  # type: ignore[attr-defined]
    return {
        "poster": create_user(sessions, "Shelter A", "poster")[1],
        "other_poster": create_user(sessions, "Shelter B", "poster")[1],
        "responder": create_user(sessions, "Clinic R", "responder", "r-001")[1],
        "other_responder": create_user(sessions, "Clinic S", "responder", "r-002")[1],
        "admin": create_user(sessions, "Network", "admin")[1],
    }


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture(scope="module")
def published(client: TestClient, keys: dict[str, str]) -> dict:
    # The advocate's review: the classifier's categories, with the T visa added if it missed it.
    preview = client.post("/v1/needs/preview", headers=auth(keys["poster"]),
                          json={"text": NARRATIVE}).json()
    categories = list(dict.fromkeys([*preview["labels"], "immigration_relief"]))
    response = client.post("/v1/cases", headers=auth(keys["poster"]),
                           json=case_body(NARRATIVE, categories=categories))
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture(scope="module")
def need(published: dict) -> dict:
    """The published case's immigration need (nobody in the directory does family law in Texas)."""
    return need_of(published, "immigration_relief")


def test_health_needs_no_key_and_ready_checks(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["checks"] == {
        "models": True, "database": True, "responder_index": True}


@pytest.mark.parametrize("header", [{}, {"Authorization": "Bearer nm_wrong"}, {"Authorization": "x"}])
def test_missing_or_wrong_key_is_401(client: TestClient, header: dict[str, str]) -> None:
    response = client.post("/v1/needs/preview", headers=header, json={"text": "hello"})
    assert response.status_code == 401 and "key" in response.json()["detail"]


def test_preview_contract_and_nothing_stored(client: TestClient, keys: dict[str, str]) -> None:
    services = client.app.state.services  # type: ignore[attr-defined]
    from sqlalchemy import func, select

    from api.storage.tables import Case

    with services.sessions() as session:
        before = session.scalar(select(func.count()).select_from(Case))
    response = client.post("/v1/needs/preview", headers=auth(keys["poster"]),
                           json={"text": NARRATIVE, "jurisdiction": "US-TX"})
    assert response.status_code == 200
    body = response.json()
    assert {"redacted_text", "entities", "labels", "scores", "evidence"} <= set(body)
    assert not [secret for secret in SECRETS if secret in body["redacted_text"]]
    for entity in body["entities"]:
        assert NARRATIVE[entity["start"] : entity["end"]]  # offsets into what was sent
    assert "family_law" in body["labels"]
    with services.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == before


def test_publish_redacts_again_and_suggests_per_need(published: dict) -> None:
    assert published["id"].startswith("case-") and published["status"] == "open"
    assert not [secret for secret in SECRETS if secret in published["text"]]
    assert "family_law" in published["labels"]
    # One need per category the advocate confirmed, each matched apart.
    confirmed = sorted({*published["labels"], "immigration_relief"})
    assert sorted(n["category"] for n in published["needs"]) == confirmed
    added = {} if "immigration_relief" in published["labels"] else {"immigration_relief": True}
    immigration = need_of(published, "immigration_relief")
    assert immigration["status"] == "open"
    assert immigration["source"] == ("advocate" if added else "classifier")
    first = immigration["suggestions"][0]
    assert {"responder_id", "score", "explanation"} <= set(first)
    assert first["explanation"]["categories_in_common"] == ["immigration_relief"]
    # Nobody does family law in Texas in this directory: that need says so, and stays open.
    family = need_of(published, "family_law")
    assert family["suggestions"] == [] and family["status"] == "open"
    assert family["no_suggestion"]["reason"] == "nobody_licensed_here"
    assert published["consent"]["scope"] and published["field_labels"] == added


def test_suggestions_route(client: TestClient, keys: dict[str, str], need: dict) -> None:
    response = client.get(f"/v1/needs/{need['id']}/suggestions?k=3", headers=auth(keys["poster"]))
    assert response.status_code == 200
    suggestions = response.json()["suggestions"]
    assert 1 <= len(suggestions) <= 3
    assert all(s["explanation"]["categories_in_common"] for s in suggestions)
    # Named, with where they practise, their languages and remaining capacity; no contact.
    profiles = {row["id"]: row for row in map(json.loads, (MATCHING / "responders.jsonl").open())}
    for suggestion in suggestions:
        card, profile = suggestion["responder"], profiles[suggestion["responder_id"]]
        assert (card["name"], card["organization"]) == (profile["name"], profile["organization"])
        assert card["languages"] == profile["languages"] and card["capacity"] >= 1
        assert "contact" not in card and "email" not in json.dumps(card)


# Every route x every kind of caller: the status each must get. "{id}" is a need of the
# poster's organisation and "{case}" its case, "{rid}" the responder account's own profile,
# "r-002" someone else's.
ROUTES = [
    ("GET", "/v1/me"), ("POST", "/v1/redact"), ("POST", "/v1/classify"),
    ("POST", "/v1/needs/preview"), ("POST", "/v1/cases"), ("GET", "/v1/cases"),
    ("GET", "/v1/cases/{case}"), ("PATCH", "/v1/cases/{case}"), ("GET", "/v1/cases/{case}/access"),
    ("GET", "/v1/needs/{id}"),
    ("GET", "/v1/needs/{id}/suggestions"), ("PATCH", "/v1/needs/{id}"),
    ("POST", "/v1/needs/{id}/invitations"), ("GET", "/v1/invitations"), ("GET", "/v1/offers"),
    ("GET", "/v1/needs/search?q=divorce"), ("GET", "/v1/needs/{id}/offers"),
    ("GET", "/v1/responders/r-001"), ("GET", "/v1/responders/r-002"),
    ("POST", "/v1/responders"), ("GET", "/v1/stream"), ("GET", "/v1/admin/models"),
    ("GET", "/v1/admin/cases"), ("GET", "/v1/categories"), ("POST", "/v1/admin/categories"),
    ("GET", "/v1/admin/field-labels"),
    ("GET", "/v1/admin/labels/suggest?k=2"), ("GET", "/v1/admin/retrain"),
    ("GET", "/v1/admin/retrain/999999"), ("POST", "/v1/admin/models/rollback"),
    ("POST", "/v1/admin/models/vnone/promote"), ("GET", "/v1/admin/models/vnone/chart"),
    ("POST", "/v1/admin/cases/reclassify"), ("GET", "/v1/admin/jobs/999999"),
]
EXPECTED = {  # poster, other_poster, responder, admin, no key
    ("GET", "/v1/me"): (200, 200, 200, 200, 401),
    ("POST", "/v1/redact"): (200, 200, 403, 200, 401),
    ("POST", "/v1/classify"): (200, 200, 403, 200, 401),
    ("POST", "/v1/needs/preview"): (200, 200, 403, 200, 401),
    ("POST", "/v1/cases"): (201, 201, 403, 201, 401),
    ("GET", "/v1/cases"): (200, 200, 403, 200, 401),
    ("GET", "/v1/cases/{case}"): (200, 403, 403, 200, 401),
    ("PATCH", "/v1/cases/{case}"): (200, 403, 403, 200, 401),
    ("GET", "/v1/cases/{case}/access"): (200, 403, 403, 200, 401),
    ("GET", "/v1/needs/{id}"): (200, 403, 200, 200, 401),
    ("POST", "/v1/needs/{id}/invitations"): (201, 403, 403, 201, 401),
    ("GET", "/v1/invitations"): (403, 403, 200, 403, 401),
    ("GET", "/v1/offers"): (403, 403, 200, 403, 401),
    ("GET", "/v1/needs/{id}/suggestions"): (200, 403, 403, 200, 401),
    ("PATCH", "/v1/needs/{id}"): (200, 403, 403, 200, 401),
    ("GET", "/v1/needs/search?q=divorce"): (403, 403, 200, 200, 401),
    ("GET", "/v1/needs/{id}/offers"): (200, 403, 403, 200, 401),
    ("GET", "/v1/responders/r-001"): (403, 403, 200, 200, 401),
    ("GET", "/v1/responders/r-002"): (403, 403, 403, 200, 401),
    ("POST", "/v1/responders"): (403, 403, 403, 201, 401),
    ("GET", "/v1/stream"): (200, 200, 200, 403, 401),
    ("GET", "/v1/admin/models"): (403, 403, 403, 200, 401),
    ("GET", "/v1/admin/cases"): (403, 403, 403, 200, 401),
    ("GET", "/v1/admin/field-labels"): (403, 403, 403, 200, 401),
    ("GET", "/v1/categories"): (200, 200, 200, 200, 401),
    ("POST", "/v1/admin/categories"): (403, 403, 403, 201, 401),
    ("GET", "/v1/admin/labels/suggest?k=2"): (403, 403, 403, 200, 401),
    ("GET", "/v1/admin/retrain"): (403, 403, 403, 200, 401),
    ("GET", "/v1/admin/retrain/999999"): (403, 403, 403, 404, 401),
    ("POST", "/v1/admin/models/rollback"): (403, 403, 403, 409, 401),  # nothing to roll back to
    ("POST", "/v1/admin/models/vnone/promote"): (403, 403, 403, 404, 401),
    ("GET", "/v1/admin/models/vnone/chart"): (403, 403, 403, 404, 401),
    ("POST", "/v1/admin/cases/reclassify"): (403, 403, 403, 202, 401),  # a background job
    ("GET", "/v1/admin/jobs/999999"): (403, 403, 403, 404, 401),
}
CALLERS = ["poster", "other_poster", "responder", "admin", None]


def _body(method: str, path: str, caller: str | None) -> dict | None:
    if path == "/v1/cases":
        return case_body("She needs a divorce.")
    if path.endswith("/invitations"):
        return {"responder_id": "r-002"}
    if path == "/v1/admin/categories":
        return {"id": f"matrix_{caller}", "label": "Matrix", "description": "A test category."}
    if path.endswith("/promote"):
        return {"reason": "matrix"}
    if path.endswith(("/rollback", "/reclassify")):
        return None
    if path == "/v1/responders":
        return {"id": f"r-matrix-{caller}", "name": "M", "expertise": "Divorce work.",
                "jurisdictions": ["US-TX"], "languages": ["en"], "capacity": 1}
    if method == "POST":
        return {"text": "She needs a divorce."}
    if method == "PATCH":
        return {"status": "open"}
    return None


@pytest.mark.parametrize(("method", "path"), ROUTES)
@pytest.mark.parametrize("caller", range(len(CALLERS)))
def test_role_matrix(client: TestClient, keys: dict[str, str], published: dict, need: dict,
                     method: str, path: str, caller: int) -> None:
    name = CALLERS[caller]
    headers = auth(keys[name]) if name else {}
    url = path.format(id=need["id"], case=published["id"])
    if path == "/v1/stream":
        with client.stream(method, url, headers={**headers, "Last-Event-ID": "999999"}) as response:
            status = response.status_code
    else:
        status = client.request(method, url, headers=headers, json=_body(method, path, name)).status_code
    assert status == EXPECTED[(method, path)][caller], (name, method, path)


def test_the_matrix_covers_every_v1_route(client: TestClient) -> None:
    routes = {(method, route.path) for route in client.app.routes  # type: ignore[attr-defined]
              for method in getattr(route, "methods", ()) if route.path.startswith("/v1")}
    covered = {(method, path.split("?")[0].replace("{id}", "{need_id}").replace("{case}", "{case_id}"))
               for method, path in ROUTES}
    covered |= {(m, p) for m, p in routes if "offers/{offer_id}" in p or p.endswith("{responder_id}")}
    covered |= {("DELETE", "/v1/cases/{case_id}"), ("POST", "/v1/needs/{need_id}/offers"),
                ("POST", "/v1/admin/cases/{case_id}/labels"),
                ("POST", "/v1/admin/field-labels/{label_id}"),  # tests/api/test_cases.py
                ("POST", "/v1/admin/retrain"),  # tests/api/test_retraining.py
                ("POST", "/v1/admin/models/{version}/promote"),
                ("GET", "/v1/admin/models/{version}/chart"), ("GET", "/v1/admin/retrain/{job_id}"),
                # tests/api/test_import_jobs.py (admin only: 403 for posters and responders)
                ("POST", "/v1/admin/cases/import"), ("POST", "/v1/admin/jobs/reembed")}
    missing = sorted(route for route in routes if route not in covered)
    assert missing == [], "routes without a role check in the matrix or their own tests"


def test_errors_are_clear_and_never_echo_input(client: TestClient, keys: dict[str, str]) -> None:
    headers = auth(keys["poster"])
    too_long = client.post("/v1/needs/preview", headers=headers, json={"text": "a" * 5001})
    assert too_long.status_code == 413 and "5000" in too_long.json()["detail"]
    huge = client.post("/v1/needs/preview", headers=headers, content=b"x" * 100_000)
    assert huge.status_code == 413
    invalid = client.post("/v1/cases", headers=headers, json={
        **case_body(NARRATIVE), "jurisdiction": "Texas", "language": "english", "urgency": "now"})
    assert invalid.status_code == 422
    fields = {error["field"] for error in invalid.json()["errors"]}
    assert {"jurisdiction", "language", "urgency"} <= fields
    assert not [s for s in SECRETS if s in invalid.text]
    malformed = client.post("/v1/cases", headers={**headers, "Content-Type": "application/json"},
                            content=b'{"text": "Maria Guadalupe Soto called', )
    assert malformed.status_code == 422 and "Maria" not in malformed.text
    binary = client.post("/v1/redact", headers=headers, json={"text": "a\u0000b"})
    assert binary.status_code == 422 and "control characters" in binary.text
    empty = client.post("/v1/redact", headers=headers, json={"text": "   "})
    assert empty.status_code == 422
    # A character of no script the sentence splitter reads passes the schema but has no words
    # (found by the contract test): a clear 422, not a 500.
    for path in ("/v1/classify", "/v1/needs/preview", "/v1/cases"):
        body = case_body("\U00018cd6") if path == "/v1/cases" else {"text": "\U00018cd6"}
        wordless = client.post(path, headers=headers, json=body)
        assert wordless.status_code == 422, (path, wordless.text)
        assert wordless.json()["errors"][0]["field"] == "text"
    missing = client.get("/v1/needs/need-nope", headers=headers)
    assert missing.status_code == 404 and "need-nope" in missing.json()["detail"]


def test_status_update_and_delete_for_good(client: TestClient, keys: dict[str, str]) -> None:
    headers = auth(keys["poster"])
    created = client.post("/v1/cases", headers=headers, json=case_body(
        "Her employer never paid her for a year of farm work in Texas.",
        categories=["wage_claims"])).json()
    wages = need_of(created, "wage_claims")
    patched = client.patch(f"/v1/needs/{wages['id']}", headers=headers, json={"status": "closed"})
    assert patched.status_code == 200 and patched.json()["status"] == "closed"
    assert client.get(f"/v1/cases/{created['id']}", headers=headers).json()["status"] == "closed"
    bad = client.patch(f"/v1/needs/{wages['id']}", headers=headers, json={"status": "gone"})
    assert bad.status_code == 422
    assert client.delete(f"/v1/cases/{created['id']}", headers=headers).status_code == 204
    assert client.get(f"/v1/cases/{created['id']}", headers=headers).status_code == 404
    assert client.get(f"/v1/needs/{wages['id']}", headers=headers).status_code == 404
    found = client.get("/v1/needs/search?q=farm work unpaid", headers=auth(keys["admin"])).json()
    assert wages["id"] not in [r["need_id"] for r in found["results"]]


def test_responder_profiles(client: TestClient, keys: dict[str, str]) -> None:
    profile = {"id": "r-api", "name": "API Clinic", "expertise": "We vacate trafficking convictions.",
               "jurisdictions": ["US-NY"], "languages": ["en"], "capacity": 2}
    assert client.post("/v1/responders", headers=auth(keys["responder"]), json=profile).status_code == 403
    created = client.post("/v1/responders", headers=auth(keys["admin"]), json=profile)
    assert created.status_code == 201 and created.json()["id"] == "r-api"
    assert created.json()["inferred_categories"]
    again = client.post("/v1/responders", headers=auth(keys["admin"]), json=profile)
    assert again.status_code == 409
    own = client.put("/v1/responders/r-001", headers=auth(keys["responder"]), json={
        **{k: v for k, v in json.loads((MATCHING / "responders.jsonl").read_text().splitlines()[0]).items()
           if k != "true_categories"}, "capacity": 7})
    assert own.status_code == 200 and own.json()["capacity"] == 7
    bad = client.post("/v1/responders", headers=auth(keys["admin"]), json={**profile, "id": "r-x",
                                                                          "jurisdictions": ["Texas"]})
    assert bad.status_code == 422
    assert client.delete("/v1/responders/r-api", headers=auth(keys["admin"])).status_code == 204
    assert client.get("/v1/responders/r-api", headers=auth(keys["admin"])).status_code == 404


def _events(client: TestClient, key: str, last_event_id: str, count: int) -> list[dict]:
    """The first `count` events of a stream (replayed ones come first)."""
    events: list[dict] = []
    event: dict = {}
    headers = {**auth(key), "Last-Event-ID": last_event_id}
    with client.stream("GET", "/v1/stream", headers=headers) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        for line in response.iter_lines():
            if line.startswith("id: "):
                event = {"id": line[4:]}
            elif line.startswith("event: "):
                event["event"] = line[7:]
            elif line.startswith("data: "):
                event["data"] = json.loads(line[6:])
                events.append(event)
                if len(events) == count:
                    break
    return events





def test_offer_accept_contacts_and_live_events(client: TestClient, keys: dict[str, str]) -> None:
    sessions = client.app.state.services.sessions  # type: ignore[attr-defined]
    create_user(sessions, "Shelter A", "poster", contact_email="intake@shelter-a.example.org")
    poster, responder = auth(keys["poster"]), auth(keys["responder"])
    case = client.post("/v1/cases", headers=poster, json=case_body(
        "Houston. She needs a T visa and wants to bring her two children from Honduras.",
        language=None, survivor_languages=["es"], categories=["immigration_relief"])).json()
    need = need_of(case, "immigration_relief")
    assert "r-001" in [s["responder_id"] for s in need["suggestions"]]
    # The responder's stream replays the new matching need (after any earlier ones).
    mine = [e for e in client.app.state.services.bus._history  # type: ignore[attr-defined]
            if e.audience == "responder:r-001"]
    pushed = _events(client, keys["responder"], "0", len(mine))[-1]
    assert pushed["event"] == "need" and pushed["data"]["need_id"] == need["id"]
    # No offer without the no-conflict attestation.
    unattested = client.post(f"/v1/needs/{need['id']}/offers", headers=responder, json={})
    assert unattested.status_code == 422 and "attestation" in unattested.json()["detail"]
    offer = client.post(f"/v1/needs/{need['id']}/offers", headers=responder,
                        json={"no_conflict_attested": True})
    assert offer.status_code == 201
    offer_id = offer.json()["id"]
    assert client.post(f"/v1/needs/{need['id']}/offers", headers=responder,
                       json={"no_conflict_attested": True}).status_code == 409
    assert client.post(f"/v1/needs/{need['id']}/offers", headers=poster, json={}).status_code == 403
    # The poster's stream carries the offer.
    update = _events(client, keys["poster"], "0", 1)[0]
    assert update["event"] == "offer" and update["data"]["id"] == offer_id
    # Reconnecting after that event does not replay it.
    later = need_of(client.post("/v1/cases", headers=poster, json=case_body(
        "Dallas. Needs a T visa application, has no lawyer.",
        categories=["immigration_relief"])).json(), "immigration_relief")
    second = client.post(f"/v1/needs/{later['id']}/offers", headers=responder,
                         json={"no_conflict_attested": True}).json()
    assert _events(client, keys["poster"], update["id"], 1)[0]["data"]["id"] == second["id"]
    # Pending: contacts stay hidden.
    pending = client.get(f"/v1/offers/{offer_id}", headers=poster).json()
    assert "responder_contact" not in pending
    assert client.post(f"/v1/offers/{offer_id}/attest", headers=auth(keys["poster"])).status_code == 403
    assert client.post(f"/v1/offers/{offer_id}/attest", headers=responder).status_code == 200
    assert client.post(f"/v1/offers/{offer_id}/accept", headers=auth(keys["other_poster"])).status_code == 403
    before = client.get("/v1/responders/r-001", headers=responder).json()["capacity"]
    accepted = client.post(f"/v1/offers/{offer_id}/accept", headers=poster)
    assert accepted.status_code == 200
    assert accepted.json()["responder_contact"]["name"]
    seen_by_responder = client.get(f"/v1/offers/{offer_id}", headers=responder).json()
    assert seen_by_responder["poster_contact"]["email"] == "intake@shelter-a.example.org"
    assert client.get(f"/v1/needs/{need['id']}", headers=poster).json()["status"] == "matched"
    # The accepted responder keeps the case; another responder no longer sees a matched need.
    assert client.get(f"/v1/needs/{need['id']}", headers=responder).json()["status"] == "matched"
    assert client.get(f"/v1/needs/{need['id']}", headers=auth(keys["other_responder"])).status_code == 403
    assert client.get("/v1/responders/r-001", headers=responder).json()["capacity"] == before - 1
    assert client.post(f"/v1/offers/{offer_id}/decline", headers=poster).status_code == 409
    listed = client.get(f"/v1/needs/{need['id']}/offers", headers=poster).json()["offers"]
    assert [o["status"] for o in listed] == ["accepted"]
    # The survivor's details never appear in an offer.
    assert not [s for s in SECRETS if s in json.dumps(listed)]
    # A declined responder may offer again: the same offer is pending once more.
    assert client.post(f"/v1/offers/{second['id']}/decline", headers=poster).status_code == 200
    again = client.post(f"/v1/needs/{later['id']}/offers", headers=responder,
                        json={"no_conflict_attested": True})
    assert again.status_code == 201 and again.json()["id"] == second["id"]
    assert again.json()["status"] == "pending"
    assert client.post(f"/v1/needs/{later['id']}/offers", headers=responder,
                       json={"no_conflict_attested": True}).status_code == 409


def test_metrics_count_requests(client: TestClient) -> None:
    client.get("/healthz")
    body = client.get("/metrics").text
    assert 'needmatch_requests_total{method="GET",route="/healthz",status="200"}' in body


def test_rate_limit_per_key(client: TestClient, keys: dict[str, str]) -> None:
    services = client.app.state.services  # type: ignore[attr-defined]
    strict = Settings(data_dir=services.settings.data_dir, rate_limit_per_minute=3)
    with TestClient(create_app(strict, loader=lambda _: services)) as limited:
        statuses = [limited.get("/v1/me", headers=auth(keys["poster"])).status_code
                    for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        assert limited.get("/v1/me", headers=auth(keys["admin"])).status_code == 200
        refused = limited.get("/v1/me", headers=auth(keys["poster"]))
        assert int(refused.headers["Retry-After"]) >= 1


def test_admin_confirms_and_corrects_labels_with_history(client: TestClient, keys: dict[str, str],
                                                         published: dict) -> None:
    url = f"/v1/admin/cases/{published['id']}/labels"
    admin = auth(keys["admin"])
    assert client.post(url, headers=auth(keys["poster"]), json={"applies": ["family_law"]}).status_code == 403
    first = client.post(url, headers=admin, json={"applies": ["family_law", "housing"]})
    assert first.status_code == 200
    assert first.json()["labels"] == {"family_law": True, "housing": True}
    second = client.post(url, headers=admin, json={"does_not_apply": ["housing"]}).json()
    # The history holds the advocate's label from the field too (not counted until confirmed).
    field = 0 if "immigration_relief" in published["labels"] else 1
    assert second["labels"] == {"family_law": True, "housing": False}
    assert second["history"] == 3 + field
    bad = client.post(url, headers=admin, json={"applies": ["space_law"]})
    assert bad.status_code == 422 and "space_law" in bad.json()["detail"]
    both = client.post(url, headers=admin, json={"applies": ["housing"], "does_not_apply": ["housing"]})
    assert both.status_code == 422
    assert client.post("/v1/admin/cases/case-nope/labels", headers=admin, json={}).status_code == 404
    listed = client.get("/v1/admin/cases", headers=admin).json()["cases"]
    mine = next(n for n in listed if n["id"] == published["id"])
    assert mine["admin_labels"] == {"family_law": True, "housing": False}


def test_last_no_identifying_detail_in_data_dir_or_logs(
        client: TestClient, published: dict, caplog: pytest.LogCaptureFixture) -> None:
    """Runs last in this module: after preview, publish, offers and errors, scan everything."""
    caplog.set_level(logging.DEBUG)
    client.post("/v1/needs/preview", headers={"Authorization": "Bearer nm_wrong"},
                json={"text": NARRATIVE})
    data_dir = client.app.state.services.settings.data_dir  # type: ignore[attr-defined]
    leaks = []
    for path in Path(data_dir).rglob("*"):
        if path.is_file():
            content = path.read_bytes().decode("utf-8", "replace")
            leaks += [f"{path.name}: {s}" for s in SECRETS if s in content]
    leaks += [f"log: {s}" for s in SECRETS if s in caplog.text]
    assert leaks == []
    assert (Path(data_dir) / "logs" / "all.log").stat().st_size > 0
