"""Rate limits for reader writes (comments, reactions, reports, password resets) and search.

Readers are counted by a salted hash of their IP address (never the address itself).

**Which address.** Without a proxy, the socket's address (``REMOTE_ADDR``). Behind our own proxy
(``KHABAR_BEHIND_PROXY=1``) the proxy appends the address it saw to ``X-Forwarded-For``, after whatever
the client wrote there; so the reader is the right-most entry that is *not* one of our trusted proxies
(``KHABAR_TRUSTED_PROXIES``). Entries to its left are the client's own words and are never used. The same
address feeds the rate limits and the sign-in lockout (django-axes, ``khabar.ops.auth_backends``).

**Atomic counters.** Counters live in the default cache (so a test's or an operator's ``cache.clear()``
resets them), but are incremented in a way that is atomic on each supported backend, because a limit that
a burst of parallel requests can overrun is no limit:

* Redis: one ``MULTI``/``EXEC`` transaction of ``SET key 0 EX ttl NX`` and ``INCR key``. The counter is
  created with its expiry and incremented in one step; it can never exist without an expiry, and no
  request can slip between the two commands.
* Django's file cache (the embedded default, shared by every worker process): its own ``incr`` is a read
  then a write, so two processes can both read 4 and both write 5. The read-increment-write runs under an
  exclusive ``flock`` on a lock file in the cache's folder (16 lock files, chosen by the key, so unrelated
  readers rarely wait for each other). ``flock`` locks belong to an open file, so they exclude other
  threads of the same process as well as other processes.
* Anything else (the per-process memory cache in development, Memcached) uses the backend's own
  ``add`` + ``incr``, which those backends make atomic.

Why not a separate SQLite table: a second store would survive ``cache.clear()`` and need its own clean-up;
the lock keeps the counters where the rest of the short-lived state is.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import time
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache
from django.core.files import locks
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
LOCK_FILES = 16


# --- Whose address ---------------------------------------------------------------


@lru_cache(maxsize=8)
def trusted_networks(entries: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """KHABAR_TRUSTED_PROXIES as networks (``settings`` has already refused entries that are not addresses)."""
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def parse_address(raw: str) -> IPAddress | None:
    """An IP address from a header entry (``1.2.3.4``, ``1.2.3.4:5678``, ``[2001:db8::1]:80``), else None."""
    text = raw.strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # IPv4 with a port; an IPv6 address has several colons
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def _is_trusted(address: IPAddress) -> bool:
    return any(address in network for network in trusted_networks(tuple(settings.KHABAR_TRUSTED_PROXIES)))


def client_ip(request: HttpRequest) -> str:
    """The reader's address: the socket's, or behind a trusted proxy the last address a trusted proxy saw."""
    remote = parse_address(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return "unknown"
    if not settings.KHABAR_BEHIND_PROXY or not _is_trusted(remote):
        # Not through our proxy: whatever X-Forwarded-For says was written by the client.
        return str(remote)
    nearest = remote
    for entry in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = parse_address(entry)
        if address is None:
            # A trusted proxy never writes this: the chain can no longer be trusted, stop at the last good hop.
            break
        if not _is_trusted(address):
            return str(address)
        nearest = address
    return str(nearest)


def ip_hash(request: HttpRequest) -> str:
    """A salted, keyed hash of the reader's IP: stable for rate limits, useless to anyone without the salt."""
    digest = hmac.new(settings.KHABAR_IP_SALT.encode(), client_ip(request).encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


# --- Counting ------------------------------------------------------------------


@dataclass
class Verdict:
    allowed: bool
    retry_after: int  # seconds until the window resets (0 when allowed)


def hit(scope: str, key: str, *, limit: int, window: int) -> Verdict:
    """Count one event for ``key`` in ``scope``; refuse once ``limit`` is passed within ``window`` seconds."""
    now = int(time.time())
    window_start = now - now % window
    count = increment(caches["default"], f"rl:{scope}:{key}:{window_start}", ttl=window_start + window + 5 - now)
    if count > limit:
        return Verdict(False, window_start + window - now or 1)
    return Verdict(True, 0)


def increment(cache: BaseCache, key: str, *, ttl: int) -> int:
    """Add one to the counter ``key`` (created with ``ttl`` seconds to live) and return the new count, atomically."""
    if isinstance(cache, RedisCache):
        return _redis_increment(cache, key, ttl)
    if isinstance(cache, FileBasedCache):
        return _locked_increment(cache, key, ttl)
    cache.add(key, 0, timeout=ttl)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr: this is the first event of a new window
        cache.add(key, 1, timeout=ttl)
        return 1


def _redis_increment(cache: RedisCache, key: str, ttl: int) -> int:
    redis_key = cache.make_and_validate_key(key)
    client = cache._cache.get_client(redis_key, write=True)
    with client.pipeline(transaction=True) as pipe:
        pipe.set(redis_key, 0, ex=ttl, nx=True)
        pipe.incr(redis_key)
        _created, count = pipe.execute()
    return int(count)


def _locked_increment(cache: FileBasedCache, key: str, ttl: int) -> int:
    with file_lock(cache, key):
        count = int(cache.get(key) or 0) + 1
        cache.set(key, count, timeout=ttl)
    return count


@contextmanager
def file_lock(cache: FileBasedCache, key: str):
    cache._createdir()
    shard = zlib.crc32(key.encode()) % LOCK_FILES
    # Not ending in .djcache: the cache's clear() and culling never delete a lock file.
    path = os.path.join(cache._dir, f"ratelimit-{shard}.lock")
    with open(path, "a+b") as handle:
        locks.lock(handle, locks.LOCK_EX)
        try:
            yield
        finally:
            locks.unlock(handle)


def too_many_requests(request: HttpRequest, retry_after: int) -> HttpResponse:
    """A readable 429 page with Retry-After."""
    body = render_to_string("429.html", {"retry_after": retry_after}, request=request)
    response = HttpResponse(body, status=429)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response
