"""Administration: labels, categories, retraining, model versions (promote, roll back)."""

from __future__ import annotations

import logging
import threading
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from api.dependencies import Services, ServicesDep, UserDep, require
from api.errors import Conflict, NotFound, UnprocessableInput
from api.labels import add_category, category_list, current_labels, set_labels
from api.model_registry import (
    ModelRegistry,
    NothingToRollBack,
    ReasonRequired,
    UnknownVersion,
    version_summary,
)
from api.retraining import FINISHED, Retrainer, uncertain_postings
from api.tables import Need, RetrainJob

router = APIRouter(prefix="/v1")
logger = logging.getLogger("needmatch.api")


def _registry(services: Services) -> ModelRegistry:
    if services.registry is None:
        raise Conflict("this service runs without a model registry")
    return services.registry


def _retrainer(services: Services) -> Retrainer:
    if services.retrainer is None:
        raise Conflict("this service runs without retraining")
    return services.retrainer


def _refresh(services: Services) -> None:
    """Swap the running service to the live model now (the background follower would too)."""
    if services.follower is not None:
        services.follower.refresh()


# -- model versions -----------------------------------------------------------------------
@router.get("/admin/models")
def models(services: ServicesDep, user: UserDep) -> dict[str, object]:
    """Every classifier version (trained here and shipped), the live one and the history."""
    require(user, "admin")
    registry = _registry(services)
    live = registry.live_version()
    return {"live": live, "serving": services.service.pipeline.version,
            "models": [version_summary(m, live) for m in registry.manifests()],
            "history": registry.history()[-50:]}


class PromoteIn(BaseModel):
    """Why a version is made live by hand (required when its gate refused it)."""

    model_config = ConfigDict(extra="forbid")
    reason: str = Field(default="", max_length=1000)


@router.post("/admin/models/{version}/promote")
def promote(version: str, body: PromoteIn, services: ServicesDep, user: UserDep) -> dict[str, object]:
    """Make a version live now; the running service swaps to it without a restart."""
    require(user, "admin")
    registry = _registry(services)
    try:
        registry.promote_by_hand(version, body.reason, f"user {user.id}")
    except UnknownVersion as error:
        raise NotFound(str(error)) from None
    except ReasonRequired as error:
        raise UnprocessableInput(str(error)) from None
    _refresh(services)
    return {"live": registry.live_version(), "serving": services.service.pipeline.version}


@router.post("/admin/models/rollback")
def rollback(services: ServicesDep, user: UserDep) -> dict[str, object]:
    """Go back to the version that was live before this one."""
    require(user, "admin")
    registry = _registry(services)
    try:
        registry.rollback(by=f"user {user.id}")
    except NothingToRollBack as error:
        raise Conflict(str(error)) from None
    _refresh(services)
    return {"live": registry.live_version(), "serving": services.service.pipeline.version}


@router.get("/admin/models/{version}/chart", response_class=FileResponse)
def chart(version: str, services: ServicesDep, user: UserDep) -> FileResponse:
    """PNG of the version's per-category held-out F1 beside the model live when it was made."""
    require(user, "admin")
    try:
        path = _registry(services).directory(version) / "held_out_f1.png"
    except UnknownVersion as error:
        raise NotFound(str(error)) from None
    if not path.is_file():
        raise NotFound(f"version {version} has no held-out chart (it was not made by a retrain)")
    return FileResponse(path, media_type="image/png")


# -- postings and labels ------------------------------------------------------------------
@router.get("/admin/needs")
def postings(
    services: ServicesDep, user: UserDep, limit: Annotated[int, Query(ge=1, le=500)] = 100
) -> dict[str, object]:
    """The newest postings with their predicted categories (for review and relabelling)."""
    require(user, "admin")
    with services.sessions() as session:
        rows = list(session.scalars(select(Need).order_by(Need.created_at.desc()).limit(limit)))
        return {"needs": [{"id": n.id, "text": n.text, "labels": n.labels, "scores": n.scores,
                           "status": n.status, "model_version": n.model_version,
                           "admin_labels": current_labels(session, n.id)} for n in rows]}


class LabelsIn(BaseModel):
    """Categories that apply to a posting and categories that do not; the rest stay unknown."""

    model_config = ConfigDict(extra="forbid")
    applies: list[str] = []
    does_not_apply: list[str] = []


@router.post("/admin/needs/{need_id}/labels")
def label(need_id: str, body: LabelsIn, services: ServicesDep, user: UserDep) -> dict[str, object]:
    """Confirm or correct a posting's categories (partial labels; each change keeps history)."""
    require(user, "admin")
    current, history = set_labels(services.sessions, need_id, body.applies, body.does_not_apply,
                                  user.id)
    return {"need_id": need_id, "labels": current, "history": history}


