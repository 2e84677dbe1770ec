"""Bulk imports as background jobs: the rows (the case JSONL of `needmatch needs import`) are
validated whole when the job is asked for, kept in `job_inputs` while it waits and runs, and
imported by a worker (or a thread of this process without a queue) with `cases.import_cases`.

The rows are unredacted narratives. They are never logged (ids and counts only), never put on
Redis (the queue carries the job's id), and deleted in the very transaction that stores the
imported cases: a worker killed before that commit leaves nothing imported and the input in
place (the job is then marked failed and the input deleted by `queue.fail_abandoned`); after it,
everything imported and the input gone. A job that fails deletes its input with the write that
records the failure.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from sqlalchemy.orm import Session, sessionmaker

from api.services.cases import CaseInput, import_cases
from api.services.errors import ImportTooLarge, InvalidImportRow
from api.services.jobs import (
    FINISHED,
    IMPORT,
    JobProgress,
    create_job,
    discard_inputs,
    finish_job,
    in_background,
    job_input,
    mark_finished,
)
from api.services.validation import describe
from api.storage.tables import RetrainJob

if TYPE_CHECKING:
    from api.services.serving import ServingModel

logger = logging.getLogger("needmatch.jobs")

# One job redacts and classifies its rows in a few minutes at most, and its input row stays small
# enough for one database write.
IMPORT_MAX_ROWS = 1000
IMPORT_MAX_BYTES = 8 * 1024 * 1024
# Media types read as JSON Lines (one case object a line); application/json is a JSON array.
JSON_LINES_TYPES = ("", "application/x-ndjson", "application/jsonl", "text/plain")
JSON_ARRAY_TYPE = "application/json"


class ImportInputGone(RuntimeError):
    """The job's rows are no longer stored: it was found abandoned, or already applied."""

    def __init__(self, job_id: int) -> None:
        super().__init__(f"import job {job_id} has no input")


class ImportJobFailed(RuntimeError):
    """An import job ended in failure; carries the error's type only (never its message, which
    might quote a narrative), since the queue logs and keeps what a job raised."""


def too_large_body_message() -> str:
    """What to do about a body past IMPORT_MAX_BYTES."""
    return (f"the body is larger than {IMPORT_MAX_BYTES} bytes; one import takes at most "
            f"{IMPORT_MAX_BYTES // (1024 * 1024)} MiB and {IMPORT_MAX_ROWS} cases: split it")


def _json_lines(body: bytes) -> Iterator[tuple[str, Any]]:
    for number, raw in enumerate(body.split(b"\n"), start=1):
        if not raw.strip():
            continue
        where = f"line {number}"
        try:
            yield where, json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise InvalidImportRow(f"{where}: not UTF-8 text", where) from None
        except json.JSONDecodeError as error:  # its message names the problem, not the input
            raise InvalidImportRow(f"{where}: malformed JSON ({error.msg})", where) from None


def _json_array(body: bytes) -> Iterator[tuple[str, Any]]:
    try:
        value = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise InvalidImportRow("the body is not UTF-8 text", "body") from None
    except json.JSONDecodeError as error:
        raise InvalidImportRow(
            f"the body is not valid JSON (line {error.lineno}: {error.msg}): send a JSON array "
            "of cases, or JSON Lines as application/x-ndjson", "body") from None
    if not isinstance(value, list):
        raise InvalidImportRow("send a JSON array of cases (or JSON Lines as "
                               "application/x-ndjson)", "body")
    for number, item in enumerate(value, start=1):
        yield f"row {number}", item


def parse_import_body(body: bytes, media_type: str,
                      max_narrative_chars: int | None = None) -> list[CaseInput]:
    """Every row of an import body, validated before any is used: JSON Lines (one case a line,
    as `needmatch needs import` reads them) or, as application/json, a JSON array of cases.

    A bad body raises InvalidImportRow (422) or ImportTooLarge (413), naming the line (or array
    position) and the field, never quoting the narrative.
    """
    if len(body) > IMPORT_MAX_BYTES:
        raise ImportTooLarge(too_large_body_message())
    media_type = media_type.split(";", 1)[0].strip().lower()
    if media_type == JSON_ARRAY_TYPE:
        records = list(_json_array(body))
    elif media_type in JSON_LINES_TYPES:
        if sum(1 for raw in body.split(b"\n") if raw.strip()) > IMPORT_MAX_ROWS:
            raise ImportTooLarge(too_many_rows_message())
        records = list(_json_lines(body))
    else:
        raise InvalidImportRow("send the cases as JSON Lines (Content-Type: application/x-ndjson, "
                               "one case a line) or as a JSON array (application/json)", "body")
    if not records:
        raise InvalidImportRow("the body holds no cases: send one case object a line "
                               "(id, text, jurisdiction, language)", "body")
    if len(records) > IMPORT_MAX_ROWS:
        raise ImportTooLarge(too_many_rows_message())
    rows: list[CaseInput] = []
    first_seen: dict[str, str] = {}
    for where, value in records:
        if not isinstance(value, dict):
            raise InvalidImportRow(f"{where}: expected a JSON object (a case)", where)
        try:
            row = CaseInput.model_validate(value)
        except ValidationError as error:
            field = ".".join(str(part) for part in error.errors()[0]["loc"]) or "row"
            raise InvalidImportRow(f"{where}: {describe(error)}", field) from None
        if max_narrative_chars is not None and len(row.text) > max_narrative_chars:
            raise ImportTooLarge(f"{where}: text: the narrative has {len(row.text)} characters; "
                                 f"the limit is {max_narrative_chars}")
        if row.id in first_seen:
            raise InvalidImportRow(f"{where}: id: the same id as {first_seen[row.id]}; import "
                                   "each case once", "id")
        first_seen[row.id] = where
        rows.append(row)
    return rows


