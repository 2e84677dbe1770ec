"""Background jobs (retrain, reclassify, re-embed, import): a row that reports stage and progress
while the job runs and its outcome when it ends, so any server process can show it.

A job that reads rows (an import's narratives) finds them in `job_inputs`, keyed by its id. They
are unredacted, so they live only as long as the job: the job deletes them in the transaction that
stores its outcome, a job that ends in any other way (failed, abandoned) loses them with the same
write that records it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker
from tqdm import tqdm

from api.services.errors import JobRunning, RetrainJobNotFound
from api.storage.tables import JobInput, RetrainJob, utc_iso

logger = logging.getLogger("needmatch.jobs")
RETRAIN, RECLASSIFY, REEMBED, IMPORT = "retrain", "reclassify", "reembed", "import"
# A retrain of 5,000 postings takes minutes; a job unfinished after this was abandoned.
ABANDONED_AFTER = timedelta(hours=2)
# A retrain ends promoted, refused or unchanged; any job may end done or failed.
FINISHED = ("promoted", "refused", "unchanged", "done", "failed")


class JobProgress:
    """Reports progress to a job row (at most twice a second) and, optionally, a progress bar."""

    def __init__(self, sessions: sessionmaker[Session], job_id: int, show: bool) -> None:
        self.sessions = sessions
        self.job_id = job_id
        self.show = show
        self._bar: tqdm[Any] | None = None
        self._stage = ""
        self._last = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.show:
            if stage != self._stage:
                if self._bar is not None:
                    self._bar.close()
                self._bar = tqdm(total=total, desc=stage, unit="step")
            if self._bar is not None:
                self._bar.n = done
                self._bar.refresh()
        now = time.monotonic()
        if stage != self._stage or done >= total or now - self._last > 0.5:
            with self.sessions.begin() as session:
                job = session.get(RetrainJob, self.job_id)
                if job is not None:
                    job.stage, job.done, job.total, job.status = stage, done, total, "running"
            self._last = now
        self._stage = stage

    def close(self) -> None:
        """Close the progress bar."""
        if self._bar is not None:
            self._bar.close()


def _age(job: RetrainJob) -> timedelta:
    created = job.created_at if job.created_at.tzinfo else job.created_at.replace(tzinfo=UTC)
    return datetime.now(UTC) - created


def create_job(sessions: sessionmaker[Session], kind: str, user_id: int | None,
               busy: type[JobRunning] = JobRunning, inputs: list[dict[str, Any]] | None = None,
               **fields: Any) -> int:
    """A queued job row (with the rows it will read, `inputs`, in the same transaction); refuses a
    second job of the kind while one is queued or running.

    A job unfinished after ABANDONED_AFTER was left by a process that stopped: it is marked
    failed (its input deleted) so that it no longer blocks new ones.
    """
    with sessions.begin() as session:
        for running in session.scalars(select(RetrainJob).where(
                RetrainJob.kind == kind, RetrainJob.status.in_(("queued", "running")))):
            if _age(running) < ABANDONED_AFTER:
                raise busy(f"{kind} job {running.id} is still running; wait for it to finish")
            mark_finished(session, running.id, "failed",
                          "abandoned: the process running it stopped before it finished")
        job = RetrainJob(kind=kind, status="queued", requested_by=user_id, stage="queued", **fields)
        session.add(job)
        session.flush()
        if inputs is not None:
            session.add(JobInput(job_id=job.id, rows=inputs))
        return job.id


def mark_finished(session: Session, job_id: int, status: str, message: str,
                  report: dict[str, Any] | None = None, version: str | None = None) -> None:
    """Record, in the caller's transaction, how a job ended; its input goes with that write."""
    job = session.get(RetrainJob, job_id)
    if job is not None:
        job.status, job.candidate_version, job.report = status, version, report or {}
        job.message, job.finished_at = message, datetime.now(UTC)
        job.stage = "done"
    discard_inputs(session, [job_id])


def finish_job(sessions: sessionmaker[Session], job_id: int, status: str, message: str,
               report: dict[str, Any] | None = None, version: str | None = None) -> None:
    """Record how a job ended (and delete its input, if it had one)."""
    with sessions.begin() as session:
        mark_finished(session, job_id, status, message, report, version)


