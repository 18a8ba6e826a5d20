"""Absolute URLs and image renditions for what leaves the site (feeds, sitemaps, the API).

Absolute URLs are built from the request's host (Django has already checked it
against ALLOWED_HOSTS); with no request (a task, the CLI) from settings.BASE_URL.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

# The lead image in feeds: a 16:9 JPEG every feed reader can show.
ENCLOSURE_SPEC = "fill-1200x675|format-jpeg"


def absolute(url: str, request: HttpRequest | None = None) -> str:
    if url.startswith(("http://", "https://")):
        return url
    if request is not None:
        return request.build_absolute_uri(url)
    return settings.BASE_URL + url


def page_url(page, request: HttpRequest | None = None) -> str:
    """A page's absolute URL; no query once Wagtail's site root paths are cached for the request."""
    return absolute(page.get_url(request) or "", request)


def rendition_size(rendition) -> int:
    """The rendition file's size in bytes (a file-system stat, no query); 0 if storage cannot tell."""
    try:
        return rendition.file.size
    except (OSError, NotImplementedError, ValueError):
        return 0
