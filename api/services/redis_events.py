"""Server-sent events on Redis: every server sees every event, and replay works across servers.

One Redis stream per audience (`<prefix>:events:stream:<audience>`), trimmed to about `replay`
entries. A client reads its audiences' streams with XREAD BLOCK from its Last-Event-ID: the same
command replays what it missed and then waits for new entries, so nothing falls between replay
and live delivery, and a subscriber that loses its connection resumes from where it was (pub/sub
would drop what is published while it reconnects, so it is not used).

Event ids are integers `ms * 1000 + seq` of the stream entry id `ms-seq`, allocated by one Lua
script from Redis's clock and a shared last id: they grow across all servers and audiences, and
stay ahead of earlier ones after a Redis restart (which empties the streams; the clock goes on).
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from typing import Any

from api.services.events import HEARTBEAT, Event

try:
    import redis
    import redis.asyncio as redis_asyncio
    from redis.backoff import ExponentialBackoff
    from redis.retry import Retry
    from redis.typing import KeyT, StreamIdT
except ImportError as error:  # pragma: no cover - redis is a main dependency
    raise ImportError("NEEDMATCH_REDIS_URL needs the Redis client: pip install 'redis>=5.0.1'") from error

logger = logging.getLogger("needmatch.service")

# KEYS: the shared last id, the audience's stream. ARGV: replay length, kind, data (JSON).
# Atomic, so ids are handed out and appended in one order: each stream's ids only grow.
PUBLISH_SCRIPT = """
local time = redis.call('TIME')
local now = (tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)) * 1000
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
local id = math.max(now, last + 1)
local milliseconds = math.floor(id / 1000)
redis.call('SET', KEYS[1], string.format('%d', id))
return redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[1],
                  string.format('%d-%d', milliseconds, id - milliseconds * 1000),
                  'kind', ARGV[2], 'data', ARGV[3])
"""
def event_id(entry_id: str) -> int:
    """The integer event id of a stream entry id `ms-seq`."""
    milliseconds, sequence = entry_id.split("-")
    return int(milliseconds) * 1000 + int(sequence)


def entry_id(event_id: int) -> str:
    """The stream entry id `ms-seq` of an integer event id."""
    milliseconds, sequence = divmod(event_id, 1000)
    return f"{milliseconds}-{sequence}"


def stream_entries(answer: Any) -> list[tuple[str, list[tuple[str, dict[str, str]]]]]:
    """The (stream, entries) pairs of an XREAD answer, as RESP2 or RESP3 (`?protocol=3`) gives it."""
    if isinstance(answer, dict):  # RESP3: {stream: [entries]}
        return [(stream, nested[0] if nested else []) for stream, nested in answer.items()]
    return [(stream, entries) for stream, entries in answer or []]


class RedisEventBus:
    """The event bus shared by every server on one Redis; the last `replay` events per audience kept."""

    def __init__(self, url: str, replay: int = 1000, prefix: str = "needmatch") -> None:
        self.url = url
        self.replay = replay
        self.prefix = prefix
        self._last_id_key = f"{prefix}:events:last-id"
        # Thread-safe (a connection pool): publish is called from worker threads. Few retries: an
        # unreachable Redis fails a publish within seconds rather than holding its thread.
        self._client = redis.Redis.from_url(url, decode_responses=True, socket_connect_timeout=2,
                                            socket_timeout=2,
                                            retry=Retry(ExponentialBackoff(cap=0.5, base=0.05), 2))
        self._publish_script = self._client.register_script(PUBLISH_SCRIPT)

    def reachable(self) -> bool:
        """Whether Redis answers now."""
        try:
            return bool(self._client.ping())
        except redis.RedisError:
            return False

    def stream_key(self, audience: str) -> str:
        """The Redis stream holding one audience's events."""
        return f"{self.prefix}:events:stream:{audience}"

    def publish(self, audience: str, kind: str, data: dict[str, Any]) -> Event:
        """Append an event to its audience's stream (callable from worker threads).

        Events are published after what they announce is committed: when Redis fails, the event
        is lost (a warning is logged, id 0 returned) rather than failing a request whose change
        is stored; the responder still finds the need by search, the advocate the offer on her
        case.
        """
        try:
            stored = self._publish_script(keys=[self._last_id_key, self.stream_key(audience)],
                                          args=[self.replay, kind, json.dumps(data)])
        except redis.RedisError as error:
            logger.warning("a %s event was not delivered, Redis failed: %s", kind,
                           type(error).__name__)
            return Event(0, audience, kind, data)
        return Event(event_id(str(stored)), audience, kind, data)

    async def subscribe(self, audiences: list[str], last_event_id: int = 0,
                        heartbeat: float = 15.0) -> AsyncIterator[str]:
        """Missed events after last_event_id, then live ones; a comment line as heartbeat."""
        # A client per subscription: a blocking XREAD holds its connection anyway, and an asyncio
        # client belongs to the event loop that made it.
        client = redis_asyncio.Redis.from_url(self.url, decode_responses=True, socket_connect_timeout=5)
        block = max(1, round(heartbeat * 1000))
        try:
            # An id past the last one handed out (an unknown or pre-restart id) would hide new
            # events, so it starts from the last one instead.
            latest = await client.get(self._last_id_key)
            start = min(max(last_event_id, 0), int(latest) if latest else 0)
            cursors: dict[KeyT, StreamIdT] = {self.stream_key(audience): entry_id(start)
                                              for audience in audiences}
            audience_of = {self.stream_key(audience): audience for audience in audiences}
            while True:
                # Without COUNT the answer holds everything after the cursors, so sorting it
                # sends events in id order: a reconnecting client's Last-Event-ID skips nothing.
                answer = await client.xread(cursors, block=block)
                events: list[Event] = []
                for stream, entries in stream_entries(answer):
                    for stored_id, fields in entries:
                        cursors[stream] = stored_id
                        events.append(Event(event_id(stored_id), audience_of[stream], fields["kind"],
                                            json.loads(fields["data"])))
                if not events:
                    yield HEARTBEAT
                    continue
                for event in sorted(events, key=lambda event: event.id):
                    yield event.encode()
        except redis.RedisError as error:
            # The stream ends; the browser reconnects with its Last-Event-ID and misses nothing.
            logger.warning("event stream ended, Redis failed: %s", type(error).__name__)
        finally:
            await client.aclose()
