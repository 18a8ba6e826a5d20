"""What a change to a page purges from the page cache (and the frontend caches).

Pages readers see declare it, as Wagtail's frontend-cache pages declare their
paths: a page model mixes in ``CachedPage`` and says which other responses
show it (``cache_dependencies``) and whether a change reaches every page of
its edition (``purges_edition``: navigation and listings). Core only iterates
what pages declare; it knows no feature app.

Whoever changes something shown on a page without publishing it (an approved
comment, a new correction) sends ``page_content_changed``; the page cache
listens and purges that page's cached responses. Publishing and unpublishing
are covered by Wagtail's own signals.
"""

from django.dispatch import Signal

# Sent with ``page=<the Wagtail page whose readers' view changed>``.
page_content_changed = Signal()


def page_changed(page, sender=None) -> None:
    page_content_changed.send(sender=sender or type(page), page=page)


def page_path(page) -> str | None:
    """A page's address on its site ("/en/iraq/story/"), or None when it has none (not routable)."""
    parts = page.get_url_parts()
    return parts[2] if parts else None


class CachedPage:
    """A page readers see, kept in the full-page cache.

    When it is published, unpublished, moved or deleted, the cache drops its own
    responses, the sitemaps, ``cache_dependencies()``, and the whole edition when
    ``purges_edition`` is set.
    """

    # A change shows on every page of the edition (a section in the navigation, a plain page's link).
    purges_edition = True

    def cache_dependencies(self) -> set[str]:
        """Addresses of other pages whose responses show this one (their feeds follow them)."""
        return set()
