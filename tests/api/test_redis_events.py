"""The Redis event bus across servers: two bus instances on one Redis stand for two servers."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from pathlib import Path

import pytest
import redis

from api.bootstrap import event_bus
from api.services.events import EventBus
from api.services.redis_events import RedisEventBus, entry_id, event_id
from api.settings import Settings


@pytest.fixture
def servers(redis_url: str, redis_prefix: str) -> tuple[RedisEventBus, RedisEventBus]:
    """Two servers' buses on the same Redis keys."""
    return RedisEventBus(redis_url, prefix=redis_prefix), RedisEventBus(redis_url, prefix=redis_prefix)


async def _take(bus: RedisEventBus, audiences: list[str], count: int, last: int = 0) -> list[dict]:
    """The first `count` events a client of `bus` receives, as {id, event, data}."""
    received: list[dict] = []
    async for chunk in bus.subscribe(audiences, last, heartbeat=0.05):
        if chunk.startswith("id:"):
            lines = dict(line.split(": ", 1) for line in chunk.strip().split("\n"))
            received.append({"id": int(lines["id"]), "event": lines["event"],
                             "data": json.loads(lines["data"])})
        if len(received) == count:
            break
    return received


def test_an_event_published_on_one_server_reaches_a_client_of_another(
        servers: tuple[RedisEventBus, RedisEventBus]) -> None:
    first, second = servers

    async def scenario() -> None:
        client = asyncio.create_task(_take(second, ["responder:a"], 1))
        await asyncio.sleep(0.05)
        # Published from a worker thread, as the services do.
        published = await asyncio.to_thread(first.publish, "responder:a", "need", {"need_id": "n-1"})
        received = await asyncio.wait_for(client, timeout=5)
        assert received == [{"id": published.id, "event": "need", "data": {"need_id": "n-1"}}]

    asyncio.run(scenario())


def test_replay_after_last_event_id_from_another_server(
        servers: tuple[RedisEventBus, RedisEventBus]) -> None:
    first, second = servers
    seen = first.publish("organization:o", "offer", {"n": 1})
    first.publish("organization:o", "offer", {"n": 2})
    second.publish("organization:o", "offer", {"n": 3})
    replay = asyncio.run(asyncio.wait_for(_take(second, ["organization:o"], 2, last=seen.id), timeout=5))
    assert [event["data"]["n"] for event in replay] == [2, 3]
    everything = asyncio.run(asyncio.wait_for(_take(first, ["organization:o"], 3), timeout=5))
    assert [event["data"]["n"] for event in everything] == [1, 2, 3]


def test_audiences_are_kept_apart_and_merged_in_id_order(
        servers: tuple[RedisEventBus, RedisEventBus]) -> None:
    first, second = servers
    first.publish("responder:a", "need", {"n": 1})
    second.publish("responder:b", "need", {"n": 2})
    first.publish("responder:a", "need", {"n": 3})
    second.publish("responder:b", "need", {"n": 4})

    async def scenario() -> None:
        only_a, both = await asyncio.wait_for(asyncio.gather(
            _take(second, ["responder:a"], 2), _take(first, ["responder:a", "responder:b"], 4)),
            timeout=5)
        assert [event["data"]["n"] for event in only_a] == [1, 3]
        assert [event["data"]["n"] for event in both] == [1, 2, 3, 4]
        # Nothing of b's reaches a client of a, even when it waits for more.
        more_for_a = asyncio.create_task(_take(second, ["responder:a"], 3))
        second.publish("responder:b", "need", {"n": 5})
        await asyncio.sleep(0.2)
        assert not more_for_a.done()
        first.publish("responder:a", "need", {"n": 6})
        assert [event["data"]["n"] for event in await asyncio.wait_for(more_for_a, timeout=5)] == [1, 3, 6]

    asyncio.run(scenario())


