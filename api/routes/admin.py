"""Administration: model versions and postings with their predicted categories."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import select

from api.dependencies import ServicesDep, UserDep, require
from api.model_registry import LIVE_POINTER
from api.tables import Need

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
        rows = session.scalars(select(Need).order_by(Need.created_at.desc()).limit(limit))
        return {"needs": [{"id": n.id, "text": n.text, "labels": n.labels, "scores": n.scores,
                           "status": n.status, "model_version": n.model_version} for n in rows]}
