"""Classifying stored needs, and inferring responders' categories, again with the serving model;
embedding stored cases and responder profiles again with its encoder: background jobs whose
progress any server can report."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from tqdm import tqdm

from api.services.cases import reclassify_cases
from api.services.jobs import (
    RECLASSIFY,
    REEMBED,
    JobProgress,
    create_job,
    finish_job,
    in_background,
)
from api.services.responders import rescore_responders
from api.services.serving import ServingModel
from api.storage.tables import Case


def reclassify_everything(sessions: sessionmaker[Session], model: ServingModel,
                          progress: JobProgress | None = None,
                          show_progress: bool = False) -> dict[str, Any]:
    """Needs (earlier categories kept as history), then responders' inferred categories."""
    looked, changed = reclassify_cases(sessions, model, show_progress=show_progress,
                                       progress=progress)
    if progress is not None:
        progress("inferring responders' categories", 0, 1)
    responders_changed = rescore_responders(sessions, model)
    return {"needs": looked, "changed": changed, "responders_changed": responders_changed,
            "model": model.version}


def reembed_everything(sessions: sessionmaker[Session], model: ServingModel,
                       show_progress: bool = False,
                       progress: JobProgress | None = None) -> dict[str, Any]:
    """Embed every stored need and every responder profile with the serving model's encoder.

    After a model on another encoder goes live, this does at once (with progress bars) what
    would otherwise happen on first use: the needs' encodings are kept under the new encoder's
    name, and the responder index is rebuilt and saved with that name in its manifest.
    """
    encoder = model.pipeline.document_encoder.encoder
    with sessions() as session:
        texts = list(session.scalars(select(Case.text)))
    with tqdm(total=len(texts), desc="needs", unit="need", disable=not show_progress) as bar:
        def embedded(done: int, total: int) -> None:
            bar.update(done - bar.n)
            if progress is not None:
                progress("embedding cases", done, total)

        if progress is not None:
            progress("embedding cases", 0, len(texts))
        model.encodings.encode(texts, on_chunk=embedded)
    with tqdm(desc="responders", unit="profile", disable=not show_progress) as bar:
        def advance(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)
            if progress is not None:
                progress("embedding responder profiles", done, total)

        index = model.directory.rebuild(advance)
    return {"needs": len(texts), "responders": len(index), "encoder": encoder.name,
            "precision": encoder.precision}


def _run_job(sessions: sessionmaker[Session], job_id: int,
             work: Callable[[JobProgress], dict[str, Any]],
             message: Callable[[dict[str, Any]], str], version: str) -> None:
    """Run one job to its end with its progress on the row; the row says how it ended."""
    progress = JobProgress(sessions, job_id, show=False)
    try:
        report = work(progress)
    except Exception as error:
        finish_job(sessions, job_id, "failed", type(error).__name__)
        raise
    finally:
        progress.close()
    finish_job(sessions, job_id, "done", message(report), report, version)


def run_reclassify_job(sessions: sessionmaker[Session], model: ServingModel, job_id: int) -> None:
    """Run one reclassify job to its end; the job row says how it ended."""
    _run_job(sessions, job_id, lambda progress: reclassify_everything(sessions, model, progress),
             lambda report: f"{report['needs']} cases re-classified with {report['model']}: "
                            f"{report['changed']} changed; {report['responders_changed']} "
                            "responders' inferred categories changed", model.version)


def run_reembed_job(sessions: sessionmaker[Session], model: ServingModel, job_id: int) -> None:
    """Run one re-embedding job to its end; the job row says how it ended."""
    _run_job(sessions, job_id, lambda progress: reembed_everything(sessions, model,
                                                                   progress=progress),
             lambda report: f"embedded {report['needs']} cases and {report['responders']} "
                            f"responder profiles with {report['encoder']} "
                            f"({report['precision']}); the responder index names it", model.version)


def start_reembed(sessions: sessionmaker[Session], model: ServingModel | None,
                  user_id: int | None, redis_url: str = "") -> int:
    """Create a re-embedding job (one at a time) and run it: in a worker when a Redis URL names
    the queue (`model` may then be None: the worker embeds with its own), else in a background
    thread of this process; returns its id."""
    if model is None and not redis_url:
        raise ValueError("a re-embedding job without a queue runs here, with this process's model")
    job_id = create_job(sessions, REEMBED, user_id,
                        live_before=model.version if model is not None else "")
    if redis_url:
        from api.services.queue import enqueue_or_fail

        enqueue_or_fail(sessions, redis_url, REEMBED, job_id)
    elif model is not None:
        in_background(lambda: run_reembed_job(sessions, model, job_id), f"reembed-{job_id}")
    return job_id


def start_reclassify(sessions: sessionmaker[Session], model: ServingModel,
                     user_id: int | None, redis_url: str = "") -> int:
    """Create a reclassify job (one at a time) and run it: in a worker when a Redis URL names
    the queue, else in a background thread of this process; returns its id."""
    job_id = create_job(sessions, RECLASSIFY, user_id, live_before=model.version)
    if redis_url:
        from api.services.queue import enqueue

        enqueue(redis_url, RECLASSIFY, job_id)
    else:
        in_background(lambda: run_reclassify_job(sessions, model, job_id), f"reclassify-{job_id}")
    return job_id
