"""Classifying stored needs, and inferring responders' categories, again with the serving model:
a background job whose progress any server can report."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from api.services.jobs import RECLASSIFY, JobProgress, create_job, finish_job, in_background
from api.services.needs import reclassify_needs
from api.services.responders import rescore_responders
from api.services.serving import ServingModel


def reclassify_everything(sessions: sessionmaker[Session], model: ServingModel,
                          progress: JobProgress | None = None,
                          show_progress: bool = False) -> dict[str, Any]:
    """Needs (earlier categories kept as history), then responders' inferred categories."""
    looked, changed = reclassify_needs(sessions, model, show_progress=show_progress,
                                       progress=progress)
    if progress is not None:
        progress("inferring responders' categories", 0, 1)
    responders_changed = rescore_responders(sessions, model)
    return {"needs": looked, "changed": changed, "responders_changed": responders_changed,
            "model": model.version}


def run_reclassify_job(sessions: sessionmaker[Session], model: ServingModel, job_id: int) -> None:
    """Run one reclassify job to its end; the job row says how it ended."""
    progress = JobProgress(sessions, job_id, show=False)
    try:
        report = reclassify_everything(sessions, model, progress)
    except Exception as error:
        finish_job(sessions, job_id, "failed", type(error).__name__)
        raise
    finally:
        progress.close()
    finish_job(sessions, job_id, "done",
               f"{report['needs']} needs re-classified with {report['model']}: {report['changed']} "
               f"changed; {report['responders_changed']} responders' inferred categories changed",
               report, model.version)


def start_reclassify(sessions: sessionmaker[Session], model: ServingModel,
                     user_id: int | None) -> int:
    """Queue a reclassify job (one at a time) and run it in the background; returns its id."""
    job_id = create_job(sessions, RECLASSIFY, user_id, live_before=model.version)
    in_background(lambda: run_reclassify_job(sessions, model, job_id), f"reclassify-{job_id}")
    return job_id
