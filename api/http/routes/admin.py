"""Administration: labels, categories, retraining, model versions (promote, roll back), and
the background jobs over stored cases (reclassify, re-embed, bulk import)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel, ConfigDict, Field

from api.bootstrap import Services
from api.http.dependencies import AdminUser, JobId, LabelId, ModelDep, ServicesDep, UserDep
from api.http.schemas import RedactionFeedbackList, RedactionFeedbackOut
from api.services.case_imports import (
    IMPORT_MAX_BYTES,
    IMPORT_MAX_ROWS,
    parse_import_body,
    start_import,
    too_large_body_message,
)
from api.services.cases import CaseInput
from api.services.categories import add_category
from api.services.errors import ChartNotFound, FeatureUnavailable, ImportTooLarge
from api.services.jobs import RETRAIN, job_report, recent_jobs
from api.services.labels import (
    category_list,
    confirm_field_label,
    field_labels,
    recent_postings,
    set_labels,
)
from api.services.model_follower import announce_promotion
from api.services.models import ModelRegistry, version_summary
from api.services.reclassification import start_reclassify, start_reembed

if TYPE_CHECKING:  # retraining imports scikit-learn: loaded with the models, not at start-up
    from api.services.retraining import Retrainer

router = APIRouter(prefix="/v1")


def _registry(services: Services) -> ModelRegistry:
    if services.registry is None:
        raise FeatureUnavailable("this service runs without a model registry")
    return services.registry


def _retrainer(services: Services) -> Retrainer:
    if services.retrainer is None:
        raise FeatureUnavailable("this service runs without retraining")
    return services.retrainer


def _refresh(services: Services) -> None:
    """Swap the running service to the live model now (the background follower would too), and
    tell the other servers and workers on Redis to do the same."""
    if services.follower is not None:
        services.follower.refresh()
    if services.settings.redis_url:
        announce_promotion(services.settings.redis_url, services.model.version)


def _live_and_serving(services: Services) -> dict[str, object]:
    return {"live": _registry(services).live_version(), "serving": services.model.version}


# -- model versions -----------------------------------------------------------------------
@router.get("/admin/models")
def models(services: ServicesDep, user: AdminUser) -> dict[str, object]:
    """Every classifier version (trained here and shipped), the live one and the history."""
    registry = _registry(services)
    live = registry.live_version()
    return {"live": live, "serving": services.model.version,
            "models": [version_summary(m, live) for m in registry.manifests()],
            "history": registry.history()[-50:]}


class PromoteIn(BaseModel):
    """Why a version is made live by hand (required when its gate refused it)."""

    model_config = ConfigDict(extra="forbid")
    reason: str = Field(default="", max_length=1000)


@router.post("/admin/models/{version}/promote")
def promote(version: str, body: PromoteIn, services: ServicesDep, user: AdminUser) -> dict[str, object]:
    """Make a version live now; the running service swaps to it without a restart."""
    _registry(services).promote_by_hand(version, body.reason, f"user {user.id}")
    _refresh(services)
    return _live_and_serving(services)


@router.post("/admin/models/rollback")
def rollback(services: ServicesDep, user: AdminUser) -> dict[str, object]:
    """Go back to the version that was live before this one."""
    _registry(services).rollback(by=f"user {user.id}")
    _refresh(services)
    return _live_and_serving(services)


@router.get("/admin/models/{version}/chart", response_class=FileResponse)
def chart(version: str, services: ServicesDep, user: AdminUser) -> FileResponse:
    """PNG of the version's per-category held-out F1 beside the model live when it was made."""
    path = _registry(services).directory(version) / "held_out_f1.png"
    if not path.is_file():
        raise ChartNotFound(f"version {version} has no held-out chart (it was not made by a retrain)")
    return FileResponse(path, media_type="image/png")


# -- postings and labels ------------------------------------------------------------------
@router.get("/admin/cases")
def postings(
    services: ServicesDep, user: AdminUser, limit: Annotated[int, Query(ge=1, le=500)] = 100
) -> dict[str, object]:
    """The newest cases with their predicted categories (for review and relabelling)."""
    return {"cases": recent_postings(services.sessions, limit)}


class LabelsIn(BaseModel):
    """Categories that apply to a posting and categories that do not; the rest stay unknown."""

    model_config = ConfigDict(extra="forbid")
    applies: list[str] = []
    does_not_apply: list[str] = []


