"""Prometheus metrics and a per-key rate limit (both in-process)."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque

from prometheus_client import CollectorRegistry, Counter, Histogram

REGISTRY = CollectorRegistry()
REQUESTS = Counter("needmatch_requests_total", "HTTP requests", ["method", "route", "status"],
                   registry=REGISTRY)
LATENCY = Histogram("needmatch_request_seconds", "HTTP request latency", ["method", "route"],
                    registry=REGISTRY,
                    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0))


class RateLimiter:
    """At most `limit` requests per key in any `window` seconds (sliding window, per process)."""

    def __init__(self, limit: int, window: float = 60.0) -> None:
        self.limit = limit
        self.window = window
        self._hits: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def allow(self, key: str) -> tuple[bool, float]:
        """Whether a request may go ahead now, and else how many seconds until it may."""
        now = time.monotonic()
        with self._lock:
            hits = self._hits[key]
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return False, hits[0] + self.window - now
            hits.append(now)
            return True, 0.0
