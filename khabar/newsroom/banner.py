"""The edition's current breaking-news banner, cached: it is on every reader page."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

CACHE_SECONDS = 300


def _key(language: str) -> str:
    return f"khabar:breaking:{language}"


def current_banner(language: str) -> dict | None:
    now = timezone.now()
    cached = cache.get(_key(language))
    if cached is None:
        from khabar.newsroom.models import BreakingNews

        banner = BreakingNews.objects.active(language, now=now).first()
        cached = {"text": banner.text, "link": banner.link, "expires_at": banner.expires_at} if banner else {}
        timeout = CACHE_SECONDS
        if banner:  # never keep a banner past its expiry
            timeout = max(1, min(CACHE_SECONDS, int((banner.expires_at - now).total_seconds())))
        cache.set(_key(language), cached, timeout)
    if not cached or cached["expires_at"] <= now:
        return None
    return cached


def forget_banners() -> None:
    cache.delete_many([_key(code) for code, _name in settings.LANGUAGES])
