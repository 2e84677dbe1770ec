"""The production shape: two `needmatch serve` processes and `needmatch worker` on one PostgreSQL
database and one Redis, each with a data directory of its own (model versions in the database).
Events cross servers, one key meets one rate limit over both, a retrain asked of one server runs
in the worker (a killed worker leaves its job failed) and both servers swap to the promoted
model, and killing a server loses nothing.

The retrains train on 600 of the shipped postings (NEEDMATCH_RETRAIN_FILES): what is tested is
the shape, and a retrain on all of them takes a quarter of an hour on two cores
(tests/api/test_retraining.py and `make model` cover training itself)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support import MATCHING, NEEDMATCH, case_body, free_port, need_of, wait_until_ready
from training.datasets import load_labelled
from training.shipped import SHIPPED_TRAINING

pytestmark = pytest.mark.slow  # subprocess servers, a worker and a retrain

# A Redis database of this test's own, emptied before and after.
REDIS_DATABASE = 14
TRAINING_ROWS = 600
STORY = ("New York. She was forced to work in a nail salon for two years without pay and her "
         "employer kept her passport. She needs a T visa.")


def _auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def shape(tmp_path: Path, module_postgres_url: str, redis_url: str) -> Iterator[dict[str, Any]]:
    """Accounts and responders on a fresh database; the processes are started by the test."""
    import redis

    queue_url = redis_url.rsplit("/", 1)[0] + f"/{REDIS_DATABASE}"
    redis.Redis.from_url(queue_url).flushdb()
    rows = load_labelled(list(SHIPPED_TRAINING))
    random.Random(11).shuffle(rows)
    training = tmp_path / "training.jsonl"
    training.write_text("".join(json.dumps({"id": row.id, "text": row.text, "labels": list(row.labels)},
                                           ensure_ascii=False) + "\n" for row in rows[:TRAINING_ROWS]))
    environment = {**os.environ, "NEEDMATCH_DATABASE_URL": module_postgres_url,
                   # Versions in the database: each process has a models folder of its own, as on
                   # separate machines.
                   "NEEDMATCH_REDIS_URL": queue_url, "NEEDMATCH_MODEL_STORE": "database",
                   "NEEDMATCH_DATA_DIR": str(tmp_path / "cli"), "NEEDMATCH_NOTIFY_THRESHOLD": "0",
                   "NEEDMATCH_RATE_LIMIT_PER_MINUTE": "40", "NEEDMATCH_MODEL_POLL_SECONDS": "1",
                   "NEEDMATCH_RETRAIN_FILES": str(training)}

    def cli(*arguments: str) -> str:
        return subprocess.run([NEEDMATCH, *arguments], env=environment, capture_output=True,
                              text=True, timeout=600, check=True).stdout

    cli("responders", "import", str(MATCHING / "responders.jsonl"))
    keys = {role: cli("users", "create", "--org", f"Shape {role}", "--role", kind,
                      *(["--responder-id", "r-021"] if kind == "responder" else [])
                      ).strip().splitlines()[-1]
            for role, kind in (("poster", "poster"), ("limited", "poster"),
                               ("responder", "responder"), ("admin", "admin"))}
    processes: list[subprocess.Popen[str]] = []
    yield {"environment": environment, "keys": keys, "processes": processes, "tmp": tmp_path}
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
    redis.Redis.from_url(queue_url).flushdb()


def _serve(shape: dict[str, Any], name: str) -> tuple[str, subprocess.Popen[str]]:
    port = free_port()
    environment = {**shape["environment"], "NEEDMATCH_DATA_DIR": str(shape["tmp"] / name)}
    process = subprocess.Popen([NEEDMATCH, "serve", "--port", str(port)], env=environment, text=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    shape["processes"].append(process)
    base = f"http://127.0.0.1:{port}"
    if not wait_until_ready(base):
        pytest.fail(f"server {name} did not become ready")
    return base, process


def _worker(shape: dict[str, Any], name: str) -> subprocess.Popen[str]:
    environment = {**shape["environment"], "NEEDMATCH_DATA_DIR": str(shape["tmp"] / name)}
    process = subprocess.Popen([NEEDMATCH, "worker"], env=environment, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    shape["processes"].append(process)
    assert process.stdout is not None
    line = process.stdout.readline()  # the models load first
    assert line.startswith("worker ready"), line
    return process


def _wait(check: Any, seconds: float, what: str) -> Any:
    """Poll until check() is truthy (a guard against hanging, not a speed check)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(2.0)  # the admin key's polls stay under the rate limit
    pytest.fail(f"timed out waiting for {what}")


def _job(base: str, key: str, job_id: int) -> dict[str, Any]:
    return httpx.get(f"{base}/v1/admin/retrain/{job_id}", headers=_auth(key), timeout=30).json()


