"""Two server processes on one data directory and database: concurrent writes corrupt nothing."""

from __future__ import annotations

import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.support import MATCHING, NEEDMATCH, case_body, free_port, wait_until_ready

pytestmark = pytest.mark.slow  # subprocess servers




def test_two_workers_publish_and_update_at_once(tmp_path: Path) -> None:
    environment = {**os.environ, "NEEDMATCH_DATA_DIR": str(tmp_path / "var")}

    def cli(*arguments: str) -> str:
        done = subprocess.run([NEEDMATCH, *arguments], env=environment, capture_output=True,
                              text=True, timeout=300, check=True)
        return done.stdout

    cli("responders", "import", str(MATCHING / "responders.jsonl"))
    poster = cli("users", "create", "--org", "Shelter", "--role", "poster").strip().splitlines()[-1]
    admin = cli("users", "create", "--org", "Network", "--role", "admin").strip().splitlines()[-1]
    ports = [free_port(), free_port()]
    # Each worker's log goes to a file (a pipe nobody reads would stall it when full); a failure
    # shows the logs' error lines (logs never hold narrative text).
    logs = [tmp_path / f"worker-{number}.log" for number in range(2)]
    handles = [log.open("w") for log in logs]
    servers = [subprocess.Popen([NEEDMATCH, "serve", "--port", str(port)], env=environment,
                                stdout=subprocess.DEVNULL, stderr=handle)
               for port, handle in zip(ports, handles, strict=True)]

    def errors() -> str:
        return "\n".join(line for log in logs for line in log.read_text().splitlines()
                         if "Error" in line or "error" in line or "Traceback" in line)[-4000:]

    try:
        for port in ports:
            if not wait_until_ready(f"http://127.0.0.1:{port}"):
                pytest.fail("a worker did not become ready")

        def publish(number: int) -> int:
            port = ports[number % 2]
            response = httpx.post(
                f"http://127.0.0.1:{port}/v1/cases", timeout=120,
                headers={"Authorization": f"Bearer {poster}"},
                json=case_body(f"Case {number}: she wants a divorce and custody of her kids."))
            return response.status_code

        def update(number: int) -> int:
            port = ports[number % 2]
            profile = httpx.get(f"http://127.0.0.1:{port}/v1/responders/r-00{number % 9 + 1}",
                                headers={"Authorization": f"Bearer {admin}"}, timeout=60).json()
            body = {key: profile[key] for key in ("id", "name", "organization", "expertise",
                                                  "jurisdictions", "languages", "capacity")}
            body["capacity"] = number % 5 + 1
            return httpx.put(f"http://127.0.0.1:{port}/v1/responders/{body['id']}", json=body,
                             headers={"Authorization": f"Bearer {admin}"}, timeout=120).status_code

        with ThreadPoolExecutor(max_workers=8) as pool:
            published = list(pool.map(publish, range(16)))
            updated = list(pool.map(update, range(8)))
            published += list(pool.map(publish, range(16, 24)))
        assert published == [201] * 24, errors()
        assert updated == [200] * 8, errors()
        found = httpx.get(f"http://127.0.0.1:{ports[0]}/v1/admin/cases?limit=500",
                          headers={"Authorization": f"Bearer {admin}"}, timeout=60).json()
        assert len(found["cases"]) == 24
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)
        for handle in handles:
            handle.close()
    # The saved responder index is whole: the next command loads or repairs it and matches.
    out = subprocess.run([NEEDMATCH, "match", "--jurisdiction", "US-TX", "--language", "en"],
                         input="She wants a divorce and custody.", env=environment,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0 and '"suggestions": [{' in out.stdout
    leftovers = [p.name for p in (tmp_path / "var" / "index").iterdir() if p.name.startswith(".")]
    assert leftovers == []
