"""View counters in the default cache: one increment per counted view, no SQL.

A counter is kept per (article, hour). So that the flush job can find the counters without scanning
the cache, the first view of an article in an hour (the increment that returns 1) also appends the
article's id to that hour's list of "slots" (a slot counter and one key per slot). ``take`` reads and
removes a counter in one atomic step, so a view counted while the flush runs lands either in this
flush or in a new counter (which writes a new slot) — never in both, never in neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache

from khabar.core.ratelimit import file_lock, increment

# Counters live this long; the flush job looks this many hours back.
COUNTER_HOURS = 24
COUNTER_TTL = COUNTER_HOURS * 3600 + 600


def _cache():
    return caches["default"]


def hour_of(moment: datetime) -> int:
    """The start of the UTC hour, as a Unix timestamp."""
    stamp = int(moment.timestamp())
    return stamp - stamp % 3600


def counter_key(article_id: int, hour: int) -> str:
    return f"mostread:v:{hour}:{article_id}"


def _slots_key(hour: int) -> str:
    return f"mostread:slots:{hour}"


def _slot_key(hour: int, number: int) -> str:
    return f"mostread:slot:{hour}:{number}"


def _done_key(hour: int) -> str:
    return f"mostread:done:{hour}"


def count_view(article_id: int, moment: datetime) -> None:
    hour = hour_of(moment)
    cache = _cache()
    if increment(cache, counter_key(article_id, hour), ttl=COUNTER_TTL) == 1:
        number = increment(cache, _slots_key(hour), ttl=COUNTER_TTL)
        cache.set(_slot_key(hour, number), article_id, timeout=COUNTER_TTL)


def take(key: str) -> int:
    """Read a counter and remove it, atomically."""
    cache = _cache()
    if isinstance(cache, RedisCache):
        redis_key = cache.make_and_validate_key(key)
        client = cache._cache.get_client(redis_key, write=True)
        with client.pipeline(transaction=True) as pipe:
            pipe.get(redis_key)
            pipe.delete(redis_key)
            value, _deleted = pipe.execute()
        return int(value or 0)
    if isinstance(cache, FileBasedCache):
        # The same lock ratelimit.increment takes for this key.
        with file_lock(cache, key):
            value = cache.get(key)
            cache.delete(key)
        return int(value or 0)
    value = cache.get(key)
    if value:
        cache.decr(key, int(value))
    return int(value or 0)


@dataclass(frozen=True)
class Pending:
    article_id: int
    hour: datetime
    views: int


def take_pending(now: datetime) -> list[Pending]:
    """Every counted view not yet flushed, removed from the cache."""
    cache = _cache()
    current = hour_of(now)
    hours = [current - 3600 * back for back in range(COUNTER_HOURS)]
    found = cache.get_many([key for hour in hours for key in (_slots_key(hour), _done_key(hour))])
    pending: list[Pending] = []
    for hour in hours:
        last, done = int(found.get(_slots_key(hour)) or 0), int(found.get(_done_key(hour)) or 0)
        if last > done:
            pending += _take_hour(hour, done, last)
    return pending


def _take_hour(hour: int, done: int, last: int) -> list[Pending]:
    cache = _cache()
    slots = cache.get_many([_slot_key(hour, number) for number in range(done + 1, last + 1)])
    # A slot counted but not yet written (its view is being counted right now) stops the marker,
    # so the next flush looks at it again.
    reached = done
    for number in range(done + 1, last + 1):
        if _slot_key(hour, number) not in slots:
            break
        reached = number
    cache.set(_done_key(hour), reached, timeout=COUNTER_TTL)
    start = datetime.fromtimestamp(hour, tz=UTC)
    taken = []
    for article_id in sorted({int(value) for value in slots.values()}):
        views = take(counter_key(article_id, hour))
        if views:
            taken.append(Pending(article_id, start, views))
    return taken


def give_back(pending: list[Pending]) -> None:
    """Put views back when the database refused them (the next flush tries again)."""
    for item in pending:
        for _ in range(item.views):
            count_view(item.article_id, item.hour)
