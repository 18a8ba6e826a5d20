"""Parts of a reader page kept rendered between renders of the whole page.

When the page cache misses (the entry expired, a section was purged, the page is rendered for a
query string the cache does not keep), most of an article has not changed: its comment block, the
most expensive part to render, changes only with its comments. A fragment is stored under a key
naming everything it depends on, so a change makes a new key and the old rendering is never read
again (nothing has to find and delete it):

* the release: a deploy with other templates or static files never reads older fragments;
* the language, scheme and host the page is rendered for, and that language's digits and calendar
  (KHABAR_DIGITS, KHABAR_CALENDAR);
* the owner's parts, one of which is a version the owner replaces whenever the data behind the
  fragment changes (``version``/``new_version``), so a fragment is exact whether or not the page
  cache is on.

Staff previews never read or write fragments.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from functools import cache

from django.conf import settings
from django.core.cache import caches
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from khabar.lib import languages

logger = logging.getLogger(__name__)

# A fragment nobody asks for again leaves the cache after this long.
FRAGMENT_SECONDS = 24 * 3600

# The version every picture's markup (alt text, focal point, renditions) depends on: any image
# saved or deleted renews it (core/signal_handlers.py).
IMAGES = "images"


def _store():
    return caches[settings.KHABAR_PAGE_CACHE_ALIAS]


@cache
def release() -> str:
    """What a deploy changes: KHABAR_RELEASE when set, else Khabar's version and the static manifest."""
    if settings.KHABAR_RELEASE:
        return settings.KHABAR_RELEASE
    from importlib.metadata import PackageNotFoundError, version

    digest = hashlib.sha256()
    try:
        digest.update(version("khabar").encode())
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        pass
    manifest = settings.STATIC_ROOT and (settings.STATIC_ROOT / "staticfiles.json")
    if manifest and manifest.exists():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()[:12]


# The versions a request has read, so that the page's several parts naming the same version read
# the shared cache once: set empty when a request starts (core/signal_handlers.py), None outside one.
_request_versions: ContextVar[dict | None] = ContextVar("khabar_fragment_versions", default=None)


def request_started(**kwargs) -> None:
    _request_versions.set({})


def request_finished(**kwargs) -> None:
    _request_versions.set(None)


def version(name: str) -> str:
    """The current version of ``name``'s data (made when missing: an evicted version only costs a render)."""
    seen = _request_versions.get()
    if seen is not None and name in seen:
        return seen[name]
    key = f"pc:fv:{name}"
    store = _store()
    current = store.get(key)
    if current is None:
        store.add(key, secrets.token_hex(8), timeout=FRAGMENT_SECONDS)
        current = store.get(key) or ""
    if seen is not None:
        seen[name] = current
    return current


def new_version(name: str) -> None:
    """``name``'s data changed: every fragment made from it is outdated (call once it is committed)."""
    current = secrets.token_hex(8)
    _store().set(f"pc:fv:{name}", current, timeout=FRAGMENT_SECONDS)
    seen = _request_versions.get()
    if seen is not None:
        seen[name] = current


def changed(name: str) -> None:
    """``name``'s data is changing in this transaction: outdate its fragments now, for the rest of
    this request, and again once the change is committed, so that a render in between (which read
    the old rows) is never reused."""
    from django.db import transaction

    new_version(name)
    transaction.on_commit(lambda: new_version(name))


def usable(request, *, writes: bool = False) -> bool:
    """What every anonymous reader of the live page sees; never a staff preview of a draft. With
    ``writes``, a reader's POST too (for what it acts on, such as the article a comment is for)."""
    methods = ("GET", "HEAD", "POST") if writes else ("GET", "HEAD")
    return request is not None and not getattr(request, "is_preview", False) and request.method in methods


def _key(request, name: str, parts: Iterable[object]) -> str:
    language = translation.get_language()
    # The newsroom's digits and calendar are settings, not a deploy: a change must not reuse older dates.
    writing = f"{languages.digits(language)}:{languages.calendar(language)}"
    raw = "|".join(str(p) for p in (release(), name, request.scheme, request.get_host(), language, writing, *parts))
    return "pc:f:" + hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def fragment(
    request, name: str, parts: Iterable[object], render: Callable[[], str], *, timeout: int | None = None
) -> SafeString:
    """``render()``'s HTML, rendered once per key and reused until a part of the key changes (or, with
    ``timeout``, for at most that many seconds)."""
    if not usable(request):
        return mark_safe(render())
    try:
        key = _key(request, name, parts)
        html = _store().get(key)
    except Exception:  # the cache being down must not take the page down
        return mark_safe(render())
    if html is None:
        html = str(render())
        try:
            _store().set(key, html, timeout=timeout or FRAGMENT_SECONDS)
        except Exception:
            logger.exception("page cache unreachable; fragment %s not stored", name)
    return mark_safe(html)


def remember(request, name: str, parts: Iterable[object], compute: Callable[[], object], *, writes: bool = False):
    """``compute()``'s value (anything the cache can pickle), kept under the same kind of key as a
    fragment: for the data a template asks for, where the markup around it is cheap (``writes``: see
    ``usable``)."""
    if not usable(request, writes=writes):
        return compute()
    try:
        key = _key(request, name, parts)
        value = _store().get(key)
    except Exception:  # the cache being down must not take the page down
        return compute()
    if value is None:
        value = compute()
        try:
            _store().set(key, value, timeout=FRAGMENT_SECONDS)
        except Exception:
            logger.exception("page cache unreachable; value %s not stored", name)
    return value
