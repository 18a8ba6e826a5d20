"""Purging the page cache when the newsroom changes a page readers see.

What a change purges is declared by the page (``khabar.core.purge.CachedPage``):
its own responses, the sitemaps, the pages that show it, and, when it says so,
its whole edition. An article names its section, edition home, authors, topics,
translations and the stories that list it as related; the pages it named at the
previous purge are remembered, so removing a topic also purges the old topic page.
"""

from __future__ import annotations

import logging

from django.apps import apps
from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move, pre_page_move

from khabar.core import pagecache
from khabar.core.purge import CachedPage, page_content_changed, page_path

logger = logging.getLogger("khabar.pagecache")
_DEPS_TIMEOUT = 60 * 60 * 24 * 90


def _is_cached_page(page) -> bool:
    return isinstance(page, Page) and isinstance(page, CachedPage)


def _language(page) -> str:
    return page.locale.language_code


def _deps_key(page) -> str:
    return f"pc:deps:{page.pk}"


def _purge_dependencies(page, *, stale_ok: bool) -> None:
    own = page_path(page)
    paths = {pagecache.SITEMAP_TAG} | ({own} if own else set()) | page.cache_dependencies()
    cache = pagecache._cache()
    before = cache.get(_deps_key(page)) or []
    cache.set(_deps_key(page), sorted(paths), timeout=_DEPS_TIMEOUT)
    pagecache.purge_paths(paths | set(before), base_url=_base_url(page), stale_ok=stale_ok)


def purging() -> bool:
    """Nothing to purge when no cache holds pages (the page cache off, no frontend cache configured)."""
    from django.conf import settings

    return bool(settings.KHABAR_PAGE_CACHE or settings.WAGTAILFRONTENDCACHE)


def purge_page(page, *, stale_ok: bool = False) -> None:
    """Anything a reader sees of ``page`` changed: purge what it declares (see CachedPage).

    ``stale_ok`` (a soft purge) lets readers get the previous copy for a moment while one request
    rebuilds a hot page; never for what must disappear at once (unpublish, embargo, deletion).
    """
    if not purging():
        return
    page = page.specific_deferred if type(page) is Page else page
    if not _is_cached_page(page):
        return
    _purge_dependencies(page, stale_ok=stale_ok)
    if page.purges_edition:
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
    if type(instance) is not Page and _is_cached_page(instance) and instance.live:
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


def _image_changed(sender, **kwargs) -> None:
    from khabar.core import fragments

    fragments.changed(fragments.IMAGES)


def connect() -> None:
    from django.core.signals import request_finished, request_started

    from khabar.core import fragments
    from khabar.core.models import NewsImage

    _disconnect_wagtails_own_purges()
    request_started.connect(fragments.request_started, dispatch_uid="khabar_fragments_request_started")
    request_finished.connect(fragments.request_finished, dispatch_uid="khabar_fragments_request_finished")
    post_save.connect(_image_changed, sender=NewsImage, dispatch_uid="khabar_fragments_image_saved")
    post_delete.connect(_image_changed, sender=NewsImage, dispatch_uid="khabar_fragments_image_deleted")
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
