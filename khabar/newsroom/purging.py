"""Telling the page cache that readers' view changed (through khabar.core.purge)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils.module_loading import import_string

from khabar.core.purge import page_changed

log = logging.getLogger(__name__)


def purge_edition(locale_id: int) -> None:
    """Something shown on every page of an edition changed (the breaking-news banner).

    Sends page_content_changed for the edition home; then calls the hook named by
    KHABAR_SITEWIDE_PURGE (a dotted path to a function taking the locale id), which
    the page cache can provide to drop every cached page of the edition at once,
    e.g. by bumping a cache-wide version number.
    """
    from khabar.news.models import HomePage

    for home in HomePage.objects.filter(locale_id=locale_id):
        page_changed(home)
    hook = getattr(settings, "KHABAR_SITEWIDE_PURGE", "")
    if hook:
        try:
            import_string(hook)(locale_id)
        except Exception:  # a broken purge hook must not break the editor's save
            log.exception("The site-wide purge hook %s failed", hook)


def purge_article_and_listings(article) -> None:
    """An article became visible without being published again (its embargo ended): the page
    cache's article purge drops every page that shows it (the article and its translations, its
    section, its edition home, its authors' and topics' pages, the feeds and sitemaps)."""
    from khabar.core.signal_handlers import purge_page
    from khabar.news.published import published_changed

    published_changed()  # fragments that list it (related stories) too
    purge_page(article)
