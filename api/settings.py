"""The one settings object, read from NEEDMATCH_* environment variables at start-up."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Defaults run with no configuration at all: local files under ./var."""

    model_config = SettingsConfigDict(env_prefix="NEEDMATCH_")

    # Everything written at run time (database, indexes, logs) goes under this directory.
    data_dir: Path = Path("var")
    # Empty means an SQLite file under data_dir.
    database_url: str = ""
    # Where retrained classifier versions and the live pointer go; empty means
    # data_dir/models/classifier. The shipped versions in the repository are always readable.
    models_dir: Path | None = None
    # Where classifier versions and the live pointer are kept: "files" (under models_dir) or
    # "database" (rows, so every server and worker on any machine loads the same version;
    # models_dir is then a cache of unpacked versions).
    model_store: Literal["files", "database"] = "files"
    # How often (seconds) a running service looks for a newly promoted model.
    model_poll_seconds: float = 2.0
    max_narrative_chars: int = 20_000
    # A newly published need is pushed to responders whose suggestion scores at least this.
    notify_threshold: float = 0.45
    # Requests per API key per minute (per worker process; across all servers with redis_url).
    rate_limit_per_minute: int = 600
    # Redis shared by several servers, e.g. "redis://127.0.0.1:6379/0": live events and the rate
    # limit then reach across them. Empty means both stay in this process.
    redis_url: str = ""
    # Origins allowed to call the API from a browser page elsewhere (CORS); none by default.
    # Comma-separated, e.g. "https://intake.example.org,https://partners.example.org".
    cors_origins: str = ""
    log_level: str = "INFO"
    # A closed case's text is purged this many days after it was closed (a case whose consent
    # ended is closed and purged at once); checked at start-up and every retention_check_seconds.
    closed_case_retention_days: int = 365
    retention_check_seconds: float = 3600.0
    # At shutdown, how long to let running background jobs (retrain, reclassify) finish.
    shutdown_wait_seconds: float = 600.0
    # The labelled JSONL files a retrain trains on besides the database's labels (comma-separated
    # paths); empty means the shipped postings (training/shipped.py's list).
    retrain_files: str = ""

    @field_validator("retrain_files")
    @classmethod
    def _retrain_files_exist(cls, value: str) -> str:
        missing = [name for name in _comma_separated(value) if not Path(name).is_file()]
        if missing:
            raise ValueError(f"NEEDMATCH_RETRAIN_FILES names no file at {', '.join(missing)}")
        return value

    @property
    def retrain_training_files(self) -> list[Path] | None:
        """The files of NEEDMATCH_RETRAIN_FILES, or None for the shipped postings."""
        files = [Path(name) for name in _comma_separated(self.retrain_files)]
        return files or None

    @property
    def model_root(self) -> Path:
        """Where retrained classifier versions and the live pointer go."""
        return self.models_dir if self.models_dir is not None else self.data_dir / "models" / "classifier"

    @property
    def log_file(self) -> Path:
        """The log file (ids and counts only, never narrative text)."""
        return self.data_dir / "logs" / "needmatch.log"


def _comma_separated(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]
