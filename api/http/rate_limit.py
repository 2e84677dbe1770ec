"""A per-key rate limit shared by every server on one Redis (the in-process one is in metrics.py)."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from typing import Protocol

try:
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry
except ImportError as error:  # pragma: no cover - redis is a main dependency
    raise ImportError("NEEDMATCH_REDIS_URL needs the Redis client: pip install 'redis>=5.0.1'") from error

logger = logging.getLogger("needmatch.api")

# A sliding log: one sorted-set member per allowed request, scored by Redis's clock in
# microseconds (one clock for all servers). KEYS: the key's log. ARGV: limit, window (µs), a
# unique member. Returns {allowed (1/0), microseconds until a request may go ahead}.
ALLOW_SCRIPT = """
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= limit then
    local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
    local since = oldest[2] and tonumber(oldest[2]) or now
    return {0, math.max(1, since + window - now)}
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000))
return {1, 0}
"""


class RequestLimit(Protocol):
    """A per-key limit: whether a request may go ahead now, and else how many seconds until it may."""

    def allow(self, key: str) -> tuple[bool, float]:
        """Whether a request may go ahead now, and else how many seconds until it may."""
        ...


class RedisRateLimiter:
    """At most `limit` requests per key in any `window` seconds, counted across all servers."""

    def __init__(self, url: str, limit: int, window: float = 60.0, prefix: str = "needmatch",
                 retry_after_failure: float = 5.0) -> None:
        self.limit = limit
        self.window = window
        self.prefix = prefix
        self.retry_after_failure = retry_after_failure
        # The check runs in the request middleware, on the event loop: short timeouts and no
        # retries keep an unreachable Redis from holding requests up.
        self._client = redis.Redis.from_url(url, socket_connect_timeout=0.25, socket_timeout=0.25,
                                            retry=Retry(NoBackoff(), 0))
        self._allow_script = self._client.register_script(ALLOW_SCRIPT)
        self._lock = threading.Lock()
        self._failing_since: float | None = None

    def allow(self, key: str) -> tuple[bool, float]:
        """Whether a request may go ahead now, and else how many seconds until it may."""
        with self._lock:
            failing_since = self._failing_since
        if failing_since is not None and time.monotonic() - failing_since < self.retry_after_failure:
            return True, 0.0
        try:
            allowed, wait = self._allow_script(
                keys=[f"{self.prefix}:rate:{key}"],
                args=[self.limit, round(self.window * 1_000_000), uuid.uuid4().hex])
        except redis.RedisError as error:
            # Fail open: while Redis is unreachable requests go unlimited rather than refused.
            # Warned once per outage, not per request; Redis is tried again after a pause.
            with self._lock:
                first = self._failing_since is None
                self._failing_since = time.monotonic()
            if first:
                logger.warning("rate limit off: Redis unreachable (%s); requests are not limited",
                               type(error).__name__)
            return True, 0.0
        if failing_since is not None:
            with self._lock:
                self._failing_since = None
            logger.info("rate limit on again: Redis reachable")
        return bool(allowed), int(wait) / 1_000_000
