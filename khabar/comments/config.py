"""The comment settings as every article page needs them, cached (they change rarely)."""

from __future__ import annotations

from django.core.cache import cache

CONFIG_KEY = "khabar:comment-config"
CACHE_SECONDS = 60  # also bounds how long a moved or unpublished policy page's link can linger


def reader_config():
    """(settings, policy page url): one cache read instead of two queries per article view."""
    from khabar.comments.models import CommentSettings

    data = cache.get(CONFIG_KEY)
    if data is None:
        config = CommentSettings.load()
        policy = config.policy_page
        data = (config, policy.url if policy and policy.live else "")
        cache.set(CONFIG_KEY, data, CACHE_SECONDS)
    return data


def forget_config(**kwargs) -> None:
    cache.delete(CONFIG_KEY)
