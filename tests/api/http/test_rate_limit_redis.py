"""The rate limit on Redis: one count per key across servers (two limiters stand for two servers)."""

from __future__ import annotations

import logging
import time

import pytest

from api.http.metrics import RateLimiter
from api.http.rate_limit import RedisRateLimiter
from api.settings import Settings


def test_two_servers_share_one_limit_per_key(redis_url: str, redis_prefix: str) -> None:
    first, second = (RedisRateLimiter(redis_url, limit=3, prefix=redis_prefix) for _ in range(2))
    answers = [limiter.allow("key-a")[0] for limiter in (first, second, first, second, first)]
    assert answers == [True, True, True, False, False]
    allowed, wait = second.allow("key-a")
    assert not allowed and 0 < wait <= 60
    # Another key has a count of its own.
    assert first.allow("key-b") == (True, 0.0) and second.allow("key-b") == (True, 0.0)


def test_the_window_slides(redis_url: str, redis_prefix: str) -> None:
    limiter = RedisRateLimiter(redis_url, limit=2, window=0.3, prefix=redis_prefix)
    assert limiter.allow("key")[0]
    time.sleep(0.15)
    assert limiter.allow("key")[0]
    allowed, wait = limiter.allow("key")
    # Until the first request is out of the window.
    assert not allowed and 0 < wait <= 0.15
    time.sleep(wait + 0.02)
    assert limiter.allow("key")[0]
    # Only the oldest request left the window: the one just allowed fills it again.
    assert not limiter.allow("key")[0]


def test_an_unreachable_redis_lets_requests_through_and_warns_once(
        caplog: pytest.LogCaptureFixture) -> None:
    limiter = RedisRateLimiter("redis://127.0.0.1:1/0", limit=1, retry_after_failure=0.0)
    with caplog.at_level(logging.WARNING, logger="needmatch.api"):
        answers = [limiter.allow("key") for _ in range(5)]
    assert answers == [(True, 0.0)] * 5
    warnings = [record for record in caplog.records if "Redis unreachable" in record.getMessage()]
    assert len(warnings) == 1


def test_the_settings_pick_the_limiter(redis_url: str) -> None:
    from api.http.app import request_limit  # the whole app: imported by this test only

    assert isinstance(request_limit(Settings()), RateLimiter)
    limiter = request_limit(Settings(redis_url=redis_url, rate_limit_per_minute=7))
    assert isinstance(limiter, RedisRateLimiter) and limiter.limit == 7
