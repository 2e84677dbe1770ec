"""Background jobs: shutdown waits for running ones, up to its limit."""

from __future__ import annotations

import threading

from api.services.jobs import in_background, wait_for_background_jobs


def test_shutdown_waits_for_a_running_job_and_reports_one_that_outlasts_it() -> None:
    release = threading.Event()
    finished: list[str] = []
    in_background(lambda: (release.wait(5), finished.append("done")), "test-job")
    assert wait_for_background_jobs(timeout=0.1) == 1  # still running after the wait
    release.set()
    assert wait_for_background_jobs(timeout=5) == 0
    assert finished == ["done"]


def test_a_failing_job_is_logged_and_leaves_nothing_running(caplog) -> None:  # type: ignore[no-untyped-def]
    def fail() -> None:
        raise RuntimeError("narrative text must not reach the log")

    in_background(fail, "test-failing-job")
    assert wait_for_background_jobs(timeout=5) == 0
    assert "RuntimeError" in caplog.text and "narrative" not in caplog.text
