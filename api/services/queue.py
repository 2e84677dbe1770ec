"""The job queue of the production shape: long jobs (retrain, reclassify, re-embed, import) run
in `needmatch worker` processes fed by RQ on Redis, and the web process only enqueues them and
reports their progress from the job row. Without a Redis URL, jobs run in a thread of the process
that was asked (the embedded default). The queue carries a job's kind and id only: what a job
reads (an import's narratives) stays in the database (`job_inputs`).

RQ rather than arq, Dramatiq or Celery: the jobs are plain synchronous functions (PyTorch,
SQLAlchemy), which RQ runs as they are (arq wants coroutines); it needs nothing but Redis (which
the event bus already uses), and its registries say which jobs a dead worker left.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api.services.errors import QueueUnavailable
from api.services.jobs import IMPORT, RECLASSIFY, REEMBED, RETRAIN, discard_inputs, finish_job
from api.storage.tables import RetrainJob

if TYPE_CHECKING:
    from redis import Redis
    from rq import Queue

    from api.services.retraining import Retrainer
    from api.services.serving import ServingModel

logger = logging.getLogger("needmatch.jobs")

QUEUE_NAME = "needmatch"
# A retrain of a few thousand postings takes minutes; past this RQ stops it.
JOB_TIMEOUT_SECONDS = 2 * 60 * 60
# A worker says it is alive every ALIVE_EVERY seconds (from a thread, so also while a job runs in
# its main thread); one silent for ALIVE_SECONDS is gone (killed, machine lost): its jobs fail.
ALIVE_SECONDS = 15
ALIVE_EVERY = 5
WORKER_TTL_SECONDS = 60

class WorkerServices(Protocol):
    """What a worker's jobs use of the process's services (api.bootstrap.Services has it)."""

    sessions: sessionmaker[Session]
    model: ServingModel
    retrainer: Retrainer | None


# The worker process's services, loaded once when `needmatch worker` starts (models stay loaded
# between jobs: the worker runs each job in its own process, not a fork per job).
_SERVICES: WorkerServices | None = None
# The queue's Redis, on which the worker announces a model it promoted.
_REDIS_URL = ""
# What runs after a job in the worker (e.g. swap the worker's own model to a promoted one).
_AFTER: Callable[[], object] | None = None


def _imports() -> tuple[Any, Any]:
    try:
        import redis
        import rq
    except ImportError as error:  # pragma: no cover - both are main dependencies
        raise ImportError("the job queue needs Redis and RQ: pip install 'redis>=5.0.1' rq") from error
    return redis, rq


def connect(redis_url: str) -> Redis:
    """A Redis connection for RQ (bytes, as RQ wants them)."""
    redis, _ = _imports()
    return redis.Redis.from_url(redis_url, socket_connect_timeout=5)


def job_queue(redis_url: str) -> Queue:
    """The queue every server enqueues on and every worker reads."""
    _, rq = _imports()
    return rq.Queue(QUEUE_NAME, connection=connect(redis_url))


def queued_job_id(job_id: int) -> str:
    """The RQ job id of a job row."""
    return f"needmatch-job-{job_id}"


def enqueue(redis_url: str, kind: str, job_id: int) -> None:
    """Hand a job row to the workers."""
    job_queue(redis_url).enqueue_call(run_queued_job, args=(kind, job_id),
                                      timeout=JOB_TIMEOUT_SECONDS, job_id=queued_job_id(job_id),
                                      result_ttl=24 * 3600, failure_ttl=7 * 24 * 3600,
                                      description=f"{kind} job {job_id}")
    logger.info("%s job %d queued for a worker", kind, job_id)


def enqueue_or_fail(sessions: sessionmaker[Session], redis_url: str, kind: str,
                    job_id: int) -> None:
    """Hand a job row to the workers; if Redis cannot take it, the row is marked failed (and its
    input deleted) at once, so that it neither blocks the next job of its kind nor keeps its
    input, and the caller hears that the queue is unavailable."""
    try:
        enqueue(redis_url, kind, job_id)
    except Exception as error:  # noqa: BLE001 - redis-py's connection errors, RQ's own
        finish_job(sessions, job_id, "failed",
                   f"the job queue could not be reached ({type(error).__name__})")
        logger.error("%s job %d not queued: %s", kind, job_id, type(error).__name__)
        raise QueueUnavailable("the job queue (Redis) could not be reached; the job was not "
                               "started: retry shortly") from None


def run_queued_job(kind: str, job_id: int) -> None:
    """Run one job row in the worker (RQ calls this)."""
    if _SERVICES is None:
        raise RuntimeError("run_queued_job runs in `needmatch worker` only")
    services = _SERVICES
    if kind == RETRAIN:
        if services.retrainer is None:
            raise RuntimeError("this worker has no retrainer")
        outcome = services.retrainer.run(job_id, services.model.pipeline)
        if outcome.status == "promoted" and _REDIS_URL:
            from api.services.model_follower import announce_promotion

            announce_promotion(_REDIS_URL, outcome.live_after)
    elif kind == RECLASSIFY:
        from api.services.reclassification import run_reclassify_job

        run_reclassify_job(services.sessions, services.model, job_id)
    elif kind == REEMBED:
        from api.services.reclassification import run_reembed_job

        run_reembed_job(services.sessions, services.model, job_id)
    elif kind == IMPORT:
        from api.services.case_imports import run_import_job

        run_import_job(services.sessions, services.model, job_id)
    else:
        raise ValueError(f"unknown job kind {kind!r}")
    if _AFTER is not None:
        _AFTER()


def alive_key(worker_name: str) -> str:
    """The Redis key a live worker keeps refreshing."""
    return f"needmatch:workers:{worker_name}:alive"


def fail_abandoned(sessions: sessionmaker[Session], redis_url: str) -> list[int]:
    """Mark failed the job rows whose queued job is gone or was left by a dead worker.

    A worker killed mid-job leaves its row `running` and RQ's job `started`. RQ's own worker
    registration outlives a busy worker by the job's timeout (hours), so each worker keeps a key
    of its own alive (ALIVE_SECONDS); a started job whose worker's key is gone, or a job RQ moved
    to its failed registry, leaves its row marked failed (the job's work is applied
    all at once at its end, or not at all: a retrain writes its version and then flips the live
    pointer; a reclassify's batches are each whole and a new job finishes the rest; an import
    stores its cases and deletes its input in one transaction). The input of a job marked failed
    (an import's narratives) is deleted in the same transaction.
    """
    _, rq = _imports()
    from rq.job import Job, JobStatus

    connection = connect(redis_url)
    failed = []
    with sessions.begin() as session:
        for row in session.scalars(select(RetrainJob).where(
                RetrainJob.status.in_(("queued", "running")))):
            try:
                queued = Job.fetch(queued_job_id(row.id), connection=connection)
                status = queued.get_status(refresh=True)
                worker = queued.worker_name
            except Exception:  # noqa: BLE001 - not in Redis: lost (Redis restarted) or never queued
                queued, status, worker = None, None, None
            if status in (JobStatus.QUEUED, JobStatus.DEFERRED, JobStatus.SCHEDULED):
                continue
            if status == JobStatus.STARTED and worker and connection.exists(alive_key(worker)):
                continue
            if queued is None and row.status == "queued":
                continue  # a job run in a server thread (no queue) is not the workers' to judge
            row.status, row.finished_at = "failed", datetime.now(UTC)
            row.message = "abandoned: the worker running it stopped before it finished"
            failed.append(row.id)
        discard_inputs(session, failed)
    if failed:
        logger.warning("jobs %s marked failed: their worker stopped", failed)
    return failed


def run_worker(services: WorkerServices, redis_url: str, burst: bool = False,
               after: Callable[[], object] | None = None) -> None:
    """Serve jobs from the queue until stopped (or, with `burst`, until the queue is empty)."""
    global _SERVICES, _AFTER, _REDIS_URL
    _, rq = _imports()
    _SERVICES, _AFTER, _REDIS_URL = services, after, redis_url
    connection = connect(redis_url)
    worker = rq.SimpleWorker([rq.Queue(QUEUE_NAME, connection=connection)], connection=connection,
                             worker_ttl=WORKER_TTL_SECONDS, log_job_description=False)
    connection.set(alive_key(worker.name), "1", ex=ALIVE_SECONDS)
    fail_abandoned(services.sessions, redis_url)
    # Say this worker is alive, and notice another that died: every live worker looks.
    watching = threading.Event()

    def watch() -> None:
        looked = 0.0
        while not watching.wait(ALIVE_EVERY):
            try:
                connection.set(alive_key(worker.name), "1", ex=ALIVE_SECONDS)
                if time.monotonic() - looked >= ALIVE_SECONDS:
                    fail_abandoned(services.sessions, redis_url)
                    looked = time.monotonic()
            except Exception as error:  # noqa: BLE001 - the next round tries again
                logger.warning("worker heartbeat failed: %s", type(error).__name__)

    threading.Thread(target=watch, name="worker-alive", daemon=True).start()
    logger.info("worker %s serving queue %s", worker.name, QUEUE_NAME)
    try:
        worker.work(burst=burst, logging_level="WARNING", with_scheduler=False)
    finally:
        watching.set()
        connection.delete(alive_key(worker.name))
