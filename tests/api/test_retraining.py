"""Retraining end to end through the web API: labels in, a better model promoted and swapped in
live, a deliberately worse one refused by the gate, a forced promotion, rollback, and requests
fired throughout a swap that each run wholly on one model.

Small on purpose (a 150-posting live model, a few hundred labelled postings) so that each
retrain takes seconds; `needmatch benchmark-retrain` measures the full-size one.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.http.app import create_app
from api.services.accounts import create_user
from api.services.labels import import_labels
from api.services.models import ModelRegistry
from api.services.retraining import Retrainer, RetrainSources
from api.settings import Settings
from nlp.classifier_store import load_classifier, save_classifier
from nlp.classify import NeedClassificationPipeline
from nlp.taxonomy import CATEGORY_IDS
from tests.support import case_body, need_of
from training.datasets import load_labelled
from training.fit import TrainingConfig, train_classifier
from training.retrain import HELD_OUT_FILE, RetrainConfig
from training.shipped import SHIPPED_TRAINING

pytestmark = pytest.mark.slow  # retraining

DATA = Path(__file__).resolve().parents[2] / "training" / "data"
TAX_FILE = DATA / "labels_new_category_tax_relief.jsonl"
CONFIG = RetrainConfig(training=TrainingConfig(folds=3, threshold_objective="f1"))
TAX_RESPONDER = {
    "id": "r-tax", "name": "Low-Income Taxpayer Clinic", "organization": "Clinic",
    "expertise": "We represent survivors before the IRS and the state tax agency: returns a "
                 "trafficker filed in their name, tax debts and levies, innocent spouse relief, "
                 "identity theft affidavits and ITIN problems.",
    "jurisdictions": ["US-TX"], "languages": ["en"], "capacity": 3,
}
SWAP_TEXT = ("She was forced to work in a restaurant for two years without pay. "
             "She wants her back wages and help applying for a T visa.")


def _write(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows))
    return path


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
          document_encoder) -> Iterator[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """A running service whose live model was trained on 150 shipped postings (on each database)."""
    folder = tmp_path_factory.mktemp("retrain")
    rows = load_labelled(list(SHIPPED_TRAINING))
    random.Random(7).shuffle(rows)
    base = [{"id": row.id, "text": row.text, "labels": list(row.labels)} for row in rows[:150]]
    to_label = [{"id": row.id, "text": row.text, "labels": list(row.labels)} for row in rows[150:420]]
    base_file = _write(folder / "base.jsonl", base)
    root = folder / "models"
    trained = train_classifier(load_labelled([base_file]), document_encoder, CONFIG.training,
                               show_progress=False)
    base_version = trained.manifest["version"]
    save_classifier(trained.classifier, root / base_version, document_encoder.encoder, trained.manifest)
    registry = ModelRegistry(root)
    registry.promote(base_version, "the test's starting model")
    database = request.getfixturevalue("module_postgres_url") if request.param == "postgresql" else ""
    settings = Settings(data_dir=folder / "var", database_url=database, models_dir=root,
                        model_poll_seconds=0.2)
    with TestClient(create_app(settings)) as client:
        services = client.app.state.services  # type: ignore[attr-defined]
        # The same retrainer the service builds, on the small data set.
        services.retrainer = Retrainer(services.sessions, registry, CONFIG,
                                       RetrainSources([base_file], HELD_OUT_FILE))
        admin = create_user(services.sessions, "Network", "admin")[1]
        poster = create_user(services.sessions, "Shelter", "poster")[1]
        yield {"client": client, "services": services, "registry": registry, "base": base_version,
               "to_label": to_label, "folder": folder,
               "admin": {"Authorization": f"Bearer {admin}"},
               "poster": {"Authorization": f"Bearer {poster}"}}


def _retrain(world: dict[str, Any], body: dict[str, Any] | None = None) -> dict[str, Any]:
    client = world["client"]
    started = client.post("/v1/admin/retrain", headers=world["admin"], json=body or {})
    assert started.status_code == 202, started.text
    job = started.json()
    stages = set()
    deadline = time.monotonic() + 900  # a guard against hanging, not a speed check
    while not job["finished"]:
        assert time.monotonic() < deadline, "retrain did not finish"
        time.sleep(0.2)
        job = client.get(f"/v1/admin/retrain/{job['id']}", headers=world["admin"]).json()
        stages.add(job["stage"])
    job["stages_seen"] = stages
    return job


def _serving(world: dict[str, Any]) -> str:
    return world["client"].get("/v1/admin/models", headers=world["admin"]).json()["serving"]


def _wait_serving(world: dict[str, Any], version: str) -> None:
    deadline = time.monotonic() + 60
    while _serving(world) != version:
        assert time.monotonic() < deadline, f"the service never swapped to {version}"
        time.sleep(0.1)


def test_labels_and_a_new_category_then_a_better_model_goes_live(world: dict[str, Any]) -> None:
    client, admin = world["client"], world["admin"]
    services = world["services"]
    # A responder who describes tax work, profiled while no model knows the category.
    created = client.post("/v1/responders", headers=admin, json=TAX_RESPONDER)
    assert created.status_code == 201 and "tax_relief" not in created.json()["inferred_categories"]
    added = client.post("/v1/admin/categories", headers=admin, json={
        "id": "tax_relief", "label": "Tax problems caused by trafficking",
        "description": "Returns filed or taxes owed in the survivor's name because of the trafficker."})
    assert added.status_code == 201 and added.json()["status"].startswith("collecting examples")
    labels_file = _write(world["folder"] / "labels.jsonl", world["to_label"])
    counts = import_labels(services.sessions, labels_file, services.model.redactor,
                           encodings=services.model.encodings)
    assert counts.examples_created == 270
    import_labels(services.sessions, TAX_FILE, services.model.redactor)
    status = {c["id"]: c["status"] for c in client.get("/v1/categories", headers=admin).json()["categories"]}
    assert status["tax_relief"].startswith("ready")

    job = _retrain(world)
    assert job["status"] == "promoted", job["message"]
    report = job["report"]
    assert report["decision"]["candidate_primary"] >= report["decision"]["live_primary"] - CONFIG.tolerance
    assert "cross-validation" in job["stages_seen"] and job["stage"] == "done"
    assert report["rows"]["database_training"] > 250 and report["rows"]["database_held_out"] > 30
    assert "tax_relief" in report["metrics"]["held_out_per_label_f1"]
    new = job["candidate_version"]
    assert world["registry"].live_version() == new
    _wait_serving(world, new)  # no restart
    status = {c["id"]: c["status"] for c in client.get("/v1/categories", headers=admin).json()["categories"]}
    assert status["tax_relief"] == "live"
    version_dir = world["registry"].directory(new)
    metrics = json.loads((version_dir / "metrics.json").read_text())
    assert next(iter(metrics)) == "primary" and metrics["primary"] == "held_out_macro_f1"
    chart = client.get(f"/v1/admin/models/{new}/chart", headers=admin)
    assert chart.status_code == 200 and chart.content[:8] == b"\x89PNG\r\n\x1a\n"
    tax = client.post("/v1/classify", headers=world["poster"], json={
        "text": "The IRS says she owes $20,000 on returns her trafficker filed in her name."}).json()
    assert tax["model"] == new and "tax_relief" in tax["labels"]
    world["good"] = new


def test_the_gate_refuses_a_model_trained_on_wrong_labels(world: dict[str, Any]) -> None:
    services = world["services"]
    # An admin "corrects" every imported posting to the wrong categories.
    shift = {label: CATEGORY_IDS[(index + 5) % len(CATEGORY_IDS)] for index, label in enumerate(CATEGORY_IDS)}
    wrong = [{"id": row["id"], "labels": sorted({shift[label] for label in row["labels"]})}
             for row in world["to_label"]]
    import_labels(services.sessions, _write(world["folder"] / "wrong.jsonl", wrong),
                  services.model.redactor)
    job = _retrain(world)
    assert job["status"] == "refused", job["message"]
    assert job["report"]["decision"]["reasons"]
    assert world["registry"].live_version() == world["good"]
    assert _serving(world) == world["good"]
    world["bad"] = job["candidate_version"]
    # By hand it needs a reason, and then it is recorded as forced.
    client, admin = world["client"], world["admin"]
    refused = client.post(f"/v1/admin/models/{world['bad']}/promote", headers=admin, json={})
    assert refused.status_code == 422 and "reason" in refused.json()["detail"]
    forced = client.post(f"/v1/admin/models/{world['bad']}/promote", headers=admin,
                         json={"reason": "testing the forced path"})
    assert forced.status_code == 200 and forced.json()["serving"] == world["bad"]
    last = world["registry"].history()[-1]
    assert last["forced"] and last["reason"] == "testing the forced path"
    back = client.post("/v1/admin/models/rollback", headers=admin)
    assert back.status_code == 200 and back.json() == {"live": world["good"], "serving": world["good"]}


def test_requests_throughout_swaps_each_run_on_one_model(world: dict[str, Any], document_encoder) -> None:  # type: ignore[no-untyped-def]
    registry, client = world["registry"], world["client"]
    expected = {}
    for version in (world["base"], world["good"]):
        classifier, _ = load_classifier(registry.directory(version), document_encoder.encoder)
        result = NeedClassificationPipeline(document_encoder, classifier, version).classify(SWAP_TEXT)
        expected[version] = (result.labels, result.scores)
    assert expected[world["base"]] != expected[world["good"]]
    answers: list[tuple[int, Any]] = []
    stop = threading.Event()

    def fire(path: str) -> None:
        while not stop.is_set():
            body = {"text": SWAP_TEXT} if path == "/v1/classify" else case_body(SWAP_TEXT)
            response = client.post(path, headers=world["poster"], json=body)
            answers.append((response.status_code, response.json()))

    threads = [threading.Thread(target=fire, args=(path,))
               for path in ("/v1/classify", "/v1/classify", "/v1/cases")]
    for thread in threads:
        thread.start()
    try:
        for version in (world["base"], world["good"], world["base"], world["good"]):
            promoted = client.post(f"/v1/admin/models/{version}/promote", headers=world["admin"],
                                   json={"reason": "swap test"})
            assert promoted.status_code == 200 and promoted.json()["serving"] == version
            time.sleep(0.5)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert answers and all(status in (200, 201) for status, _ in answers), "a request failed"
    seen = set()
    for status, body in answers:
        version = body["model"] if status == 200 else body["model_version"]
        labels = body["labels"]
        assert labels == expected[version][0], "a request mixed two models"
        if status == 200:
            assert body["scores"] == expected[version][1]
        seen.add(version)
    assert seen == {world["base"], world["good"]}


def test_suggest_export_and_reclassify(world: dict[str, Any]) -> None:
    client, admin = world["client"], world["admin"]
    suggested = client.get("/v1/admin/labels/suggest?k=5", headers=admin).json()["suggestions"]
    assert len(suggested) == 5
    margins = [item["margin"] for item in suggested]
    assert margins == sorted(margins)
    assert all(item["uncertain_category"] in [*CATEGORY_IDS, "tax_relief"] for item in suggested)
    labelled = {row["id"] for row in world["to_label"]}
    decided = [item for item in suggested if item["case_id"] in labelled]
    assert not decided, "fully labelled postings are not suggested"
    before = client.get("/v1/admin/cases?limit=500", headers=admin).json()["cases"]
    published = [need for need in before if need["status"] == "open"]
    assert published
    job = client.post("/v1/admin/cases/reclassify", headers=admin)
    assert job.status_code == 202
    deadline = time.monotonic() + 600  # a guard against hanging, not a speed check
    while not job.json()["finished"]:
        assert time.monotonic() < deadline, "reclassify did not finish"
        time.sleep(0.2)
        job = client.get(f"/v1/admin/jobs/{job.json()['id']}", headers=admin)
    assert job.json()["status"] == "done", job.json()["message"]
    result = job.json()["report"]
    # Every stored case is classified again, whatever its status (open, in review, matched or
    # closed); its needs, which the advocate confirmed, stay as they are.
    stored = [case for case in before if case["status"] in ("open", "review", "matched", "closed")]
    assert result["model"] == world["good"] and result["needs"] == len(stored), sorted(
        case["status"] for case in before)
    after = {n["id"]: n for n in client.get("/v1/admin/cases?limit=500", headers=admin).json()["cases"]}
    assert all(after[need["id"]]["model_version"] == world["good"] for need in published)
    # The added category now reaches matching through the re-scored responder.
    assert result["responders_changed"] == 1
    profile = client.get("/v1/responders/r-tax", headers=admin).json()
    assert profile["inferred_categories"]["tax_relief"] > 0.5
    case = client.post("/v1/cases", headers=world["poster"], json=case_body(
        "The IRS is levying her wages for taxes on returns her trafficker filed in her name.")).json()
    assert "tax_relief" in case["labels"]
    top = need_of(case, "tax_relief")["suggestions"][0]
    assert top["responder_id"] == "r-tax" and "tax_relief" in top["explanation"]["categories_in_common"]
