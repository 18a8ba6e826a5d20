"""The comment settings as every article page needs them, cached (they change rarely)."""

from __future__ import annotations

from django.core.cache import cache

CONFIG_KEY = "khabar:comment-config"
CACHE_SECONDS = 60  # also bounds how long a moved or unpublished policy page's link can linger


def _policy_urls(policy) -> dict:
    """The policy page's address for each edition (locale id): its live translation there, else
    the page chosen in the settings (under the key None); empty when none is chosen or live."""
    if policy is None:
        return {}
    urls = {page.locale_id: page.url for page in policy.get_translations(inclusive=True).live()}
    if policy.locale_id in urls:
        urls[None] = urls[policy.locale_id]
    return urls


def reader_config():
    """(settings, {locale id: policy page url}): one cache read instead of several queries per article view."""
    from khabar.comments.models import CommentSettings

    data = cache.get(CONFIG_KEY)
    if data is None:
        config = CommentSettings.load()
        data = (config, _policy_urls(config.policy_page))
        cache.set(CONFIG_KEY, data, CACHE_SECONDS)
    return data


def policy_url(article) -> str:
    """Where "Comment Policy" links from ``article``: the policy in the article's edition, else the
    page chosen in Settings → Comments; "" (no link) when none is chosen or it is not live."""
    urls = reader_config()[1]
    return urls.get(article.locale_id) or urls.get(None, "")


def forget_config(**kwargs) -> None:
    cache.delete(CONFIG_KEY)
