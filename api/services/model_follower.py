"""Keeping a running service on the live classifier: a promoted version is loaded, warmed and
swapped in without a restart.

Each request takes the serving model once (``Services.model``) and uses that object's
model for all of its work, so a request runs wholly on the old model or wholly on the new one.
The swap is a single attribute assignment, made only after the new model is loaded and the
responder index is built for it, so no request waits on the load or fails during it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Protocol

from api.services.models import ModelRegistry
from api.services.serving import ServingModel

logger = logging.getLogger("needmatch.models")
# The Redis channel on which a promotion or rollback is announced to every process.
PROMOTION_CHANNEL = "needmatch:models:live"


class ModelHolder(Protocol):
    """Whatever holds the current serving model (the process's Services)."""

    model: ServingModel


class ModelFollower:
    """Follows the live pointer of a model registry and swaps the serving model when it moves."""

    def __init__(self, holder: ModelHolder, registry: ModelRegistry,
                 build: Callable[[ServingModel, str], ServingModel]) -> None:
        self.holder = holder
        self.registry = registry
        self.build = build  # (current model, version) -> a serving model on that version
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._listener: threading.Thread | None = None

    def refresh(self) -> bool:
        """Swap to the live version if it is not the one serving; True when a swap happened."""
        with self._lock:
            current = self.holder.model
            version = self.registry.live_version()
            if version == current.version:
                return False
            replacement = self.build(current, version)
            replacement.directory.index()  # warm: built before any request can reach it
            self.holder.model = replacement
            logger.info("classifier swapped: %s -> %s", current.version, version)
            return True

    def start(self, interval: float) -> None:
        """Look for a promoted version every `interval` seconds in a background thread."""
        if interval <= 0 or self._thread is not None:
            return

        def loop() -> None:
            while not self._stop.wait(interval):
                try:
                    self.refresh()
                except Exception as error:  # noqa: BLE001 - keep serving the current model
                    logger.error("could not swap to the live classifier: %s", type(error).__name__)

        self._thread = threading.Thread(target=loop, name="model-follower", daemon=True)
        self._thread.start()

    def listen(self, redis_url: str) -> None:
        """Swap as soon as a promotion is announced on Redis (see `announce_promotion`); the
        polling of `start` stays as the fallback for an announcement missed while disconnected."""
        import redis

        def loop() -> None:
            while not self._stop.is_set():
                try:
                    client = redis.Redis.from_url(redis_url, socket_connect_timeout=5)
                    subscription = client.pubsub(ignore_subscribe_messages=True)
                    subscription.subscribe(PROMOTION_CHANNEL)
                    while not self._stop.is_set():
                        message = subscription.get_message(timeout=1.0)
                        if message is not None:
                            self.refresh()
                    subscription.close()
                except redis.RedisError as error:
                    logger.warning("model announcements unavailable (%s); polling goes on",
                                   type(error).__name__)
                    self._stop.wait(5.0)
                except Exception as error:  # noqa: BLE001 - keep serving the current model
                    logger.error("could not swap to the live classifier: %s", type(error).__name__)

        self._listener = threading.Thread(target=loop, name="model-announcements", daemon=True)
        self._listener.start()

    def stop(self) -> None:
        """Stop the background threads."""
        self._stop.set()
        for thread in (self._thread, self._listener):
            if thread is not None:
                thread.join(timeout=5)
        self._thread = self._listener = None


def announce_promotion(redis_url: str, version: str) -> None:
    """Tell every server and worker on this Redis that the live version moved (best effort: the
    followers' polling catches a lost announcement)."""
    import redis

    try:
        client = redis.Redis.from_url(redis_url, socket_connect_timeout=2, socket_timeout=2)
        client.publish(PROMOTION_CHANNEL, version)
        client.close()
    except redis.RedisError as error:
        logger.warning("could not announce the live model: %s", type(error).__name__)
