"""Consent and retention: a case past its consent's end is closed and its text purged; a closed
case is purged once the retention period has passed. The audit log and the counts stay."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api.services.cases import EXAMPLE_STATUS
from api.services.jobs import discard_stale_inputs
from api.storage.tables import Case, Need, utc_now
from nlp.embedding_cache import CachedEncoding

logger = logging.getLogger("needmatch.service")

PURGED_TEXT = ""


@dataclass(frozen=True)
class PurgeReport:
    """What one pass purged."""

    consent_ended: int
    retention_passed: int


def purge_cases(sessions: sessionmaker[Session], encodings: CachedEncoding | None,
                today: date, retention_days: int) -> PurgeReport:
    """Close every case whose consent ended before today (its open needs too), and purge the text
    (and the deadline sentences, and the kept encoding) of those and of cases closed more than
    `retention_days` ago. Imported labelled examples are not cases and are left alone."""
    cutoff = utc_now() - timedelta(days=retention_days)
    texts: list[str] = []
    consent_ended = retention_passed = 0
    with sessions.begin() as session:
        ended = list(session.scalars(select(Case).where(
            Case.purged_at.is_(None), Case.status != EXAMPLE_STATUS,
            Case.consent_expires_on.is_not(None), Case.consent_expires_on < today)))
        stale = list(session.scalars(select(Case).where(
            Case.purged_at.is_(None), Case.status == "closed", Case.updated_at < cutoff)))
        for case in ended:
            case.status = "closed"
            for need in session.scalars(select(Need).where(Need.case_id == case.id)):
                if need.status in ("open", "review"):
                    need.status = "closed"
            consent_ended += 1
        for case in {case.id: case for case in [*ended, *stale]}.values():
            texts.append(case.text)
            case.text = PURGED_TEXT
            case.deadlines = [{"date": item["date"], "sentence": "", "kind": item["kind"]}
                              for item in case.deadlines]
            case.purged_at = utc_now()
        retention_passed = len({case.id for case in stale} - {case.id for case in ended})
    if encodings is not None and texts:
        encodings.forget(texts)
    if consent_ended or retention_passed:
        logger.info("purged %d cases whose consent ended and %d closed past retention",
                    consent_ended, retention_passed)
    return PurgeReport(consent_ended, retention_passed)


class RetentionKeeper:
    """Runs `purge_cases` at start-up and then every `interval` seconds in a background thread."""

    def __init__(self, sessions: sessionmaker[Session],
                 encodings: Callable[[], CachedEncoding | None], retention_days: int) -> None:
        self.sessions = sessions
        self.encodings = encodings  # the serving model's, read at each pass (models swap)
        self.retention_days = retention_days
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self) -> PurgeReport:
        """One pass, as of today (UTC); the unredacted input of a job that ended or was abandoned
        (an import cut off with its process) is deleted too."""
        discard_stale_inputs(self.sessions)
        return purge_cases(self.sessions, self.encodings(), utc_now().date(), self.retention_days)

    def start(self, interval: float) -> None:
        """Purge now, then every `interval` seconds (not at all when interval <= 0)."""
        if interval <= 0 or self._thread is not None:
            return

        def loop() -> None:
            while True:
                try:
                    self.run_once()
                except Exception as error:  # noqa: BLE001 - the next pass tries again
                    logger.error("retention pass failed: %s", type(error).__name__)
                if self._stop.wait(interval):
                    return

        self._thread = threading.Thread(target=loop, name="retention", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the background thread."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