def too_many_rows_message() -> str:
    """What to do about an import of more than IMPORT_MAX_ROWS cases."""
    return (f"the import has more than {IMPORT_MAX_ROWS} cases; one import takes at most "
            f"{IMPORT_MAX_ROWS}: split it (one import job runs at a time)")


def start_import(sessions: sessionmaker[Session], rows: Sequence[CaseInput], user_id: int | None,
                 redis_url: str = "", model: ServingModel | None = None) -> int:
    """Create an import job (one at a time) with its rows, and run it: in a worker when a Redis
    URL names the queue (`model` may then be None), else in a background thread of this process
    with `model`; returns its id."""
    if model is None and not redis_url:
        raise ValueError("an import without a queue runs here, with this process's model")
    if len(rows) > IMPORT_MAX_ROWS:
        raise ImportTooLarge(too_many_rows_message())
    inputs = [row.model_dump() for row in rows]
    size = len(json.dumps(inputs, ensure_ascii=False).encode("utf-8"))
    if size > IMPORT_MAX_BYTES:
        raise ImportTooLarge(f"the cases come to {size} bytes; one import takes at most "
                             f"{IMPORT_MAX_BYTES // (1024 * 1024)} MiB: split them")
    job_id = create_job(sessions, IMPORT, user_id, inputs=inputs, total=len(rows),
                        live_before=model.version if model is not None else "")
    logger.info("import job %d created: %d cases", job_id, len(rows))
    if redis_url:
        from api.services.queue import enqueue_or_fail

        enqueue_or_fail(sessions, redis_url, IMPORT, job_id)
    elif model is not None:
        in_background(lambda: run_import_job(sessions, model, job_id), f"import-{job_id}")
    return job_id


def _ended(sessions: sessionmaker[Session], job_id: int) -> bool:
    with sessions() as session:
        job = session.get(RetrainJob, job_id)
        return job is not None and job.status in FINISHED


def run_import_job(sessions: sessionmaker[Session], model: ServingModel, job_id: int) -> None:
    """Run one import job to its end: its cases stored, its input deleted and its outcome recorded
    in one transaction; on any failure nothing is stored and the input is deleted."""
    progress = JobProgress(sessions, job_id, show=False)
    try:
        stored = job_input(sessions, job_id)
        if stored is None:
            raise ImportInputGone(job_id)
        rows = [CaseInput.model_validate(row) for row in stored]

        def record(session: Session, created: int, updated: int) -> None:
            # The input must still be there, and goes with this commit: a job found abandoned
            # meanwhile (its input deleted) or already applied stores nothing.
            if discard_inputs(session, [job_id]) != 1:
                raise ImportInputGone(job_id)
            mark_finished(session, job_id, "done",
                          f"imported {len(rows)} cases with model {model.version}: {created} new, "
                          f"{updated} updated",
                          {"cases": len(rows), "created": created, "updated": updated,
                           "model": model.version}, model.version)
            job = session.get(RetrainJob, job_id)
            if job is not None:
                job.done = job.total = len(rows)

        import_cases(sessions, model, rows, progress=progress, then=record)
    except Exception as error:
        gone = isinstance(error, ImportInputGone)
        if gone and _ended(sessions, job_id):  # run again after it ended: leave its outcome be
            logger.warning("import job %d had already ended: not run again", job_id)
            raise ImportJobFailed(f"import job {job_id} had already ended") from None
        finish_job(sessions, job_id, "failed",
                   "its input is gone (the job was found abandoned, or already applied); nothing "
                   "was imported" if gone else
                   f"{type(error).__name__}; nothing was imported")
        logger.error("import job %d failed: %s", job_id, type(error).__name__)
        raise ImportJobFailed(f"import job {job_id} failed: {type(error).__name__}") from None
    finally:
        progress.close()
    logger.info("import job %d done: %d cases", job_id, len(rows))
