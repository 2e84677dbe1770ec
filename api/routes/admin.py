"""Administration: model versions and postings with their predicted categories."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.dependencies import ServicesDep, UserDep, require
from api.errors import NotFound, UnprocessableInput
from api.model_registry import LIVE_POINTER
from api.tables import Need, NeedLabel

router = APIRouter(prefix="/v1/admin")


@router.get("/models")
def models(services: ServicesDep, user: UserDep) -> dict[str, object]:
    """Every classifier version under the models directory, with its primary metric."""
    require(user, "admin")
    root = services.settings.models_dir
    pointer = root / LIVE_POINTER
    live = json.loads(pointer.read_text())["version"] if pointer.is_file() else None
    versions = []
    for manifest_path in sorted(root.glob("*/manifest.json")):
        manifest = json.loads(manifest_path.read_text())
        metrics = manifest.get("metrics", {})
        versions.append({
            "version": manifest.get("version", manifest_path.parent.name),
            "live": manifest_path.parent.name == live,
            "created_at": manifest.get("created_at"),
            "primary": metrics.get("primary"),
            "primary_value": metrics.get("cv_primary_value"),
            "per_label_f1": metrics.get("cv_per_label_f1", {}),
            "rows": manifest.get("training", {}).get("rows"),
        })
    return {"models": versions}


@router.get("/needs")
def postings(
    services: ServicesDep, user: UserDep, limit: Annotated[int, Query(ge=1, le=500)] = 100
) -> dict[str, object]:
    """The newest postings with their predicted categories (for review and relabelling)."""
    require(user, "admin")
    with services.sessions() as session:
        rows = list(session.scalars(select(Need).order_by(Need.created_at.desc()).limit(limit)))
        return {"needs": [{"id": n.id, "text": n.text, "labels": n.labels, "scores": n.scores,
                           "status": n.status, "model_version": n.model_version,
                           "admin_labels": _current_labels(session, n.id)} for n in rows]}


class LabelsIn(BaseModel):
    """Categories that apply to a posting and categories that do not; the rest stay unknown."""

    model_config = ConfigDict(extra="forbid")
    applies: list[str] = []
    does_not_apply: list[str] = []


def _current_labels(session: Session, need_id: str) -> dict[str, bool]:
    """The latest admin decision per category (older ones stay as history)."""
    rows = session.scalars(select(NeedLabel).where(NeedLabel.need_id == need_id)
                           .order_by(NeedLabel.set_at, NeedLabel.id))
    return {row.category: row.applies for row in rows}


@router.post("/needs/{need_id}/labels")
def set_labels(need_id: str, body: LabelsIn, services: ServicesDep, user: UserDep) -> dict[str, object]:
    """Confirm or correct a posting's categories (partial labels; each change keeps history)."""
    require(user, "admin")
    known = set(services.service.pipeline.classifier.labels)
    unknown = sorted((set(body.applies) | set(body.does_not_apply)) - known)
    if unknown:
        raise UnprocessableInput(f"unknown categories: {', '.join(unknown)}")
    if set(body.applies) & set(body.does_not_apply):
        raise UnprocessableInput("a category cannot both apply and not apply")
    with services.sessions.begin() as session:
        if session.get(Need, need_id) is None:
            raise NotFound(f"no need with id '{need_id}'")
        for category, applies in [(c, True) for c in body.applies] + [
                (c, False) for c in body.does_not_apply]:
            session.add(NeedLabel(need_id=need_id, category=category, applies=applies,
                                  set_by=user.id))
        session.flush()
        current = _current_labels(session, need_id)
        history = session.scalar(select(func.count()).select_from(NeedLabel)
                                 .where(NeedLabel.need_id == need_id))
    return {"need_id": need_id, "labels": current, "history": history}
