"""The WSGI layer in front of Django: a current cache hit is answered here, before any middleware.

For an anonymous GET/HEAD of a reader page it makes the same single
``get_many`` as ``PageCacheMiddleware`` (``pagecache.lookup``) and answers a
current entry with ``pagecache.respond``: the stored bytes and headers
(CSP, security headers, Cache-Control, Vary), the encoding the client
accepts, a 304 on a matching If-None-Match/If-Modified-Since, HEAD without a
body. Everything else (misses, stale entries, cookies, other paths, errors)
goes to Django unchanged, where the middleware applies the same rules.
docs/decisions/0004-serving-cache-hits.md has the figures.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from http import HTTPStatus

from django.core.handlers.wsgi import get_path_info, get_script_name
from django.core.signals import setting_changed
from django.dispatch import receiver

from khabar.core import pagecache

logger = logging.getLogger("khabar.pagecache")

_STATUS_LINES = {status.value: f"{status.value} {status.phrase}" for status in HTTPStatus}


def request_path(environ: dict) -> str:
    """request.path exactly as Django builds it from the environ."""
    path_info = get_path_info(environ) or "/"
    script_name = get_script_name(environ)
    return "{}/{}".format(script_name.rstrip("/"), path_info.replace("/", "", 1))


# request_path and the reader-page filter per raw address, remembered by each worker (bounded).
_paths: dict[tuple[str, ...], str | None] = {}
_PATHS_MAX = 4096
_PATH_PARTS = ("SCRIPT_NAME", "PATH_INFO", "SCRIPT_URL", "REDIRECT_URL")  # what request_path reads


@receiver(setting_changed)
def _forget_paths(**kwargs) -> None:
    """FORCE_SCRIPT_NAME and the editions (LANGUAGES) decide these answers."""
    _paths.clear()


def reader_path(environ: dict) -> str | None:
    """request.path when it may be a cached reader page, else None."""
    raw = tuple(environ.get(name, "") for name in _PATH_PARTS)
    try:
        return _paths[raw]
    except KeyError:
        pass
    path = request_path(environ)
    found = path if pagecache.may_be_reader_page(path) else None
    if len(_paths) >= _PATHS_MAX:
        _paths.clear()
    _paths[raw] = found
    return found


def answer(environ: dict) -> tuple[int, list[tuple[str, str]], bytes] | None:
    """The cached answer to this request, or None for Django to handle it."""
    if not pagecache.enabled() or not pagecache.anonymous_read(environ):
        return None
    path = reader_path(environ)
    if path is None:
        return None
    found = pagecache.lookup(environ, path)
    if found is None or not found.current:
        return None
    return pagecache.respond(found.entry, environ, "HIT")


class FastPath:
    """Wraps Django's WSGI application (khabar/wsgi.py)."""

    def __init__(self, application: Callable) -> None:
        self.application = application

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        try:
            hit = answer(environ)
        except Exception:  # a cache outage: Django serves it (and logs its own view of it)
            logger.exception("page cache fast path failed; serving through Django")
            hit = None
        if hit is None:
            return self.application(environ, start_response)
        status, headers, body = hit
        start_response(_STATUS_LINES[status], headers)
        return [body]