@router.get("/admin/labels/suggest")
def suggest(services: ServicesDep, user: UserDep,
            k: Annotated[int, Query(ge=1, le=200)] = 20) -> dict[str, object]:
    """The postings whose predictions are least certain: the ones most worth labelling next."""
    require(user, "admin")
    return {"suggestions": uncertain_postings(services.sessions, services.service.pipeline, k)}


@router.post("/admin/needs/reclassify")
def reclassify(services: ServicesDep, user: UserDep) -> dict[str, object]:
    """Classify stored needs again with the serving model (earlier categories kept as history),
    and infer responders' categories again with it."""
    require(user, "admin")
    service = services.service
    looked, changed = service.reclassify()
    return {"needs": looked, "changed": changed, "responders_changed": service.rescore_responders(),
            "model": service.pipeline.version}


# -- categories ---------------------------------------------------------------------------
class CategoryIn(BaseModel):
    """A category to add to the taxonomy."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=3, max_length=64)
    label: str = Field(min_length=1, max_length=200)
    description: str = Field(min_length=1, max_length=2000)


def _categories(services: Services) -> list[dict[str, Any]]:
    retrainer = services.retrainer
    minimum = retrainer.config.min_examples if retrainer is not None else 20
    with services.sessions() as session:
        return category_list(session, services.service.pipeline.classifier.labels, minimum)


@router.get("/categories")
def categories(services: ServicesDep, user: UserDep) -> dict[str, object]:
    """Every category (the taxonomy and added ones) with its status in the classifier."""
    return {"categories": _categories(services)}


@router.post("/admin/categories", status_code=201)
def create_category(body: CategoryIn, services: ServicesDep, user: UserDep) -> dict[str, object]:
    """Add a category; postings can be labelled with it at once, the classifier learns it at
    the first retrain with enough examples."""
    require(user, "admin")
    with services.sessions.begin() as session:
        add_category(session, body.id, body.label, body.description, user.id)
    return next(c for c in _categories(services) if c["id"] == body.id)


# -- retraining ---------------------------------------------------------------------------
class RetrainIn(BaseModel):
    """Start a retrain; a force reason promotes the candidate even if the gate refuses it."""

    model_config = ConfigDict(extra="forbid")
    force_reason: str | None = Field(default=None, min_length=3, max_length=1000)


def job_json(job: RetrainJob) -> dict[str, Any]:
    """A retrain job as the API shows it."""
    return {"id": job.id, "status": job.status, "stage": job.stage, "done": job.done,
            "total": job.total, "finished": job.status in FINISHED,
            "live_before": job.live_before, "candidate_version": job.candidate_version,
            "force_reason": job.force_reason, "message": job.message, "report": job.report,
            "created_at": job.created_at.isoformat() if job.created_at else None,
            "finished_at": job.finished_at.isoformat() if job.finished_at else None}


@router.post("/admin/retrain", status_code=202)
def retrain(body: RetrainIn, services: ServicesDep, user: UserDep) -> dict[str, object]:
    """Retrain in the background; follow it at GET /v1/admin/retrain/{id}."""
    require(user, "admin")
    retrainer = _retrainer(services)
    pipeline = services.service.pipeline
    job_id = retrainer.create_job(user.id, body.force_reason, pipeline.version)

    def run() -> None:
        try:
            retrainer.run(job_id, pipeline)
            _refresh(services)
        except Exception as error:  # noqa: BLE001 - the job row records the failure
            logger.error("retrain job %d ended with %s", job_id, type(error).__name__)

    threading.Thread(target=run, name=f"retrain-{job_id}", daemon=True).start()
    return read_job(job_id, services, user)


@router.get("/admin/retrain")
def jobs(services: ServicesDep, user: UserDep) -> dict[str, object]:
    """The latest retrain jobs, newest first."""
    require(user, "admin")
    with services.sessions() as session:
        rows = session.scalars(select(RetrainJob).order_by(RetrainJob.id.desc()).limit(20))
        return {"jobs": [job_json(job) for job in rows]}


@router.get("/admin/retrain/{job_id}")
def read_job(job_id: int, services: ServicesDep, user: UserDep) -> dict[str, object]:
    """One retrain job: stage and progress while it runs, the gate's decision when done."""
    require(user, "admin")
    with services.sessions() as session:
        job = session.get(RetrainJob, job_id)
        if job is None:
            raise NotFound(f"no retrain job {job_id}")
        return job_json(job)

