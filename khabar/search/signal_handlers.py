"""Keep the search index in step with what readers may see.

Published → (re)index; unpublished → drop; deleted → dropped by cascade.
Embargo and view restrictions are applied when searching (``published()``),
so an embargo that passes needs no signal. ``page_content_changed`` (an editor
changed something shown without a new revision) re-reads the article.
"""

from __future__ import annotations

import logging

from wagtail.signals import page_published, page_unpublished

from khabar.core.purge import page_content_changed
from khabar.news.models import ArticlePage
from khabar.search import indexing

logger = logging.getLogger(__name__)


def _article(page) -> ArticlePage | None:
    specific = getattr(page, "specific_deferred", page)
    return specific if isinstance(specific, ArticlePage) else None


def _safely(action, article: ArticlePage) -> None:
    # Publishing must never fail because of the search index: log, and let
    # `khabar reindex_search` repair it. index_article writes in a savepoint, so a
    # database error here leaves the publishing transaction usable.
    try:
        action(article)
    except Exception:
        logger.exception("Search index not updated for article %s; run `khabar reindex_search`.", article.pk)


def on_published(sender, instance, **kwargs) -> None:
    article = _article(instance)
    if article is not None:
        _safely(indexing.index_article, article)


def on_unpublished(sender, instance, **kwargs) -> None:
    article = _article(instance)
    if article is not None:
        _safely(indexing.remove_article, article)


def on_content_changed(sender, page, **kwargs) -> None:
    article = _article(page)
    if article is not None:
        # Re-read from the database: the sender's instance may hold unsaved draft values.
        fresh = ArticlePage.objects.filter(pk=article.pk).first()
        if fresh is not None:
            _safely(indexing.index_article, fresh)


def connect() -> None:
    page_published.connect(on_published, dispatch_uid="khabar_search_published")
    page_unpublished.connect(on_unpublished, dispatch_uid="khabar_search_unpublished")
    page_content_changed.connect(on_content_changed, dispatch_uid="khabar_search_content_changed")
