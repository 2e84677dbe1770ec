"""What a tester's battery found (issue 11): damaged derived files, bad input, a database outage,
large streamed bodies, security headers, error messages, the OpenAPI contract, the docs pages."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import sessionmaker

from api.http.app import create_app
from api.services.accounts import create_user
from api.services.responders import read_profiles, upsert_responders
from api.settings import Settings
from api.storage.tables import Case
from tests.support import MATCHING, case_body, need_of

NARRATIVE = ("She was forced to work in a restaurant in Houston for two years without pay. "
             "She wants her unpaid wages and a T visa.")


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hardening") / "var"


@pytest.fixture(scope="module")
def settings(data_dir: Path) -> Settings:
    return Settings(data_dir=data_dir, max_narrative_chars=5000, model_poll_seconds=0)


@pytest.fixture(scope="module")
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        services = test_client.app.state.services  # type: ignore[attr-defined]
        upsert_responders(services.sessions, read_profiles(MATCHING / "responders.jsonl"))
        yield test_client


@pytest.fixture(scope="module")
def keys(client: TestClient) -> dict[str, str]:
    sessions = client.app.state.services.sessions  # type: ignore[attr-defined]
    return {"poster": create_user(sessions, "Shelter H", "poster")[1],
            "responder": create_user(sessions, "Clinic H", "responder", "r-001")[1],
            "admin": create_user(sessions, "Network H", "admin")[1]}


def _count_needs(client: TestClient) -> int:
    with client.app.state.services.sessions() as session:  # type: ignore[attr-defined]
        return int(session.scalar(select(func.count()).select_from(Case)) or 0)


def _damage(folder: Path, how: str) -> None:
    index_file, profiles = folder / "index.faiss", folder / "profiles.npz"
    if how == "truncated index":
        index_file.write_bytes(index_file.read_bytes()[:100])
    elif how == "empty index":
        index_file.write_bytes(b"")
    elif how == "deleted index":
        index_file.unlink()
    elif how == "garbage index":
        index_file.write_bytes(b"\x00garbage" * 500)
    elif how == "truncated profiles":
        profiles.write_bytes(profiles.read_bytes()[: len(profiles.read_bytes()) // 3])
    elif how == "deleted folder":
        shutil.rmtree(folder)


@pytest.mark.parametrize("how", ["truncated index", "empty index", "deleted index", "garbage index",
                                 "truncated profiles", "deleted folder"])
def test_a_damaged_responder_index_is_rebuilt_and_nothing_is_written_twice(
        client: TestClient, keys: dict[str, str], settings: Settings, how: str) -> None:
    assert client.post("/v1/cases", headers=auth(keys["poster"]),
                       json=case_body(NARRATIVE)).status_code == 201
    folder = settings.data_dir / "index" / "responders"
    assert (folder / "index.faiss").is_file() and (folder / "profiles.npz").is_file()
    _damage(folder, how)
    # A restart: a new process finds the damaged files.
    with TestClient(create_app(settings)) as restarted:
        ready = restarted.get("/readyz")
        assert ready.status_code == 200 and ready.json()["checks"]["responder_index"] is True
        before = _count_needs(restarted)
        published = restarted.post("/v1/cases", headers=auth(keys["poster"]),
                                   json=case_body(NARRATIVE))
        assert published.status_code == 201, published.text
        wages = need_of(published.json(), "wage_claims")
        assert wages["suggestions"]
        assert _count_needs(restarted) == before + 1
        suggestions = restarted.get(f"/v1/needs/{wages['id']}/suggestions",
                                    headers=auth(keys["poster"]))
        assert suggestions.status_code == 200 and suggestions.json()["suggestions"]


def test_a_publish_that_fails_writes_nothing(client: TestClient, keys: dict[str, str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    model = client.app.state.services.model  # type: ignore[attr-defined]

    def broken() -> None:
        raise RuntimeError("the index could not be read")

    before = _count_needs(client)
    monkeypatch.setattr(model.directory, "index", broken)
    # The same running app, answering errors instead of raising them into the test.
    answering = TestClient(client.app, raise_server_exceptions=False)
    failed = answering.post("/v1/cases", headers=auth(keys["poster"]), json=case_body(NARRATIVE))
    assert failed.status_code == 500
    assert _count_needs(client) == before


@pytest.mark.parametrize("query", ["%20%20", "%09%0A", "%00", "...", "%E2%80%8B"])
def test_a_query_without_words_is_422(client: TestClient, keys: dict[str, str], query: str) -> None:
    response = client.get(f"/v1/needs/search?q={query}", headers=auth(keys["responder"]))
    assert response.status_code == 422, response.text
    assert "words" in response.json()["detail"] or response.json()["errors"]


@pytest.mark.parametrize("path", ["/v1/offers/9223372036854775808", "/v1/offers/0",
                                  "/v1/offers/-4", "/v1/admin/jobs/99999999999999999999"])
def test_ids_past_64_bits_or_below_one_are_422(client: TestClient, keys: dict[str, str],
                                               path: str) -> None:
    response = client.get(path, headers=auth(keys["admin"]))
    assert response.status_code == 422 and response.json()["errors"]


def test_a_database_outage_answers_503_and_recovers(client: TestClient, keys: dict[str, str]) -> None:
    services = client.app.state.services  # type: ignore[attr-defined]
    working = services.sessions
    unreachable = create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none",
                                connect_args={"connect_timeout": 2})
    services.sessions = sessionmaker(unreachable, expire_on_commit=False)
    try:
        down = client.get("/v1/me", headers=auth(keys["poster"]))
        assert down.status_code == 503 and down.headers["Retry-After"].isdigit()
        assert "database" in down.json()["detail"]
        assert client.get("/readyz").status_code == 503
    finally:
        services.sessions = working
        unreachable.dispose()
    assert client.get("/v1/me", headers=auth(keys["poster"])).status_code == 200


def test_a_chunked_body_past_the_limit_is_refused_before_it_is_read(
        client: TestClient, keys: dict[str, str]) -> None:
    import asyncio

    app = client.app
    chunks_read = 0
    answer: list[dict[str, object]] = []

    async def receive() -> dict[str, object]:
        nonlocal chunks_read
        chunks_read += 1  # 60 MB offered in 1 KiB chunks, with no Content-Length
        return {"type": "http.request", "body": b"x" * 1024, "more_body": chunks_read < 60 * 1024}

    async def send(message: dict[str, object]) -> None:
        answer.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": "/v1/needs/preview", "raw_path": b"/v1/needs/preview",
             "query_string": b"", "root_path": "", "client": ("127.0.0.1", 50000),
             "server": ("127.0.0.1", 80),
             "headers": [(b"content-type", b"application/json"), (b"transfer-encoding", b"chunked"),
                         (b"authorization", f"Bearer {keys['poster']}".encode())]}
    asyncio.run(app(scope, receive, send))  # type: ignore[arg-type]
    assert answer[0]["status"] == 413
    # The limit is 5,000 characters * 4 bytes + 64 KiB: reading stopped there, not at 60 MB.
    assert chunks_read <= (5000 * 4 + 65_536) // 1024 + 2


@pytest.mark.parametrize("path", ["/", "/healthz", "/v1/me", "/static/app.js", "/openapi.json"])
def test_security_headers_everywhere(client: TestClient, keys: dict[str, str], path: str) -> None:
    response = client.get(path, headers=auth(keys["poster"]))
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_the_page_has_no_inline_script_or_style(client: TestClient) -> None:
    import re

    page = client.get("/").text
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []
    assert re.findall(r"<style\b|<[^>]*\sstyle\s*=|<[^>]*\son[a-z]+\s*=", page) == []


def test_cors_is_closed_by_default_and_opens_for_configured_origins(
        client: TestClient, settings: Settings) -> None:
    asked = {"Origin": "https://elsewhere.example.org", "Access-Control-Request-Method": "POST"}
    closed = client.options("/v1/cases", headers=asked)
    assert "access-control-allow-origin" not in closed.headers
    opened_settings = settings.model_copy(update={"cors_origins": "https://elsewhere.example.org"})
    with TestClient(create_app(opened_settings)) as opened:
        answer = opened.options("/v1/cases", headers=asked)
        assert answer.headers["access-control-allow-origin"] == "https://elsewhere.example.org"


def test_error_messages_quote_only_a_short_sanitised_prefix(client: TestClient,
                                                            keys: dict[str, str]) -> None:
    long_id = "n" * 30_000
    missing = client.get(f"/v1/needs/{long_id}", headers=auth(keys["poster"]))
    assert missing.status_code == 404 and len(missing.text) < 200
    labels = client.post("/v1/admin/cases/case-x/labels", headers=auth(keys["admin"]),
                         json={"applies": ["Q" * 5000 + "\u0007"]})
    assert labels.status_code == 422 and len(labels.text) < 300 and "\u0007" not in labels.text


def test_malformed_json_and_non_utf8_bodies_get_the_projects_error(
        client: TestClient, keys: dict[str, str]) -> None:
    headers = {**auth(keys["poster"]), "Content-Type": "application/json"}
    malformed = client.post("/v1/needs/preview", headers=headers, content=b'{"text": "Maria called')
    assert malformed.status_code == 422
    assert malformed.json()["detail"] == "the body is not valid JSON"
    assert [error["field"] for error in malformed.json()["errors"]] == ["body"]
    assert "Maria" not in malformed.text
    latin1 = client.post("/v1/needs/preview", headers=headers,
                         content='{"text": "José en Montréal"}'.encode("latin-1"))
    assert latin1.status_code == 422 and latin1.json()["detail"] == "the body is not UTF-8 text"


def test_reclassify_runs_as_a_job_with_progress(client: TestClient, keys: dict[str, str]) -> None:
    started = client.post("/v1/admin/cases/reclassify", headers=auth(keys["admin"]))
    assert started.status_code == 202 and started.json()["kind"] == "reclassify"
    job = started.json()
    deadline = time.monotonic() + 300  # a guard against hanging, not a speed check
    while not job["finished"]:
        assert time.monotonic() < deadline
        time.sleep(0.2)
        job = client.get(f"/v1/admin/jobs/{job['id']}", headers=auth(keys["admin"])).json()
    assert job["status"] == "done" and job["report"]["needs"] == _open_or_closed(client)


def _open_or_closed(client: TestClient) -> int:
    with client.app.state.services.sessions() as session:  # type: ignore[attr-defined]
        return int(session.scalar(select(func.count()).select_from(Case)
                                  .where(Case.status.in_(("open", "review", "matched", "closed"))))
                   or 0)


def test_the_openapi_document_describes_the_real_answers(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    publish = spec["paths"]["/v1/cases"]["post"]
    assert publish["responses"]["422"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/InvalidRequestOut")
    assert {"401", "403", "404", "409", "413", "429", "503"} <= set(publish["responses"])
    assert publish["security"] == [{"HTTPBearer": []}]
    stream = spec["paths"]["/v1/stream"]["get"]["responses"]["200"]["content"]
    assert list(stream) == ["text/event-stream"]
    need = spec["components"]["schemas"]["CaseCreate"]["properties"]
    assert need["jurisdiction"]["pattern"] == "^[A-Z]{2}(-[A-Z0-9]{1,3})?$"
    assert need["language"]["anyOf"][0]["pattern"] == "^[a-z]{2}$"
    assert "consent" in spec["components"]["schemas"]["CaseCreate"]["required"]
    assert need["text"]["minLength"] == 1 and "\\S" in need["text"]["pattern"]


def test_a_wrong_method_answers_405_with_allow(client: TestClient, keys: dict[str, str]) -> None:
    response = client.put("/v1/me", headers=auth(keys["poster"]))
    assert response.status_code == 405 and "GET" in response.headers["Allow"]


@pytest.mark.parametrize(("page", "asset"), [("/docs", "/docs-assets/swagger-ui-bundle.js"),
                                             ("/redoc", "/docs-assets/redoc.standalone.js")])
def test_the_docs_load_their_assets_from_this_server(client: TestClient, page: str, asset: str) -> None:
    html = client.get(page)
    assert html.status_code == 200 and asset in html.text and "cdn" not in html.text.lower()
    script = client.get(asset)
    assert script.status_code == 200 and len(script.content) > 100_000


def test_search_keeps_its_index_and_applies_each_change_in_place(
        client: TestClient, keys: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    keeper = client.app.state.services.model.search  # type: ignore[attr-defined]
    # No periodic look at every stamp during the test, however slow the machine.
    monkeypatch.setattr(keeper, "RECONCILE_SECONDS", 3600.0)
    responder = auth(keys["responder"])
    client.get("/v1/needs/search?q=unpaid wages", headers=responder)
    updates, index = keeper.updates, keeper.index()
    client.get("/v1/needs/search?q=custody of her children", headers=responder)
    assert keeper.updates == updates, "nothing changed, so nothing was applied"
    created = need_of(client.post("/v1/cases", headers=auth(keys["poster"]), json=case_body(
        "A fisherman from Ghana was never paid for a year on a trawler off Alaska.", "US-AK",
        categories=["wage_claims"])).json(), "wage_claims")
    found = client.get("/v1/needs/search?q=fisherman never paid trawler", headers=responder).json()
    assert keeper.updates == updates + 1
    assert keeper.index() is index, "the new need was added to the same index, not a rebuilt one"
    full_looks = keeper.full_looks  # with no open need before, the first look reads them all
    assert created["id"] in [hit["need_id"] for hit in found["results"][:3]]
    filtered = client.get("/v1/needs/search?q=fisherman never paid trawler&jurisdiction=US",
                          headers=responder).json()
    assert created["id"] in [hit["need_id"] for hit in filtered["results"]]
    elsewhere = client.get("/v1/needs/search?q=fisherman never paid trawler&jurisdiction=US-NY",
                           headers=responder).json()
    assert created["id"] not in [hit["need_id"] for hit in elsewhere["results"]]
    client.patch(f"/v1/needs/{created['id']}", headers=auth(keys["poster"]), json={"status": "closed"})
    after = client.get("/v1/needs/search?q=fisherman never paid trawler", headers=responder).json()
    assert created["id"] not in [hit["need_id"] for hit in after["results"]]
    assert created["id"] not in keeper.index() and keeper.index() is index
    assert keeper.full_looks == full_looks, "a publish and a close are found among recent updates"
    second = client.post("/v1/cases", headers=auth(keys["poster"]), json=case_body(
        "Un pescador de Ghana nunca recibió su salario en un barco frente a Alaska.", "US-AK",
        categories=["wage_claims"], language="es")).json()
    assert need_of(second, "wage_claims")["id"] in keeper.index()
    assert client.delete(f"/v1/cases/{second['id']}", headers=auth(keys["poster"])).status_code == 204
    assert need_of(second, "wage_claims")["id"] not in keeper.index()
    assert keeper.full_looks == full_looks + 1, "a deletion leaves no row: every stamp is read once"


@pytest.mark.parametrize("filters", [
    {"jurisdiction": "US"}, {"jurisdiction": "US-NY"}, {"jurisdiction": "MX"},
    {"category": "wage_claims"}, {"language": "es"}, {"urgency": "high"},
    {"jurisdiction": "US", "category": "immigration", "language": "en"}])
def test_the_filters_facets_select_what_each_needs_facts_pass(
        client: TestClient, keys: dict[str, str], filters: dict[str, str]) -> None:
    from api.services.search import SearchFilters

    keeper = client.app.state.services.model.search  # type: ignore[attr-defined]
    client.post("/v1/cases", headers=auth(keys["poster"]), json=case_body(
        "Le robaron el salario durante dos años en una granja de Sinaloa.", "MX",
        categories=["wage_claims"], language="es"))
    chosen = SearchFilters(**filters)
    indexed = [need.id for need in keeper.index().needs]
    assert indexed
    assert keeper.allowed(chosen) == {i for i in indexed if keeper.facts(i).passes(chosen)}


@pytest.mark.parametrize(("text", "detected", "script", "measured", "names_warning"), [
    (NARRATIVE, "en", "Latin", True, False),
    ("Clienta a fost obligată să muncească fără plată într-o fermă din Spania timp de doi ani și "
     "vrea să-și recupereze salariile.", "ro", "Latin", True, True),
    ("她在纽约的按摩店被强迫工作了两年，没有工资，现在想申请T签证。", "zh", "Han", True, True),
    ("Sie wurde zwei Jahre lang in einem Restaurant in Berlin zur Arbeit gezwungen und nie bezahlt. "
     "Jetzt möchte sie ihren Lohn einklagen.", "de", "Latin", False, False),
    ("เธอถูกบังคับให้ทำงานในร้านอาหารเป็นเวลาสองปีโดยไม่ได้รับค่าจ้าง", "th", "other", False, False)])
def test_preview_says_when_the_language_was_never_measured(
        client: TestClient, keys: dict[str, str], text: str, detected: str, script: str,
        measured: bool, names_warning: bool) -> None:
    preview = client.post("/v1/needs/preview", headers=auth(keys["poster"]), json={"text": text})
    assert preview.status_code == 200
    language = preview.json()["language"]
    assert (language["detected"], language["script"]) == (detected, script)
    assert language["measured"] is measured
    assert language["names_often_missed"] is names_warning
    assert (language["warning"] is None) is (measured and not names_warning)


def test_a_need_in_an_unsupported_language_is_held_for_review(client: TestClient,
                                                              keys: dict[str, str]) -> None:
    poster, responder = auth(keys["poster"]), auth(keys["responder"])
    german = ("Sie wurde zwei Jahre lang in einem Restaurant in Berlin zur Arbeit gezwungen und nie "
              "bezahlt. Jetzt möchte sie ihren Lohn einklagen und ein Visum beantragen.")
    created = client.post("/v1/cases", headers=poster, json=case_body(
        german, "DE", "de", categories=["wage_claims"])).json()
    assert (created["status"], created["review"], created["detected_language"]) == (
        "review", "unsupported_language", "de")
    wages = need_of(created, "wage_claims")
    assert wages["status"] == "review"
    found = client.get("/v1/needs/search?q=Restaurant Berlin Lohn", headers=responder).json()
    assert wages["id"] not in [hit["need_id"] for hit in found["results"]]
    assert client.get(f"/v1/needs/{wages['id']}", headers=responder).status_code in (403, 404)
    # A need alone cannot be opened while its case is held.
    assert client.patch(f"/v1/needs/{wages['id']}", headers=poster,
                        json={"status": "open"}).status_code == 409
    opened = client.patch(f"/v1/cases/{created['id']}", headers=poster, json={"status": "open"})
    assert opened.json()["status"] == "open" and opened.json()["needs"][0]["status"] == "open"
    found = client.get("/v1/needs/search?q=Restaurant Berlin Lohn", headers=responder).json()
    assert wages["id"] in [hit["need_id"] for hit in found["results"]]


def test_a_need_with_no_category_is_held_for_review(client: TestClient, keys: dict[str, str]) -> None:
    created = client.post("/v1/cases", headers=auth(keys["poster"]), json=case_body(
        "Update: her T visa was approved last year and the divorce is final. The case is "
        "closed and she needs nothing more from us.", "US-NY")).json()
    assert (created["status"], created["review"], created["labels"], created["needs"]) == (
        "review", "no_category", [], [])
    # The advocate removed every proposed category: held too.
    emptied = client.post("/v1/cases", headers=auth(keys["poster"]),
                          json=case_body(NARRATIVE, "US-NY", categories=[])).json()
    assert (emptied["status"], emptied["review"], emptied["needs"]) == ("review", "no_category", [])
    supported = client.post("/v1/cases", headers=auth(keys["poster"]),
                            json=case_body(NARRATIVE, "US-NY")).json()
    assert (supported["status"], supported["review"]) == ("open", None)


def test_the_survivors_languages_drive_the_language_rule(client: TestClient, keys: dict[str, str]) -> None:
    poster = auth(keys["poster"])
    text = ("She was forced to work in a restaurant in Atlanta for two years without pay. She wants "
            "a divorce from her husband, who trafficked her, and custody of their son.")
    english = need_of(client.post("/v1/cases", headers=poster, json=case_body(
        text, "US-GA")).json(), "family_law")
    spanish_case = client.post("/v1/cases", headers=poster, json=case_body(
        text, "US-GA", survivor_languages=["es"])).json()
    spanish = need_of(spanish_case, "family_law")
    assert spanish_case["survivor_languages"] == ["es"] and spanish["suggestions"]
    for suggestion in spanish["suggestions"]:
        reason = suggestion["explanation"]["language"]
        # Family law needs the survivor's language: an English speaker would need an interpreter.
        assert reason == "speaks es" or "interpreter" in reason
    stored = client.get(f"/v1/needs/{spanish['id']}/suggestions", headers=poster).json()
    assert [s["responder_id"] for s in stored["suggestions"]] == [
        s["responder_id"] for s in spanish["suggestions"]]
    # The same responder, chosen for another reason: the language the survivor speaks.
    assert {s["explanation"]["language"] for s in english["suggestions"]} == {"speaks en"}
    assert {s["explanation"]["language"] for s in spanish["suggestions"]} == {"speaks es"}


@pytest.mark.parametrize("languages", [["zz"], "es", ["es"] * 21])
def test_impossible_survivor_languages_are_refused(client: TestClient, keys: dict[str, str],
                                                   languages: object) -> None:
    before = _count_needs(client)
    answer = client.post("/v1/cases", headers=auth(keys["poster"]), json=case_body(
        NARRATIVE, survivor_languages=languages))
    assert answer.status_code == 422
    assert _count_needs(client) == before


def test_an_advocates_marks_are_kept_as_redacted_context_only(client: TestClient,
                                                              keys: dict[str, str]) -> None:
    poster = auth(keys["poster"])
    mark = {"kind": "missed", "entity_type": "PERSON", "before": "Her cousin ",
            "after": " drove her to Houston; call Maria Lopez at 713-555-0100."}
    created = client.post("/v1/redaction-feedback", headers=poster, json=mark)
    assert created.status_code == 201, created.text
    context = created.json()["context"]
    assert context.startswith("Her cousin [MARKED] drove her to Houston")
    for secret in ("713-555-0100", "Maria Lopez"):  # redacted again before it is kept
        assert secret not in context
    listed = client.get("/v1/admin/redaction-feedback", headers=auth(keys["admin"])).json()
    assert listed["feedback"][0]["id"] == created.json()["id"]
    assert listed["feedback"][0]["kind"] == "missed"
    assert client.get("/v1/admin/redaction-feedback", headers=poster).status_code == 403


@pytest.mark.parametrize(("body", "status"), [
    ({"kind": "missed", "entity_type": "PERSON", "before": "a", "after": "b"}, 403),
    ({"kind": "guessed", "entity_type": "PERSON", "before": "a", "after": "b"}, 422),
    ({"kind": "missed", "entity_type": "NAME", "before": "a", "after": "b"}, 422),
    ({"kind": "missed", "entity_type": "PERSON", "before": "a" * 301, "after": "b"}, 422),
    ({"kind": "missed", "entity_type": "PERSON", "before": "x [MARKED] y", "after": "b"}, 422),
    ({"kind": "missed", "entity_type": "PERSON", "before": "a", "after": "b", "span": "Maria"}, 422)])
def test_marks_that_cannot_be_kept_are_refused(client: TestClient, keys: dict[str, str],
                                               body: dict[str, str], status: int) -> None:
    key = keys["responder"] if status == 403 else keys["poster"]
    answer = client.post("/v1/redaction-feedback", headers=auth(key), json=body)
    assert answer.status_code == status
    assert "Maria" not in answer.text  # an error never echoes what identifies someone


def test_the_organisations_postings_are_listed_newest_first(client: TestClient,
                                                          keys: dict[str, str]) -> None:
    sessions = client.app.state.services.sessions  # type: ignore[attr-defined]
    poster, other = auth(keys["poster"]), auth(create_user(sessions, "Shelter Other", "poster")[1])
    mine = [client.post("/v1/cases", headers=poster, json=case_body(
        f"{NARRATIVE} Note {number}.")).json()["id"] for number in range(3)]
    theirs = client.post("/v1/cases", headers=other, json=case_body(NARRATIVE)).json()["id"]
    listed = client.get("/v1/cases?limit=2", headers=poster).json()
    assert [case["id"] for case in listed["cases"]] == [mine[2], mine[1]]
    assert all(case["needs"] for case in listed["cases"])  # each with its needs
    assert listed["total"] >= 3 and (listed["limit"], listed["offset"]) == (2, 0)
    everything = client.get("/v1/cases?limit=200", headers=poster).json()["cases"]
    assert theirs not in [case["id"] for case in everything]
    assert client.get("/v1/cases?status=closed&limit=200", headers=poster).json()["cases"] == [
        case for case in everything if case["status"] == "closed"]
    assert theirs in [case["id"] for case in
                      client.get("/v1/cases?limit=200", headers=auth(keys["admin"])).json()["cases"]]
    assert client.get("/v1/cases", headers=auth(keys["responder"])).status_code == 403
    assert client.get("/v1/cases?status=lost", headers=poster).status_code == 422
    assert client.get("/v1/cases?limit=0", headers=poster).status_code == 422


def test_a_retried_publish_with_the_same_key_returns_the_same_need(client: TestClient,
                                                                   keys: dict[str, str]) -> None:
    sessions = client.app.state.services.sessions  # type: ignore[attr-defined]
    poster = auth(keys["poster"])
    body = case_body(NARRATIVE)
    before = _count_needs(client)
    first = client.post("/v1/cases", headers={**poster, "Idempotency-Key": "k-123"}, json=body)
    again = client.post("/v1/cases", headers={**poster, "Idempotency-Key": "k-123"}, json=body)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert [need["id"] for need in first.json()["needs"]] == [
        need["id"] for need in again.json()["needs"]]
    assert [[s["responder_id"] for s in need["suggestions"]] for need in first.json()["needs"]] == [
        [s["responder_id"] for s in need["suggestions"]] for need in again.json()["needs"]]
    assert _count_needs(client) == before + 1
    # Another organisation's key is its own; no key at all publishes anew.
    other = auth(create_user(sessions, "Shelter Keys", "poster")[1])
    theirs = client.post("/v1/cases", headers={**other, "Idempotency-Key": "k-123"}, json=body)
    assert theirs.json()["id"] != first.json()["id"]
    assert client.post("/v1/cases", headers=poster, json=body).json()["id"] != first.json()["id"]
    assert _count_needs(client) == before + 3
    for bad in ("", "has space", "k" * 101):
        refused = client.post("/v1/cases", headers={**poster, "Idempotency-Key": bad}, json=body)
        assert refused.status_code == 422
    assert _count_needs(client) == before + 3


def test_a_need_nobody_can_take_says_which_rule_left_nobody(client: TestClient,
                                                            keys: dict[str, str]) -> None:
    poster = auth(keys["poster"])
    created = client.post("/v1/cases", headers=poster, json=case_body(
        "She wants a divorce from her husband and custody of their two children.", "NP")).json()
    family = need_of(created, "family_law")
    assert all(need["suggestions"] == [] for need in created["needs"])
    why = family["no_suggestion"]
    assert why["reason"] == "nobody_licensed_here"
    assert why["practise"] > 0 and why["practise_here"] == 0
    again = client.get(f"/v1/needs/{family['id']}/suggestions", headers=poster).json()
    assert again["no_suggestion"] == why
    # The need stays open for new profiles.
    assert client.get(f"/v1/cases/{created['id']}", headers=poster).json()["needs"][0]["status"] == "open"
    found = need_of(client.post("/v1/cases", headers=poster, json=case_body(NARRATIVE)).json(),
                    "wage_claims")
    assert found["suggestions"] and found["no_suggestion"] is None
