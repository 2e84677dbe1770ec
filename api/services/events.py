"""Server-sent events: an in-process bus with a replay buffer for Last-Event-ID.

Limit: events reach clients connected to the same worker process. With several workers or
servers, set NEEDMATCH_REDIS_URL: `api/services/redis_events.py` has the same interface on Redis.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class Event:
    """One event for one audience ('responder:<id>' or 'organization:<id>')."""

    id: int
    audience: str
    kind: str
    data: dict[str, Any]

    def encode(self) -> str:
        """The SSE wire form."""
        return f"id: {self.id}\nevent: {self.kind}\ndata: {json.dumps(self.data)}\n\n"


class EventPublisher(Protocol):
    """What the services need: record an event for an audience."""

    def publish(self, audience: str, kind: str, data: dict[str, Any]) -> Event:
        """Record and deliver an event (callable from worker threads)."""
        ...


class EventStream(EventPublisher, Protocol):
    """A bus: publish, and stream an audience's events to a client (in process or on Redis)."""

    def subscribe(self, audiences: list[str], last_event_id: int = 0,
                  heartbeat: float = 15.0) -> AsyncIterator[str]:
        """Missed events after last_event_id, then live ones; a comment line as heartbeat."""
        ...


HEARTBEAT = ": keep-alive\n\n"


class EventBus:
    """Fan-out to every subscriber of an audience; the last `replay` events are kept."""

    def __init__(self, replay: int = 1000) -> None:
        self._counter = itertools.count(1)
        self._history: deque[Event] = deque(maxlen=replay)
        self._subscribers: dict[str, list[tuple[asyncio.AbstractEventLoop, asyncio.Queue[Event]]]] = {}
        self._lock = threading.Lock()

    def publish(self, audience: str, kind: str, data: dict[str, Any]) -> Event:
        """Record and deliver an event (callable from worker threads)."""
        with self._lock:
            event = Event(next(self._counter), audience, kind, data)
            self._history.append(event)
            subscribers = list(self._subscribers.get(audience, ()))
        for loop, queue in subscribers:
            loop.call_soon_threadsafe(queue.put_nowait, event)
        return event

    async def subscribe(self, audiences: list[str], last_event_id: int = 0,
                        heartbeat: float = 15.0) -> AsyncIterator[str]:
        """Missed events after last_event_id, then live ones; a comment line as heartbeat."""
        queue: asyncio.Queue[Event] = asyncio.Queue()
        loop = asyncio.get_running_loop()
        with self._lock:
            missed = [e for e in self._history if e.id > last_event_id and e.audience in audiences]
            for audience in audiences:
                self._subscribers.setdefault(audience, []).append((loop, queue))
        try:
            for event in missed:
                yield event.encode()
            while True:
                try:
                    event = await asyncio.wait_for(queue.get(), timeout=heartbeat)
                except TimeoutError:
                    yield HEARTBEAT
                    continue
                yield event.encode()
        finally:
            with self._lock:
                for audience in audiences:
                    entries = self._subscribers.get(audience, [])
                    if (loop, queue) in entries:
                        entries.remove((loop, queue))
