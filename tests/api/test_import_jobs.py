"""Bulk imports and re-embedding as background jobs: through the admin routes in a thread of the
server (no Redis), through `needmatch worker` (RQ in burst mode on the test Redis), and queued by
the command line. An import's rows are unredacted narratives: every row is validated before a job
exists, the rows live in `job_inputs` only while the job does, and no log line quotes them."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from api.http.app import create_app
from api.services.accounts import create_user
from api.services.case_imports import IMPORT_MAX_BYTES, IMPORT_MAX_ROWS, run_import_job
from api.services.cases import CaseInput
from api.services.jobs import IMPORT, create_job, finish_job
from api.services.responders import read_profiles, upsert_responders
from api.settings import Settings
from api.storage.tables import Case, JobInput, Need, Responder, RetrainJob
from tests.support import MATCHING, run_cli

ENGLISH = ("Houston. Maria Guadalupe Soto (phone 713-555-0164, maria.soto@example.org) was forced "
           "to work in a restaurant for two years without pay. She wants her unpaid wages and a "
           "T visa.")
SPANISH = ("En Houston, Rosa Elena Quispe (teléfono 713-555-0199) trabajó dos años en una fábrica "
           "sin recibir salario. Su jefe le quitó el pasaporte. Quiere una visa T y recuperar sus "
           "salarios.")
CHINESE = "她在纽约的按摩店被强迫工作了两年，没有工资。老板拿走了她的护照。她想申请T签证。"
# What must never reach a log line (nor, for the names and contacts, a stored case).
IDENTIFYING = ["Maria Guadalupe Soto", "713-555-0164", "maria.soto@example.org",
               "Rosa Elena Quispe", "713-555-0199"]
NARRATIVE_WORDS = ["restaurant for two years", "sin recibir salario", "按摩店", "没有工资"]


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def jsonl(rows: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode("utf-8")


def rows_of(prefix: str) -> list[dict[str, Any]]:
    """Three cases: English, Spanish, Chinese (with the survivor's language)."""
    return [
        {"id": f"{prefix}-en", "text": ENGLISH, "jurisdiction": "US-TX", "language": "en"},
        {"id": f"{prefix}-es", "text": SPANISH, "jurisdiction": "US-TX", "language": "es",
         "survivor_languages": ["es"]},
        {"id": f"{prefix}-zh", "text": CHINESE, "jurisdiction": "US-NY", "language": "zh",
         "survivor_languages": ["zh"], "urgency": "high"},
    ]


NDJSON = {"Content-Type": "application/x-ndjson"}


def wait_for_job(client: TestClient, admin: str, job_id: int) -> dict[str, Any]:
    deadline = time.monotonic() + 300  # a guard against hanging, not a speed check
    while True:
        job = client.get(f"/v1/admin/jobs/{job_id}", headers=auth(admin)).json()
        if job["finished"]:
            return job
        assert time.monotonic() < deadline, f"job {job_id} did not finish: {job}"
        time.sleep(0.2)


def counts(services: Any) -> dict[str, int]:
    with services.sessions() as session:
        return {"import jobs": session.scalar(select(func.count()).select_from(RetrainJob)
                                              .where(RetrainJob.kind == IMPORT)) or 0,
                "inputs": session.scalar(select(func.count()).select_from(JobInput)) or 0,
                "cases": session.scalar(select(func.count()).select_from(Case)) or 0}


def stored_cases(services: Any, ids: list[str]) -> dict[str, tuple[Case, list[str]]]:
    with services.sessions() as session:
        found = {}
        for case in session.scalars(select(Case).where(Case.id.in_(ids))):
            needs = sorted(session.scalars(select(Need.category).where(Need.case_id == case.id)))
            found[case.id] = (case, needs)
        return found


def assert_quiet(text: str) -> None:
    """No identifying detail and no piece of a narrative in the text (logs, error answers)."""
    leaked = [item for item in IDENTIFYING + NARRATIVE_WORDS if item in text]
    assert leaked == [], leaked


def assert_imported(services: Any, prefix: str, job: dict[str, Any]) -> None:
    """The three cases of rows_of(prefix) stored open, redacted, with a need per category."""
    ids = [row["id"] for row in rows_of(prefix)]
    found = stored_cases(services, ids)
    assert sorted(found) == sorted(ids)
    for case, needs in found.values():
        assert case.status == "open" and needs == sorted(case.labels) and needs
        assert not [secret for secret in IDENTIFYING if secret in case.text]
    english, spanish, chinese = (found[identifier][0] for identifier in ids)
    assert "wage_claims" in found[ids[0]][1] and "[PERSON" in english.text
    assert (spanish.language, spanish.survivor_languages) == ("es", ["es"])
    assert "[PERSON" in spanish.text and "sin recibir salario" in spanish.text
    assert (chinese.language, chinese.urgency, chinese.text) == ("zh", "high", CHINESE)
    # The Chinese story's wage claim is a model question, tested in tests/api/test_cli.py (the
    # model of session 10 misses it); its T visa is said outright.
    assert "immigration_relief" in found[ids[2]][1]
    assert job["status"] == "done" and job["kind"] == "import"
    assert (job["stage"], job["done"], job["total"]) == ("done", 3, 3)
    assert job["report"]["cases"] == 3 and job["report"]["created"] == 3
    assert job["message"].startswith("imported 3 cases with model ")


# -- in a thread of the server (no Redis) ---------------------------------------------------
@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def client(request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The API on the embedded default and on PostgreSQL (a fresh database each), with no Redis:
    jobs run in a thread of the server."""
    database = request.getfixturevalue("module_postgres_url") if request.param == "postgresql" else ""
    settings = Settings(data_dir=tmp_path_factory.mktemp("imports") / "var", database_url=database,
                        max_narrative_chars=5000, model_poll_seconds=0,
                        rate_limit_per_minute=100_000)
    with TestClient(create_app(settings)) as test_client:
        services = test_client.app.state.services  # type: ignore[attr-defined]
        upsert_responders(services.sessions, read_profiles(MATCHING / "responders.jsonl"))
        yield test_client


@pytest.fixture(scope="module")
def keys(client: TestClient) -> dict[str, str]:
    sessions = client.app.state.services.sessions  # type: ignore[attr-defined]
    return {"admin": create_user(sessions, "Network I", "admin")[1],
            "poster": create_user(sessions, "Shelter I", "poster")[1],
            "responder": create_user(sessions, "Clinic I", "responder", "r-001")[1]}


@pytest.fixture
def services(client: TestClient) -> Any:
    return client.app.state.services  # type: ignore[attr-defined]


def test_an_import_lands_its_cases_with_needs_and_deletes_its_input(
        client: TestClient, keys: dict[str, str], services: Any,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    started = client.post("/v1/admin/cases/import", headers={**auth(keys["admin"]), **NDJSON},
                          content=jsonl(rows_of("thread")))
    assert started.status_code == 202, started.text
    assert (started.json()["kind"], started.json()["total"]) == ("import", 3)
    job = wait_for_job(client, keys["admin"], started.json()["id"])
    assert_imported(services, "thread", job)
    assert counts(services)["inputs"] == 0
    # Run again (as a queue might, after a crash): it applies nothing and keeps its outcome.
    with pytest.raises(RuntimeError, match="had already ended"):
        run_import_job(services.sessions, services.model, job["id"])
    assert client.get(f"/v1/admin/jobs/{job['id']}", headers=auth(keys["admin"])).json() == job
    assert_quiet(caplog.text)
    assert f"import job {job['id']}" in caplog.text  # the log says what happened, by id


def test_a_json_array_is_imported_too_and_an_update_keeps_its_id(
        client: TestClient, keys: dict[str, str], services: Any) -> None:
    rows = [{"id": "array-1", "text": "She needs a divorce and custody of her two children.",
             "jurisdiction": "US-CA", "language": "en"}]
    first = client.post("/v1/admin/cases/import", headers=auth(keys["admin"]), json=rows)
    assert first.status_code == 202, first.text
    assert wait_for_job(client, keys["admin"], first.json()["id"])["report"]["created"] == 1
    # (The model of session 10 misses "She was forced to work without pay and wants her wages
    # back." by 0.01: a strict expected failure in tests/api/test_cli.py.)
    rows[0]["text"] = "She worked for two years without pay and wants her unpaid wages back."
    again = client.post("/v1/admin/cases/import", headers=auth(keys["admin"]), json=rows)
    job = wait_for_job(client, keys["admin"], again.json()["id"])
    assert (job["report"]["created"], job["report"]["updated"]) == (0, 1)
    case, needs = stored_cases(services, ["array-1"])["array-1"]
    assert "wage_claims" in needs and "family_law" not in needs


def test_a_running_import_reports_its_progress(client: TestClient, keys: dict[str, str],
                                               services: Any,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Cases are redacted and classified 32 at a time: the job row says how far it got."""
    redactor = services.model.redactor
    original = redactor.redact_batch
    calls: list[int] = []
    release = threading.Event()

    def held_at_the_second_batch(texts: list[str]) -> Any:
        calls.append(len(texts))
        if len(calls) == 2:
            release.wait(60)
        return original(texts)

    monkeypatch.setattr(redactor, "redact_batch", held_at_the_second_batch)
    rows = [{"id": f"progress-{n}", "text": f"Case {n}: she needs a divorce and custody.",
             "jurisdiction": "US-CA", "language": "en"} for n in range(40)]
    started = client.post("/v1/admin/cases/import", headers={**auth(keys["admin"]), **NDJSON},
                          content=jsonl(rows))
    job_id = started.json()["id"]
    try:
        deadline = time.monotonic() + 120
        while (job := client.get(f"/v1/admin/jobs/{job_id}", headers=auth(keys["admin"])).json()
               )["stage"] != "redacting and classifying cases":
            assert time.monotonic() < deadline and not job["finished"], job
            time.sleep(0.1)
        assert (job["status"], job["done"], job["total"]) == ("running", 32, 40)
        assert stored_cases(services, ["progress-0"]) == {}  # nothing stored before the end
    finally:
        release.set()
    job = wait_for_job(client, keys["admin"], job_id)
    assert (job["status"], job["done"], job["total"], job["report"]["created"]) == (
        "done", 40, 40, 40)


def _row(**changes: Any) -> dict[str, Any]:
    return {"id": "bad", "text": ENGLISH, "jurisdiction": "US-TX", "language": "en", **changes}


GOOD = json.dumps(_row(id="good"))
BAD_BODIES: list[tuple[str, bytes | list[Any], str, int, list[str]]] = [
    # name, body (bytes: JSON Lines; a list: a JSON array), content type, status, in the message
    ("malformed line", f'{GOOD}\n{{"id": "x", "text": "{ENGLISH}"\n'.encode(), "application/x-ndjson",
     422, ["line 2", "malformed JSON"]),
    ("missing field", jsonl([_row(id="a"), {k: v for k, v in _row().items() if k != "text"}]),
     "application/x-ndjson", 422, ["line 2", "text", "required"]),
    ("unknown jurisdiction", jsonl([_row(jurisdiction="Texas")]), "application/x-ndjson", 422,
     ["line 1", "jurisdiction", "ISO 3166"]),
    ("unknown language", jsonl([_row(id="a"), _row(id="b"), _row(language="spanish")]),
     "application/x-ndjson", 422, ["line 3", "language", "ISO 639-1"]),
    ("bad urgency", jsonl([_row(urgency="now")]), "application/x-ndjson", 422,
     ["line 1", "urgency"]),
    ("not an object", f"{GOOD}\n[1, 2]\n".encode(), "application/x-ndjson", 422,
     ["line 2", "JSON object"]),
    ("not UTF-8", f"{GOOD}\n".encode() + json.dumps(_row(text="José"), ensure_ascii=False)
     .encode("latin-1"), "application/x-ndjson", 422, ["line 2", "UTF-8"]),
    ("same id twice", jsonl([_row(id="twin"), _row(id="other"), _row(id="twin")]),
     "application/x-ndjson", 422, ["line 3", "id", "line 1"]),
    ("empty", b"", "application/x-ndjson", 422, ["no cases"]),
    ("blank lines only", b"\n \n\n", "application/x-ndjson", 422, ["no cases"]),
    ("empty array", [], "application/json", 422, ["no cases"]),
    ("array of the wrong thing", [_row(), "a narrative"], "application/json", 422,
     ["row 2", "JSON object"]),
    ("object instead of array", b'{"id": "x"}', "application/json", 422, ["JSON array"]),
    ("form body", jsonl([_row()]), "application/x-www-form-urlencoded", 422,
     ["application/x-ndjson"]),
    ("narrative too long", jsonl([_row(id="a"), _row(text="a" * 5001)]), "application/x-ndjson",
     413, ["line 2", "text", "5001", "5000"]),
    ("too many rows", jsonl([_row(id=f"r{n}", text="She needs a divorce.")
                             for n in range(IMPORT_MAX_ROWS + 1)]), "application/x-ndjson", 413,
     [f"{IMPORT_MAX_ROWS}", "split"]),
    ("too many array rows", [_row(id=f"r{n}", text="She needs a divorce.")
                             for n in range(IMPORT_MAX_ROWS + 1)], "application/json", 413,
     [f"{IMPORT_MAX_ROWS}", "split"]),
    ("body too large", b"x" * (IMPORT_MAX_BYTES + 1), "application/x-ndjson", 413,
     ["bytes", "split"]),
]


@pytest.mark.parametrize(("name", "body", "media_type", "status", "words"), BAD_BODIES,
                         ids=[item[0] for item in BAD_BODIES])
def test_a_bad_body_is_refused_naming_line_and_field_and_starts_nothing(
        client: TestClient, keys: dict[str, str], services: Any, caplog: pytest.LogCaptureFixture,
        name: str, body: bytes | list[Any], media_type: str, status: int,
        words: list[str]) -> None:
    caplog.set_level(logging.DEBUG)
    before = counts(services)
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    answer = client.post("/v1/admin/cases/import", content=content,
                         headers={**auth(keys["admin"]), "Content-Type": media_type})
    assert answer.status_code == status, answer.text
    detail = answer.json()["detail"]
    assert [word for word in words if word not in detail] == [], detail
    if status == 422:
        assert answer.json()["errors"][0]["message"] == detail
    assert_quiet(answer.text)
    assert "José" not in answer.text
    assert counts(services) == before  # no job, no input, no case
    assert_quiet(caplog.text)


def test_a_body_streamed_past_the_limit_is_refused_as_it_arrives(
        client: TestClient, keys: dict[str, str], services: Any) -> None:
    before = counts(services)
    chunks = iter([b"x" * (1024 * 1024)] * (IMPORT_MAX_BYTES // (1024 * 1024) + 2))
    answer = client.post("/v1/admin/cases/import", content=chunks,
                         headers={**auth(keys["admin"]), **NDJSON})
    assert answer.status_code == 413 and "split" in answer.json()["detail"]
    assert counts(services) == before


@pytest.mark.parametrize("route", ["/v1/admin/cases/import", "/v1/admin/jobs/reembed"])
def test_only_an_admin_may_start_an_import_or_a_reembedding(
        client: TestClient, keys: dict[str, str], services: Any, route: str) -> None:
    before = counts(services)
    for caller, status in (("poster", 403), ("responder", 403), (None, 401)):
        headers = {**(auth(keys[caller]) if caller else {}), **NDJSON}
        answer = client.post(route, headers=headers, content=jsonl(rows_of("denied")))
        assert answer.status_code == status, (caller, answer.text)
    assert counts(services) == before
    assert stored_cases(services, [row["id"] for row in rows_of("denied")]) == {}


def test_a_second_import_waits_for_the_first(client: TestClient, keys: dict[str, str],
                                             services: Any) -> None:
    running = create_job(services.sessions, IMPORT, None, inputs=[])
    try:
        answer = client.post("/v1/admin/cases/import", headers={**auth(keys["admin"]), **NDJSON},
                             content=jsonl(rows_of("second")))
        assert answer.status_code == 409 and f"import job {running}" in answer.json()["detail"]
        assert counts(services)["inputs"] == 1  # the running one's only
    finally:
        finish_job(services.sessions, running, "failed", "test")
    assert counts(services)["inputs"] == 0


def test_an_import_that_fails_in_its_job_stores_nothing_and_deletes_its_input(
        client: TestClient, keys: dict[str, str], services: Any,
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    classifier = services.model.pipeline.classifier

    def broken(encoded: Any, texts: list[str]) -> Any:
        raise ValueError(f"cannot classify {texts[0]}")  # a message quoting the narrative

    monkeypatch.setattr(classifier, "classify_encoded", broken)
    before = counts(services)
    started = client.post("/v1/admin/cases/import", headers={**auth(keys["admin"]), **NDJSON},
                          content=jsonl(rows_of("broken")))
    assert started.status_code == 202
    job = wait_for_job(client, keys["admin"], started.json()["id"])
    assert job["status"] == "failed" and job["message"].startswith("ValueError")
    assert "nothing was imported" in job["message"]
    assert counts(services) == {**before, "import jobs": before["import jobs"] + 1}
    assert stored_cases(services, [row["id"] for row in rows_of("broken")]) == {}
    assert_quiet(caplog.text + job["message"])


def test_an_import_whose_input_vanishes_before_it_commits_applies_nothing(
        services: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The input is deleted (as fail_abandoned does for a job it judged dead) while the job is
    redacting: the job's storing transaction finds it gone and stores no case."""
    rows = [CaseInput.model_validate(row) for row in rows_of("vanish")]
    job_id = create_job(services.sessions, IMPORT, None, inputs=[row.model_dump() for row in rows])
    redactor = services.model.redactor
    original = redactor.redact_batch

    def redact_then_lose_the_input(texts: list[str]) -> Any:
        with services.sessions.begin() as session:
            session.delete(session.get(JobInput, job_id))
        return original(texts)

    monkeypatch.setattr(redactor, "redact_batch", redact_then_lose_the_input)
    with pytest.raises(RuntimeError, match=f"import job {job_id} failed: ImportInputGone"):
        run_import_job(services.sessions, services.model, job_id)
    assert stored_cases(services, [row.id for row in rows]) == {}
    with services.sessions() as session:
        job = session.get(RetrainJob, job_id)
        assert job is not None and job.status == "failed" and "input is gone" in job.message


def test_the_retention_pass_deletes_the_input_of_an_abandoned_import(services: Any) -> None:
    """A server killed mid-import (no worker to notice) leaves its job running with its input:
    once the job is older than the abandonment limit, the next retention pass deletes it."""
    job_id = create_job(services.sessions, IMPORT, None, inputs=rows_of("abandoned"))
    with services.sessions.begin() as session:
        job = session.get(RetrainJob, job_id)
        job.status = "running"
        job.created_at = datetime.now(UTC) - timedelta(minutes=30)
    services.retention.run_once()
    assert counts(services)["inputs"] == 1  # a job running for 30 minutes may still be alive
    with services.sessions.begin() as session:
        session.get(RetrainJob, job_id).created_at = datetime.now(UTC) - timedelta(hours=3)
    services.retention.run_once()
    assert counts(services)["inputs"] == 0
    with services.sessions() as session:
        job = session.get(RetrainJob, job_id)
        assert job.status == "failed" and job.message.startswith("abandoned")


def test_a_reembedding_runs_as_a_job_and_says_what_it_embedded(
        client: TestClient, keys: dict[str, str], services: Any) -> None:
    started = client.post("/v1/admin/jobs/reembed", headers=auth(keys["admin"]))
    assert started.status_code == 202 and started.json()["kind"] == "reembed"
    job = wait_for_job(client, keys["admin"], started.json()["id"])
    encoder = services.model.pipeline.document_encoder.encoder
    with services.sessions() as session:
        cases = session.scalar(select(func.count()).select_from(Case))
        responders = session.scalar(select(func.count()).select_from(Responder))
    assert job["status"] == "done", job
    assert (job["report"]["needs"], job["report"]["responders"]) == (cases, responders)
    assert job["report"]["encoder"] == encoder.name
    assert job["message"].startswith(f"embedded {cases} cases and {responders} responder "
                                     f"profiles with {encoder.name}")
    assert (job["stage"], job["done"], job["total"]) == ("done", responders, responders)


@pytest.fixture
def root_logging() -> Iterator[None]:
    """The command line points the root logger at this test's captured stderr; put the handlers
    back afterwards, so that later tests' log lines do not go to a closed stream."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in root.handlers:
        if handler not in handlers:
            handler.close()
    root.handlers[:] = handlers
    root.setLevel(level)


def test_queue_without_redis_says_what_it_needs(
        write_jsonl: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        root_logging: None) -> None:
    monkeypatch.delenv("NEEDMATCH_REDIS_URL", raising=False)
    path = write_jsonl(rows_of("cli"))
    for argv in (["needs", "import", str(path), "--queue"], ["needs", "reembed", "--queue"]):
        status, out, err = run_cli(argv, capsys, monkeypatch)
        assert status == 1 and "--queue needs NEEDMATCH_REDIS_URL" in err, err
    status, _, err = run_cli(["needs", "purge", "--queue"], capsys, monkeypatch)
    assert status == 1 and "'needs import' and 'needs reembed'" in err


# -- through `needmatch worker` (RQ in burst mode on the test Redis) -------------------------
def _clear_queue(redis_url: str) -> None:
    """The queue's keys on the test Redis database (RQ job ids follow the job rows' ids, which a
    fresh database starts again from 1)."""
    import redis

    connection = redis.Redis.from_url(redis_url)
    keys = [*connection.scan_iter(match="rq:*"), *connection.scan_iter(match="needmatch:*")]
    if keys:
        connection.delete(*keys)
    connection.close()


@pytest.fixture(scope="module")
def queued(tmp_path_factory: pytest.TempPathFactory, redis_url: str) -> Iterator[TestClient]:
    """A server that queues its jobs on Redis (none runs in its threads)."""
    _clear_queue(redis_url)
    settings = Settings(data_dir=tmp_path_factory.mktemp("queued") / "var",
                        max_narrative_chars=5000, model_poll_seconds=0, redis_url=redis_url,
                        rate_limit_per_minute=100_000)
    with TestClient(create_app(settings)) as test_client:
        services = test_client.app.state.services  # type: ignore[attr-defined]
        upsert_responders(services.sessions, read_profiles(MATCHING / "responders.jsonl"))
        yield test_client
    _clear_queue(redis_url)


@pytest.fixture(scope="module")
def queued_admin(queued: TestClient) -> str:
    return create_user(queued.app.state.services.sessions, "Network Q", "admin")[1]  # type: ignore[attr-defined]


def run_worker_until_empty(services: Any, redis_url: str) -> None:
    """`needmatch worker --burst` in this process, on this server's services."""
    from api.services.queue import run_worker

    run_worker(services, redis_url, burst=True)


def job_row(services: Any, job_id: int) -> dict[str, Any]:
    with services.sessions() as session:
        job = session.get(RetrainJob, job_id)
        return {"status": job.status, "message": job.message}


@pytest.mark.slow
def test_an_import_runs_in_the_worker(queued: TestClient, queued_admin: str, redis_url: str,
                                      caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    services = queued.app.state.services  # type: ignore[attr-defined]
    started = queued.post("/v1/admin/cases/import", headers={**auth(queued_admin), **NDJSON},
                          content=jsonl(rows_of("worker")))
    assert started.status_code == 202 and started.json()["status"] == "queued"
    # Queued, not run by the server: its input waits in the table, no case is stored yet.
    assert counts(services)["inputs"] == 1
    assert stored_cases(services, [row["id"] for row in rows_of("worker")]) == {}
    run_worker_until_empty(services, redis_url)
    job = queued.get(f"/v1/admin/jobs/{started.json()['id']}", headers=auth(queued_admin)).json()
    assert_imported(services, "worker", job)
    assert counts(services)["inputs"] == 0
    assert_quiet(caplog.text)


@pytest.mark.slow
def test_an_import_whose_input_is_gone_fails_in_the_worker_and_stores_nothing(
        queued: TestClient, queued_admin: str, redis_url: str,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    services = queued.app.state.services  # type: ignore[attr-defined]
    started = queued.post("/v1/admin/cases/import", headers={**auth(queued_admin), **NDJSON},
                          content=jsonl(rows_of("lost")))
    job_id = started.json()["id"]
    with services.sessions.begin() as session:
        session.delete(session.get(JobInput, job_id))
    run_worker_until_empty(services, redis_url)
    assert job_row(services, job_id)["status"] == "failed"
    assert "input is gone" in job_row(services, job_id)["message"]
    assert stored_cases(services, [row["id"] for row in rows_of("lost")]) == {}
    assert counts(services)["inputs"] == 0
    # RQ's own report of the failure (with its traceback) is among the lines checked.
    assert "rq.worker" in {record.name for record in caplog.records}
    assert_quiet(caplog.text)


@pytest.mark.slow
def test_fail_abandoned_deletes_the_input_of_an_import_its_worker_left(
        queued: TestClient, queued_admin: str, redis_url: str) -> None:
    from rq.job import Job, JobStatus

    from api.services.queue import connect, fail_abandoned, job_queue, queued_job_id

    services = queued.app.state.services  # type: ignore[attr-defined]
    started = queued.post("/v1/admin/cases/import", headers={**auth(queued_admin), **NDJSON},
                          content=jsonl(rows_of("left")))
    job_id = started.json()["id"]
    # A worker took it and died: RQ says started, by a worker whose alive key is gone.
    queued_job = Job.fetch(queued_job_id(job_id), connection=connect(redis_url))
    job_queue(redis_url).remove(queued_job)
    queued_job.worker_name = "needmatch-test-dead-worker"
    queued_job.set_status(JobStatus.STARTED)
    queued_job.save()
    with services.sessions.begin() as session:
        session.get(RetrainJob, job_id).status = "running"
    assert counts(services)["inputs"] == 1
    assert fail_abandoned(services.sessions, redis_url) == [job_id]
    assert counts(services)["inputs"] == 0
    assert job_row(services, job_id)["status"] == "failed"
    assert job_row(services, job_id)["message"].startswith("abandoned")
    assert stored_cases(services, [row["id"] for row in rows_of("left")]) == {}


@pytest.mark.slow
def test_a_reembedding_runs_in_the_worker(queued: TestClient, queued_admin: str,
                                          redis_url: str) -> None:
    services = queued.app.state.services  # type: ignore[attr-defined]
    started = queued.post("/v1/admin/jobs/reembed", headers=auth(queued_admin))
    assert started.status_code == 202 and started.json()["status"] == "queued"
    run_worker_until_empty(services, redis_url)
    job = queued.get(f"/v1/admin/jobs/{started.json()['id']}", headers=auth(queued_admin)).json()
    with services.sessions() as session:
        cases = session.scalar(select(func.count()).select_from(Case))
        responders = session.scalar(select(func.count()).select_from(Responder))
    assert job["status"] == "done", job
    assert (job["report"]["needs"], job["report"]["responders"]) == (cases, responders)
    assert job["message"].startswith(f"embedded {cases} cases and {responders} responder profiles")


@pytest.mark.slow
def test_the_command_line_queues_an_import_and_a_reembedding_for_the_worker(
        queued: TestClient, redis_url: str, write_jsonl: Any, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, root_logging: None) -> None:
    services = queued.app.state.services  # type: ignore[attr-defined]
    monkeypatch.setenv("NEEDMATCH_DATA_DIR", str(services.settings.data_dir))  # the same database
    monkeypatch.setenv("NEEDMATCH_REDIS_URL", redis_url)
    status, out, err = run_cli(["needs", "import", str(write_jsonl(rows_of("cli"))), "--queue"],
                               capsys, monkeypatch)
    assert status == 0, err
    import_id = int(out.strip().splitlines()[-1])
    assert f"queued import job {import_id}" in out
    assert stored_cases(services, [row["id"] for row in rows_of("cli")]) == {}
    run_worker_until_empty(services, redis_url)
    assert job_row(services, import_id)["status"] == "done"
    assert len(stored_cases(services, [row["id"] for row in rows_of("cli")])) == 3
    status, out, err = run_cli(["needs", "reembed", "--queue"], capsys, monkeypatch)
    assert status == 0, err
    reembed_id = int(out.strip().splitlines()[-1])
    run_worker_until_empty(services, redis_url)
    assert job_row(services, reembed_id)["status"] == "done"
    assert counts(services)["inputs"] == 0