@router.post("/admin/cases/{case_id}/labels")
def label(case_id: str, body: LabelsIn, services: ServicesDep, user: AdminUser) -> dict[str, object]:
    """Confirm or correct a case's categories (partial labels; each change keeps history)."""
    current, history = set_labels(services.sessions, case_id, body.applies, body.does_not_apply,
                                  user.id)
    return {"case_id": case_id, "labels": current, "history": history}


@router.get("/admin/field-labels")
def list_field_labels(
    services: ServicesDep, user: AdminUser,
    pending: Annotated[bool, Query(description="only those not yet confirmed")] = True,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> dict[str, object]:
    """Advocates' corrections of the classifier before publishing, for an admin to confirm."""
    return {"labels": field_labels(services.sessions, pending, limit)}


class FieldLabelDecision(BaseModel):
    """An admin's decision on a label from the field."""

    model_config = ConfigDict(extra="forbid")
    confirm: bool


@router.post("/admin/field-labels/{label_id}")
def decide_field_label(label_id: LabelId, body: FieldLabelDecision,
                       services: ServicesDep, user: AdminUser) -> dict[str, object]:
    """Confirm an advocate's label (retraining uses it from then on) or reject it (removed)."""
    return confirm_field_label(services.sessions, label_id, body.confirm, user.id)


@router.get("/admin/labels/suggest")
def suggest(services: ServicesDep, model: ModelDep, user: AdminUser,
            k: Annotated[int, Query(ge=1, le=200)] = 20) -> dict[str, object]:
    """The postings whose predictions are least certain: the ones most worth labelling next."""
    from api.services.retraining import uncertain_postings

    return {"suggestions": uncertain_postings(services.sessions, model.pipeline, k)}


@router.post("/admin/cases/reclassify", status_code=202)
def reclassify(services: ServicesDep, model: ModelDep, user: AdminUser) -> dict[str, object]:
    """Classify stored cases again with the serving model (earlier categories kept as history),
    and infer responders' categories again with it, in the background; follow it at
    GET /v1/admin/jobs/{id}."""
    return job_report(services.sessions, start_reclassify(services.sessions, model, user.id,
                                                          services.settings.redis_url))


@router.post("/admin/jobs/reembed", status_code=202)
def reembed(services: ServicesDep, model: ModelDep, user: AdminUser) -> dict[str, object]:
    """Embed every stored case and responder profile again with the serving model's encoder, in
    the background (409 while one runs); follow it at GET /v1/admin/jobs/{id}."""
    return job_report(services.sessions, start_reembed(services.sessions, model, user.id,
                                                       services.settings.redis_url))


@dataclass(frozen=True)
class ImportBody:
    """An import's raw body and its media type (read by `read_import_body`)."""

    content: bytes
    media_type: str


async def read_import_body(request: Request, user: AdminUser) -> ImportBody:
    """The body of an import, once the caller is known to be an admin, refused as soon as it
    passes IMPORT_MAX_BYTES (by its Content-Length, or as it streams in)."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > IMPORT_MAX_BYTES:
        raise ImportTooLarge(too_large_body_message())
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > IMPORT_MAX_BYTES:
            raise ImportTooLarge(too_large_body_message())
        chunks.append(chunk)
    return ImportBody(content=b"".join(chunks), media_type=request.headers.get("content-type", ""))


_IMPORT_DOCUMENT = {"requestBody": {
    "required": True,
    "description": f"The cases of `needmatch needs import`, at most {IMPORT_MAX_ROWS} and "
                   f"{IMPORT_MAX_BYTES // (1024 * 1024)} MiB: JSON Lines (one case object a line) "
                   "or a JSON array of them",
    "content": {
        "application/x-ndjson": {"schema": {"type": "string"}},
        "application/json": {"schema": {
            "type": "array", "minItems": 1, "maxItems": IMPORT_MAX_ROWS,
            "items": CaseInput.model_json_schema(ref_template="#/components/schemas/{model}")}},
    }}}


@router.post("/admin/cases/import", status_code=202, openapi_extra=_IMPORT_DOCUMENT,
             # The app's limit is sized for one narrative; an import's own limit is checked as the
             # body streams in (read_import_body), this one is only the backstop.
             max_body_size=2 * IMPORT_MAX_BYTES)
def import_cases_job(body: Annotated[ImportBody, Depends(read_import_body)],
                     services: ServicesDep, model: ModelDep, user: AdminUser) -> dict[str, object]:
    """Import cases in the background (redacted, classified, stored open with a need per
    category): every row is validated first (a bad body starts nothing); 409 while an import
    runs; follow it at GET /v1/admin/jobs/{id}."""
    rows = parse_import_body(body.content, body.media_type, services.settings.max_narrative_chars)
    return job_report(services.sessions, start_import(services.sessions, rows, user.id,
                                                      services.settings.redis_url, model))


@router.get("/admin/jobs/{job_id}")
def read_background_job(job_id: JobId, services: ServicesDep, user: AdminUser) -> dict[str, object]:
    """Any background job (retrain, reclassify, reembed, import): stage and progress, then its
    outcome."""
    return job_report(services.sessions, job_id)


# -- categories ---------------------------------------------------------------------------
class CategoryIn(BaseModel):
    """A category to add to the taxonomy."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=3, max_length=64)
    label: str = Field(min_length=1, max_length=200)
    description: str = Field(min_length=1, max_length=2000)


def _categories(services: Services) -> list[dict[str, Any]]:
    from training.retrain import RetrainConfig

    retrainer = services.retrainer
    minimum = (retrainer.config if retrainer is not None else RetrainConfig()).min_examples
    with services.sessions() as session:
        return category_list(session, services.model.pipeline.classifier.labels, minimum)


@router.get("/categories")
def categories(services: ServicesDep, user: UserDep) -> dict[str, object]:
    """Every category (the taxonomy and added ones) with its status in the classifier."""
    return {"categories": _categories(services)}


@router.post("/admin/categories", status_code=201)
def create_category(body: CategoryIn, services: ServicesDep, user: AdminUser) -> dict[str, object]:
    """Add a category; postings can be labelled with it at once, the classifier learns it at
    the first retrain with enough examples."""
    with services.sessions.begin() as session:
        add_category(session, body.id, body.label, body.description, user.id)
    return next(c for c in _categories(services) if c["id"] == body.id)


# -- retraining ---------------------------------------------------------------------------
class RetrainIn(BaseModel):
    """Start a retrain; a force reason promotes the candidate even if the gate refuses it."""

    model_config = ConfigDict(extra="forbid")
    force_reason: str | None = Field(default=None, min_length=3, max_length=1000)


@router.post("/admin/retrain", status_code=202)
def retrain(body: RetrainIn, services: ServicesDep, model: ModelDep, user: AdminUser
            ) -> dict[str, object]:
    """Retrain in the background (in a `needmatch worker` when NEEDMATCH_REDIS_URL names the
    queue, else in this process); follow it at GET /v1/admin/retrain/{id}."""
    retrainer = _retrainer(services)
    job_id = retrainer.create_job(user.id, body.force_reason, model.version)
    if services.settings.redis_url:
        from api.services.queue import enqueue

        enqueue(services.settings.redis_url, RETRAIN, job_id)
    else:
        retrainer.start(job_id, model.pipeline, then=lambda: _refresh(services))
    return read_job(job_id, services, user)


@router.get("/admin/retrain")
def jobs(services: ServicesDep, user: AdminUser) -> dict[str, object]:
    """The latest retrain jobs, newest first."""
    return {"jobs": recent_jobs(services.sessions, RETRAIN)}


@router.get("/admin/retrain/{job_id}")
def read_job(job_id: JobId, services: ServicesDep, user: AdminUser) -> dict[str, object]:
    """One retrain job: stage and progress while it runs, the gate's decision when done."""
    return job_report(services.sessions, job_id)


@router.get("/admin/redaction-feedback", response_model=RedactionFeedbackList)
def redaction_feedback(services: ServicesDep, user: AdminUser,
                       limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> RedactionFeedbackList:
    """Advocates' marks on the redaction, newest first: evaluation data for the redactor."""
    from api.services.redaction_feedback import list_feedback

    return RedactionFeedbackList(feedback=[
        RedactionFeedbackOut.model_validate(item, from_attributes=True)
        for item in list_feedback(services.sessions, user, limit)])
