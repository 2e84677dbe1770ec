"""The event bus: several clients at once, replay after Last-Event-ID, audiences kept apart.

The same contract for the in-process bus and the Redis one.
"""

from __future__ import annotations

import asyncio

import pytest

from api.services.events import EventBus, EventStream


@pytest.fixture(params=["memory", "redis"])
def bus(request: pytest.FixtureRequest) -> EventStream:
    """Each bus implementation; the Redis one on keys of this test's own."""
    if request.param == "memory":
        return EventBus()
    from api.services.redis_events import RedisEventBus

    return RedisEventBus(request.getfixturevalue("redis_url"),
                         prefix=request.getfixturevalue("redis_prefix"))


async def _take(bus: EventStream, audiences: list[str], count: int, last: int = 0) -> list[str]:
    received: list[str] = []
    async for chunk in bus.subscribe(audiences, last, heartbeat=0.05):
        if chunk.startswith("id:"):
            received.append(chunk)
        if len(received) == count:
            break
    return received


def test_several_clients_receive_live_events_and_replay(bus: EventStream) -> None:
    async def scenario() -> None:
        first = asyncio.create_task(_take(bus, ["responder:a"], 2))
        second = asyncio.create_task(_take(bus, ["responder:a"], 2))
        other = asyncio.create_task(_take(bus, ["responder:b"], 1))
        await asyncio.sleep(0.01)
        one = bus.publish("responder:a", "need", {"n": 1})
        bus.publish("responder:b", "need", {"n": 2})
        bus.publish("responder:a", "need", {"n": 3})
        results = await asyncio.wait_for(asyncio.gather(first, second, other), timeout=5)
        assert results[0] == results[1] and len(results[0]) == 2
        assert '"n": 1' in results[0][0] and '"n": 3' in results[0][1]
        assert '"n": 2' in results[2][0]
        # A client reconnecting after event `one` gets only what came later for its audience.
        replay = await asyncio.wait_for(_take(bus, ["responder:a"], 1, last=one.id), timeout=5)
        assert '"n": 3' in replay[0]

    asyncio.run(scenario())


def test_a_quiet_stream_sends_heartbeats(bus: EventStream) -> None:
    async def first_chunk() -> str:
        async for chunk in bus.subscribe(["responder:quiet"], heartbeat=0.05):
            return chunk
        raise AssertionError("the stream ended")

    assert asyncio.run(asyncio.wait_for(first_chunk(), timeout=5)) == ": keep-alive\n\n"
