"""The one settings object, read from NEEDMATCH_* environment variables at start-up."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from api.model_registry import SHIPPED_MODELS


class Settings(BaseSettings):
    """Defaults run with no configuration at all: local files under ./var."""

    model_config = SettingsConfigDict(env_prefix="NEEDMATCH_")

    # Everything written at run time (database, indexes, logs) goes under this directory.
    data_dir: Path = Path("var")
    # Empty means an SQLite file under data_dir.
    database_url: str = ""
    # Where classifier versions and the live pointer live.
    models_dir: Path = SHIPPED_MODELS
    max_narrative_chars: int = 20_000
    # A newly published need is pushed to responders whose suggestion scores at least this.
    notify_threshold: float = 0.45
    # Requests per API key per minute (per worker process).
    rate_limit_per_minute: int = 600
    log_level: str = "INFO"

    @property
    def log_file(self) -> Path:
        """The log file (ids and counts only, never narrative text)."""
        return self.data_dir / "logs" / "needmatch.log"
