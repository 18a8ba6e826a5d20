"""What to purge from the page cache when the newsroom changes something.

An article (published, unpublished, republished after an edit, moved or
deleted) purges exactly the pages that show it: itself and its translations,
its section (all listing pages and the section feed), its edition's home and
feed, its authors' and topics' pages (and their feeds), the sitemaps, and the
articles that link to it as "related". Authors and topics it had *before* the
change are remembered from the previous purge, so removing a topic also
purges the old topic page.

Any other reader page (home, section, author, plain page) changes the
navigation or listings of its whole edition, and these change rarely, so
the edition is purged as a whole.

Core imports no feature app (docs/architecture.md): the news models are
looked up by name.
"""

from __future__ import annotations

import logging

from django.apps import apps
from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move, pre_page_move

from khabar.core import pagecache
from khabar.core.purge import page_content_changed

logger = logging.getLogger("khabar.pagecache")
_DEPS_TIMEOUT = 60 * 60 * 24 * 90


def _is_news_page(page) -> bool:
    return isinstance(page, Page) and page._meta.app_label in pagecache.CACHEABLE_APP_LABELS


def _is_article(page) -> bool:
    return _is_news_page(page) and page._meta.model_name == "articlepage"


def page_path(page) -> str | None:
    parts = page.get_url_parts()
    return parts[2] if parts else None


def _language(page) -> str:
    return page.locale.language_code


def article_paths(article) -> set[str]:
    """The paths whose responses show this article (feeds follow their page; see pagecache.owner_tag)."""
    language = _language(article)
    paths = {pagecache.SITEMAP_TAG, f"/{language}/"}
    own = page_path(article)
    if own:
        paths.add(own)
        parent = own.rstrip("/").rsplit("/", 1)[0] + "/"
        paths.add(parent)  # its section
    for byline in article.bylines.all():
        author_path = page_path(byline.author)
        if author_path:
            paths.add(author_path)
    for topic in article.topics.all():
        paths.add(f"/{language}/topics/{topic.slug}/")
    for translation in article.get_translations(inclusive=False):
        other = page_path(translation)
        if other:
            paths.add(other)  # its "read in <language>" links change
    related = apps.get_model("news", "RelatedArticle")
    for linking in Page.objects.filter(pk__in=related.objects.filter(article_id=article.pk).values("page_id")):
        other = page_path(linking)
        if other:
            paths.add(other)
    return paths


def _deps_key(page) -> str:
    return f"pc:deps:{page.pk}"


def purge_article(article, *, stale_ok: bool = False) -> None:
    paths = article_paths(article)
    cache = pagecache._cache()
    before = cache.get(_deps_key(article)) or []
    cache.set(_deps_key(article), sorted(paths), timeout=_DEPS_TIMEOUT)
    pagecache.purge_paths(paths | set(before), base_url=_base_url(article), stale_ok=stale_ok)


def purging() -> bool:
    """Nothing to purge when no cache holds pages (the page cache off, no frontend cache configured)."""
    from django.conf import settings

    return bool(settings.KHABAR_PAGE_CACHE or settings.WAGTAILFRONTENDCACHE)


def purge_page(page, *, stale_ok: bool = False) -> None:
    """Anything a reader sees changed: an article precisely, another page by its edition.

    ``stale_ok`` (a soft purge) lets readers get the previous copy for a moment while one request
    rebuilds a hot page; never for what must disappear at once (unpublish, embargo, deletion).
    """
    if not purging():
        return
    page = page.specific_deferred if type(page) is Page else page
    if not _is_news_page(page):
        return
    if _is_article(page):
        purge_article(page, stale_ok=stale_ok)
        return
    own = page_path(page)
    paths = {own, pagecache.SITEMAP_TAG} if own else {pagecache.SITEMAP_TAG}
    pagecache.purge_paths(paths, base_url=_base_url(page), stale_ok=stale_ok)
    pagecache.purge_edition(_language(page), base_url=_base_url(page), stale_ok=stale_ok)


def _base_url(page) -> str:
    parts = page.get_url_parts()
    return parts[1] if parts and parts[1] else ""


# --- Receivers ----------------------------------------------------------------


def on_published(sender, instance, **kwargs) -> None:
    # A story that went live or changed may be rebuilt behind a previous copy; one that is now
    # embargoed must vanish at once.
    purge_page(instance, stale_ok=bool(getattr(instance.specific_deferred, "is_published", True)))


def on_unpublished(sender, instance, **kwargs) -> None:
    purge_page(instance)


def on_moving(sender, instance, **kwargs) -> None:
    purge_page(instance)  # the old place: its section and URL


def on_moved(sender, instance, **kwargs) -> None:
    purge_page(Page.objects.get(pk=instance.pk).specific)  # the new place


def on_deleting(sender, instance, **kwargs) -> None:
    # Base Page rows are deleted alongside their specific row; handle the specific one only.
    if type(instance) is not Page and _is_news_page(instance) and instance.live:
        purge_page(instance)


def on_restriction_changed(sender, instance, **kwargs) -> None:
    """A view restriction added, changed or removed hides or shows the page (and, for a section, its
    stories) like an unpublish or a publish: purge it the same way."""
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None and page.live:
        purge_page(page.specific_deferred)


def on_content_changed(sender, page, **kwargs) -> None:
    if not purging():
        return
    own = page_path(page)
    if own:
        pagecache.purge_paths({own}, base_url=_base_url(page))


def _disconnect_wagtails_own_purges() -> None:
    """Wagtail's frontend-cache app purges each published page on top of ours (settings.INSTALLED_APPS
    has it ready before core): ours cover the page and everything that shows it, once."""
    from wagtail.contrib.frontend_cache import signal_handlers as wagtail_purges

    for model in apps.get_models():
        if issubclass(model, Page):
            page_published.disconnect(wagtail_purges.page_published_signal_handler, sender=model)
            page_unpublished.disconnect(wagtail_purges.page_unpublished_signal_handler, sender=model)


def connect() -> None:
    _disconnect_wagtails_own_purges()
    page_published.connect(on_published, dispatch_uid="khabar_pagecache_published")
    page_unpublished.connect(on_unpublished, dispatch_uid="khabar_pagecache_unpublished")
    pre_page_move.connect(on_moving, dispatch_uid="khabar_pagecache_moving")
    post_page_move.connect(on_moved, dispatch_uid="khabar_pagecache_moved")
    pre_delete.connect(on_deleting, dispatch_uid="khabar_pagecache_deleting")
    page_content_changed.connect(on_content_changed, dispatch_uid="khabar_pagecache_content_changed")
    post_save.connect(on_restriction_changed, sender=PageViewRestriction, dispatch_uid="khabar_pagecache_restricted")
    post_delete.connect(
        on_restriction_changed, sender=PageViewRestriction, dispatch_uid="khabar_pagecache_unrestricted"
    )


# --- Edition-wide changes ----------------------------------------------------


def purge_edition_for_locale(locale_id: int) -> None:
    """KHABAR_SITEWIDE_PURGE: something on every page of an edition changed (e.g. the breaking-news banner)."""
    from wagtail.models import Locale

    if not purging():
        return
    language = Locale.objects.filter(pk=locale_id).values_list("language_code", flat=True).first()
    if language:
        pagecache.purge_edition(language)
