"""Rate limits for reader writes (comments, reactions, reports) and search.

Readers are counted by a salted hash of their IP address (never the address
itself). Counters live in the default cache: Redis in production, so every
app server shares them; the on-disk cache on a single machine.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


def client_ip(request: HttpRequest) -> str:
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        # Behind our own proxy: the first address it saw is the reader's.
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def ip_hash(request: HttpRequest) -> str:
    """A salted, keyed hash of the reader's IP: stable for rate limits, useless to anyone without the salt."""
    digest = hmac.new(settings.KHABAR_IP_SALT.encode(), client_ip(request).encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


@dataclass
class Verdict:
    allowed: bool
    retry_after: int  # seconds until the window resets (0 when allowed)


def hit(scope: str, key: str, *, limit: int, window: int) -> Verdict:
    """Count one event for ``key`` in ``scope``; refuse once ``limit`` is passed within ``window`` seconds."""
    now = int(time.time())
    window_start = now - now % window
    cache_key = f"rl:{scope}:{key}:{window_start}"
    cache.add(cache_key, 0, timeout=window + 5)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window + 5)
        count = 1
    if count > limit:
        return Verdict(False, window_start + window - now or 1)
    return Verdict(True, 0)


def too_many_requests(request: HttpRequest, retry_after: int) -> HttpResponse:
    """A readable 429 page with Retry-After."""
    body = render_to_string("429.html", {"retry_after": retry_after}, request=request)
    response = HttpResponse(body, status=429)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response
