"""One change to a page at a time.

The page editor autosaves in the background while the editor clicks Publish, Save schedule or
Submit. Wagtail's edit view reads the page, checks that the form is not out of date, then writes
the page row; two such requests for one page can interleave, and the one that read first can
write last: an autosave that read the page before a publish wrote it back as a draft
(``live=False``, no live revision), and an autosave and a schedule both created the same new page
(a 500 on the slug).

So every write to a page through the admin's page views runs in one transaction that first locks
that page's row (or, for a new page, its parent's). A second request for the same page waits for
the first to commit, then reads what it wrote: a stale autosave is refused by Wagtail's own
out-of-date check ("Saving will overwrite a newer version") and a second create of one slug is a
form error. Readers never wait (PostgreSQL row locks and SQLite's WAL leave reads alone).
"""

from __future__ import annotations

from django.db import transaction
from wagtail.models import Page

NAMESPACE = "wagtailadmin_pages"


def locked_page_id(request, view_kwargs) -> int | None:
    """The page a POST to one of the admin's page views changes (its parent when it is created)."""
    match = getattr(request, "resolver_match", None)
    if request.method != "POST" or match is None or NAMESPACE not in match.namespaces:
        return None
    page_id = view_kwargs.get("page_id") or view_kwargs.get("parent_page_id")
    return int(page_id) if page_id else None


class PageEditsInTurnMiddleware:
    """Last in MIDDLEWARE: CSRF, authentication and two-factor checks have run when it calls the view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        page_id = locked_page_id(request, view_kwargs)
        if page_id is None:
            return None
        with transaction.atomic():
            # On SQLite the transaction itself is the lock (IMMEDIATE: one writer at a time);
            # on PostgreSQL the page's row is.
            list(Page.objects.select_for_update().filter(pk=page_id).values_list("pk", flat=True))
            response = view_func(request, *view_args, **view_kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()  # the template reads the page: still in turn
        return response