def job_input(sessions: sessionmaker[Session], job_id: int) -> list[dict[str, Any]] | None:
    """The rows a job reads, or None when they are gone (applied, failed or abandoned)."""
    with sessions() as session:
        stored = session.get(JobInput, job_id)
        return None if stored is None else list(stored.rows)


def discard_inputs(session: Session, job_ids: list[int]) -> int:
    """Delete the inputs of these jobs in the caller's transaction; how many there were."""
    if not job_ids:
        return 0
    result = session.execute(delete(JobInput).where(JobInput.job_id.in_(job_ids)))
    return int(getattr(result, "rowcount", 0) or 0)


def discard_stale_inputs(sessions: sessionmaker[Session]) -> list[int]:
    """Delete every input whose job no longer needs it: the job finished, or it is unfinished
    after ABANDONED_AFTER (a process that stopped left it; it is marked failed). Returns the ids
    of the jobs whose input was deleted.

    A worker's abandoned jobs are found within seconds (`queue.fail_abandoned`); this catches the
    rest: a server thread's job cut off by a stopped process, a queued job that Redis lost.
    """
    with sessions.begin() as session:
        held = list(session.scalars(select(RetrainJob).join(
            JobInput, JobInput.job_id == RetrainJob.id)))
        stale = [job for job in held if job.status in FINISHED or _age(job) >= ABANDONED_AFTER]
        for job in stale:
            if job.status not in FINISHED:
                mark_finished(session, job.id, "failed",
                              "abandoned: the process running it stopped before it finished")
        discard_inputs(session, [job.id for job in stale])
    if stale:
        logger.warning("inputs of jobs %s deleted: their jobs ended or were abandoned",
                       [job.id for job in stale])
    return [job.id for job in stale]


_RUNNING: set[threading.Thread] = set()
_RUNNING_LOCK = threading.Lock()


def in_background(work: Callable[[], object], name: str) -> threading.Thread:
    """Run work in a daemon thread; a failure is logged by type only (the job row has it)."""

    def run() -> None:
        try:
            work()
        except Exception as error:  # noqa: BLE001 - the job row records the failure
            logger.error("background job %s ended with %s", name, type(error).__name__)
        finally:
            with _RUNNING_LOCK:
                _RUNNING.discard(threading.current_thread())

    thread = threading.Thread(target=run, name=name, daemon=True)
    with _RUNNING_LOCK:
        _RUNNING.add(thread)
    thread.start()
    return thread


def wait_for_background_jobs(timeout: float) -> int:
    """At shutdown: let running jobs finish (up to `timeout` seconds in all), so that no job is
    cut off inside a model call; returns how many were still running after it."""
    deadline = time.monotonic() + timeout
    with _RUNNING_LOCK:
        threads = list(_RUNNING)
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return sum(thread.is_alive() for thread in threads)


def job_json(job: RetrainJob) -> dict[str, Any]:
    """A retrain job as the API shows it."""
    return {"id": job.id, "kind": job.kind, "status": job.status, "stage": job.stage, "done": job.done,
            "total": job.total, "finished": job.status in FINISHED,
            "live_before": job.live_before, "candidate_version": job.candidate_version,
            "force_reason": job.force_reason, "message": job.message, "report": job.report,
            "created_at": utc_iso(job.created_at),
            "finished_at": utc_iso(job.finished_at)}


def job_report(sessions: sessionmaker[Session], job_id: int) -> dict[str, Any]:
    """One retrain job: stage and progress while it runs, the gate's decision when done."""
    with sessions() as session:
        job = session.get(RetrainJob, job_id)
        if job is None:
            raise RetrainJobNotFound(job_id)
        return job_json(job)


def recent_jobs(sessions: sessionmaker[Session], kind: str, limit: int = 20) -> list[dict[str, Any]]:
    """The latest jobs of a kind, newest first."""
    with sessions() as session:
        return [job_json(job) for job in session.scalars(
            select(RetrainJob).where(RetrainJob.kind == kind).order_by(RetrainJob.id.desc())
            .limit(limit))]