def test_ids_grow_across_two_publishers(servers: tuple[RedisEventBus, RedisEventBus]) -> None:
    first, second = servers
    alternating = [(first if index % 2 else second).publish(f"responder:{index % 3}", "need", {})
                   for index in range(20)]
    ids = [event.id for event in alternating]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    # Concurrent publishers on both servers: every id distinct, each server's own ids growing.
    results: dict[int, list[int]] = {0: [], 1: []}

    def publish_many(which: int) -> None:
        for _ in range(50):
            results[which].append(servers[which].publish("responder:0", "need", {}).id)

    threads = [threading.Thread(target=publish_many, args=(which,)) for which in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(ids == sorted(ids) for ids in results.values())
    assert len(set(results[0]) | set(results[1])) == 100 and min(results[0] + results[1]) > max(ids)


def test_event_ids_are_the_stream_entry_ids() -> None:
    assert event_id("1700000000123-7") == 1_700_000_000_123_007
    assert entry_id(1_700_000_000_123_007) == "1700000000123-7"
    assert entry_id(5) == "0-5"


def test_an_id_past_the_last_one_still_gets_new_events(
        servers: tuple[RedisEventBus, RedisEventBus]) -> None:
    """A Last-Event-ID from before a Redis restart (ids ahead of the new ones) hides nothing."""
    first, second = servers
    first.publish("responder:a", "need", {"n": 1})

    async def scenario() -> None:
        client = asyncio.create_task(_take(second, ["responder:a"], 1, last=10**30))
        await asyncio.sleep(0.05)
        first.publish("responder:a", "need", {"n": 2})
        assert [event["data"]["n"] for event in await asyncio.wait_for(client, timeout=5)] == [2]

    asyncio.run(scenario())


def test_the_replay_is_trimmed_to_about_its_length(redis_url: str, redis_prefix: str) -> None:
    bus = RedisEventBus(redis_url, replay=10, prefix=redis_prefix)
    for index in range(300):
        bus.publish("responder:a", "need", {"n": index})
    # Approximate trimming (MAXLEN ~) drops whole stream nodes: at least 10 kept, far from all.
    length = redis.Redis.from_url(redis_url).xlen(bus.stream_key("responder:a"))
    assert 10 <= length < 300


def test_the_settings_pick_the_bus(redis_url: str) -> None:
    assert isinstance(event_bus(Settings()), EventBus)
    assert isinstance(event_bus(Settings(redis_url=redis_url)), RedisEventBus)


def test_a_publish_when_redis_is_down_loses_the_event_not_the_request(
        caplog: pytest.LogCaptureFixture) -> None:
    bus = RedisEventBus("redis://127.0.0.1:1/0", prefix="needmatch-test-down")
    with caplog.at_level("WARNING"):
        event = bus.publish("responder:r-1", "need", {"need_id": "need-x"})
    assert event.id == 0 and "not delivered" in caplog.text and "need-x" not in caplog.text


def test_readiness_says_whether_redis_answers_without_depending_on_it(redis_url: str,
                                                                     tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from api.http.app import create_app

    for url, answers in ((redis_url, True), ("redis://127.0.0.1:1/0", False)):
        settings = Settings(data_dir=tmp_path / f"var-{answers}", redis_url=url)
        with TestClient(create_app(settings)) as client:
            ready = client.get("/readyz")
            assert ready.status_code == 200 and ready.json()["redis"] is answers


def test_a_promotion_announced_on_redis_swaps_a_follower_at_once(redis_url: str) -> None:
    from types import SimpleNamespace

    from api.services.model_follower import ModelFollower, announce_promotion

    class Registry:
        version = "v-old"

        def live_version(self) -> str:
            return self.version

    def model(version: str) -> SimpleNamespace:
        return SimpleNamespace(version=version, directory=SimpleNamespace(index=lambda: None))

    registry, holder = Registry(), SimpleNamespace(model=model("v-old"))
    follower = ModelFollower(holder, registry, lambda _current, version: model(version))  # type: ignore[arg-type]
    follower.listen(redis_url)  # no polling: only the announcement can make it swap
    try:
        time.sleep(1.0)  # subscribed
        registry.version = "v-new"
        announce_promotion(redis_url, "v-new")
        deadline = time.monotonic() + 10
        while holder.model.version != "v-new" and time.monotonic() < deadline:
            time.sleep(0.1)
        assert holder.model.version == "v-new"
    finally:
        follower.stop()