def test_two_servers_and_a_worker_on_postgresql_and_redis(shape: dict[str, Any]) -> None:
    keys = shape["keys"]
    first, first_process = _serve(shape, "server-a")
    second, _ = _serve(shape, "server-b")
    worker = _worker(shape, "worker-1")

    # A need published on one server reaches a responder's stream on the other, live.
    received: list[dict[str, Any]] = []
    connected = threading.Event()

    def listen() -> None:
        with httpx.stream("GET", f"{second}/v1/stream", headers=_auth(keys["responder"]),
                          timeout=120) as response:
            connected.set()
            kind = ""
            for line in response.iter_lines():
                if line.startswith("event: "):
                    kind = line[7:]
                elif line.startswith("data: ") and kind == "need":
                    received.append(json.loads(line[6:]))
                    return

    def search(base: str) -> list[str]:
        answer = httpx.get(f"{base}/v1/needs/search", params={"q": "nail salon passport"},
                           headers=_auth(keys["responder"]), timeout=120)
        assert answer.status_code == 200
        return [hit["need_id"] for hit in answer.json()["results"]]

    before = search(second)  # server B's search index is loaded before the need exists
    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    assert connected.wait(30)
    time.sleep(1)  # the subscription reads from now on
    case = httpx.post(f"{first}/v1/cases", headers=_auth(keys["poster"]), timeout=120,
                      json=case_body(STORY, "US-NY", categories=["immigration_relief",
                                                                 "wage_claims"])).json()
    need = need_of(case, "immigration_relief")
    listener.join(60)
    assert received and received[0]["need_id"] == need["id"], "the event did not cross servers"
    # Server B's next search applies the need published on server A to its index.
    assert need["id"] not in before and need["id"] in search(second)

    # One key's requests over both servers meet one limit (40 a minute).
    statuses = [httpx.get(f"{base}/v1/me", headers=_auth(keys["limited"]), timeout=30).status_code
                for _ in range(25) for base in (first, second)]
    assert statuses.count(200) == 40 and statuses.count(429) == 10

    # A retrain asked of one server runs in the worker; killed mid-job, the job ends failed.
    admin = keys["admin"]
    labelled = httpx.post(f"{first}/v1/admin/cases/{case['id']}/labels", headers=_auth(admin),
                          json={"applies": ["immigration_relief", "wage_claims"]}, timeout=30)
    assert labelled.status_code == 200  # new data, so the retrain makes a new version
    started = httpx.post(f"{first}/v1/admin/retrain", headers=_auth(admin), timeout=30,
                         json={"force_reason": "production-shape test"}).json()
    _wait(lambda: _job(second, admin, started["id"])["status"] == "running", 300,
          "the worker to start the retrain")
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    replacement = _worker(shape, "worker-2")
    failed = _wait(lambda: (job := _job(second, admin, started["id"]))["finished"] and job, 180,
                   "the killed worker's job to be marked failed")
    assert failed["status"] == "failed" and "abandoned" in failed["message"]
    live_before = httpx.post(f"{first}/v1/classify", headers=_auth(keys["poster"]), timeout=60,
                             json={"text": STORY}).json()["model"]

    again = httpx.post(f"{second}/v1/admin/retrain", headers=_auth(admin), timeout=30,
                       json={"force_reason": "production-shape test"}).json()
    # The guard is against a hang, so it leaves room (a retrain on 600 postings takes about a
    # minute on two cores).
    done = _wait(lambda: (job := _job(first, admin, again["id"]))["finished"] and job, 900,
                 "the retrain in the worker")
    assert done["status"] == "promoted", done["message"]
    assert done["report"]["rows"]["shipped_training"] == TRAINING_ROWS  # the worker read the setting
    promoted = done["candidate_version"]
    assert promoted and promoted != live_before
    for base in (first, second):  # both servers swap to it
        _wait(lambda base=base: httpx.post(f"{base}/v1/classify", headers=_auth(keys["poster"]),
                                           timeout=60, json={"text": STORY}).json()["model"]
              == promoted,
              60, f"{base} to swap to {promoted}")
    assert replacement.poll() is None

    # Killing a server loses nothing: the other answers with everything it stored.
    first_process.send_signal(signal.SIGKILL)
    first_process.wait(timeout=30)
    kept = httpx.get(f"{second}/v1/cases/{case['id']}", headers=_auth(keys["poster"]), timeout=30)
    assert kept.status_code == 200
    assert [n["category"] for n in kept.json()["needs"]] == ["immigration_relief", "wage_claims"]
    offered = httpx.post(f"{second}/v1/needs/{need['id']}/offers", headers=_auth(keys["responder"]),
                         json={"no_conflict_attested": True}, timeout=30)
    assert offered.status_code == 201
