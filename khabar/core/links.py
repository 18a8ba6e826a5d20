"""Absolute links that leave the site in emails (password resets, reply notices).

A link is built from, in order: the host the request came to, when Django has checked it against an
explicit ALLOWED_HOSTS (never with ``*``, where a forged Host header would choose where a password-reset
link points); a page's Wagtail Site, when it names a real host; otherwise the configured BASE_URL.
Wagtail's initial Site is ``localhost:80``, which is nobody's newsroom: links never point there.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest


def site_base(request: HttpRequest | None = None) -> str:
    """``scheme://host`` for links in an email sent while answering ``request`` (or BASE_URL without one)."""
    if request is not None and "*" not in settings.ALLOWED_HOSTS:
        return f"{request.scheme}://{request.get_host()}"
    return settings.BASE_URL


def _placeholder_host(hostname: str) -> bool:
    if hostname in ("", "localhost") or hostname.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(hostname).is_loopback
    except ValueError:
        return False


def page_link(page, request: HttpRequest | None = None) -> str:
    """A page's absolute URL for an email: the request's host, its Site's real host, or BASE_URL."""
    parts = page.get_url_parts(request)
    if parts is None:
        return ""
    _site_id, root_url, path = parts
    if path is None:
        return ""
    if request is not None:
        return site_base(request) + path
    if root_url and not _placeholder_host(urlsplit(root_url).hostname or ""):
        return root_url.rstrip("/") + path
    return settings.BASE_URL + path
