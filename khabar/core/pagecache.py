"""Full-page cache for anonymous readers, with precise purges.

How it works (docs/decisions/0002-page-cache.md has the why):

* ``PageCacheMiddleware`` sits early in MIDDLEWARE, before sessions, auth,
  URL resolution and Wagtail routing. For an anonymous GET/HEAD it reads four
  keys in one ``get_many``: the site-wide generation, the edition generation,
  the generation of the page that owns the path, and the stored response. A
  stored response is served only if it was made under the three generations
  that are current now. A purge never deletes entries; it gives a generation a
  new random value, so every variant of a path (``?page=N``, its ``feed/``)
  dies at once without being enumerated, and an old entry can never come back.
* A response is stored only when it is a 200 for a reader page (a Khabar
  Wagtail page, a feed or a sitemap), sets no cookie, does not vary on
  cookies, did not touch the CSRF token and is not marked private.
* The generations captured *before* rendering are stored with the response,
  so a page rendered from data older than a purge is dead on arrival.
* ``purge_*`` functions bump generations after the transaction commits and
  send the same URLs to Wagtail's frontend-cache backends (nginx, Varnish, CDN).
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from collections.abc import Callable, Iterable
from email.utils import formatdate
from time import time
from urllib.parse import quote, unquote

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response, has_vary_header, patch_cache_control

logger = logging.getLogger("khabar.pagecache")

SITEMAP_TAG = "sitemaps"
_SITEMAP_RE = re.compile(r"^/[\w-]*sitemap[\w-]*\.xml$")
# A feed belongs to the page it lists: /en/feed/ -> /en/, /en/iraq/feed/atom/ -> /en/iraq/.
_FEED_RE = re.compile(r"feed/(?:[a-z0-9-]+/)?$")
# Response headers that are per-response and must not be replayed from the cache.
_DROP_HEADERS = {"set-cookie", "date", "x-cache", "age"}
CACHEABLE_APP_LABELS = {"news"}


# --- Keys and generations -----------------------------------------------------


def _cache():
    return caches[settings.KHABAR_PAGE_CACHE_ALIAS]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def owner_tag(path: str) -> str:
    """The generation a path's responses live under: its page, or "sitemaps"."""
    if _SITEMAP_RE.match(path):
        return SITEMAP_TAG
    return _FEED_RE.sub("", path) if _FEED_RE.search(path) else path


_language_codes: tuple[object, frozenset[str]] = (None, frozenset())


def _codes() -> frozenset[str]:
    """The edition language codes, recomputed only when the LANGUAGES setting object changes."""
    global _language_codes
    languages = settings.LANGUAGES
    if _language_codes[0] is not languages:
        _language_codes = (languages, frozenset(code for code, _name in languages))
    return _language_codes[1]


def edition_of(path: str) -> str:
    first = path.split("/", 2)[1] if path.count("/") >= 2 else ""
    return first if first in _codes() else ""


def may_be_reader_page(path: str) -> bool:
    """Cheap pre-filter: only edition pages and sitemaps are ever cached (not /static/, /admin/, /csrf/...)."""
    return bool(edition_of(path)) or bool(_SITEMAP_RE.match(path))


def _site_key() -> str:
    return "pc:g"


def _edition_key(language: str) -> str:
    return f"pc:e:{language}"


def _tag_key(tag: str) -> str:
    return f"pc:p:{_digest(tag)}"


def _scheme(meta: dict) -> str:
    """request.scheme, from the WSGI environ alone (the WSGI fast path has no request object)."""
    header = settings.SECURE_PROXY_SSL_HEADER
    if header and meta.get(header[0]) is not None:
        return "https" if meta[header[0]].split(",", 1)[0].strip() == header[1] else "http"
    return meta.get("wsgi.url_scheme", "http")


def _host(meta: dict) -> str:
    """The raw host as Django reads it (validated by Django before anything is stored under it)."""
    if settings.USE_X_FORWARDED_HOST and "HTTP_X_FORWARDED_HOST" in meta:
        return meta["HTTP_X_FORWARDED_HOST"]
    if "HTTP_HOST" in meta:
        return meta["HTTP_HOST"]
    port = str(meta.get("SERVER_PORT", ""))
    default = "443" if _scheme(meta) == "https" else "80"
    return meta.get("SERVER_NAME", "") + ("" if port in ("", default) else f":{port}")


def _entry_key_from(meta: dict, path: str, language: str) -> str:
    raw = "|".join([_scheme(meta), _host(meta), path, meta.get("QUERY_STRING", ""), language])
    return f"pc:r:{_digest(raw)}"


def _entry_key(request: HttpRequest, language: str) -> str:
    return _entry_key_from(request.META, request.path, language)


def _new_generation() -> str:
    return secrets.token_hex(8)


def _generation_keys(path: str) -> list[str]:
    return [_site_key(), _edition_key(edition_of(path)), _tag_key(owner_tag(path))]


def _ensure_generations(keys: list[str], found: dict) -> tuple[str, ...]:
    """The current generations, creating missing ones (add() keeps a concurrent writer's value)."""
    cache = _cache()
    missing = [key for key in keys if found.get(key) is None]
    for key in missing:
        cache.add(key, _new_generation(), timeout=None)
    if missing:
        found = {**found, **cache.get_many(missing)}
    return tuple(found.get(key) or "" for key in keys)


# --- The middleware -----------------------------------------------------------


def _is_anonymous_read(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False  # a signed-in reader or editor, or a flash message waiting: per-reader
    return "HTTP_AUTHORIZATION" not in request.META


def _is_reader_page(request: HttpRequest, response: HttpResponseBase) -> bool:
    path = request.path
    if owner_tag(path) == SITEMAP_TAG or (edition_of(path) and _FEED_RE.search(path)):
        return True
    if getattr(request, "is_preview", False):
        return False
    page = (getattr(response, "context_data", None) or {}).get("page")
    return page is not None and getattr(page._meta, "app_label", "") in CACHEABLE_APP_LABELS


def is_per_reader(request: HttpRequest, response: HttpResponseBase) -> bool:
    """True when a response carries or depends on something of one reader's."""
    if response.cookies or has_vary_header(response, "Cookie"):
        return True
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return True  # the CSRF token was put into the page
    control = response.get("Cache-Control", "").lower()
    return any(word in control for word in ("private", "no-store", "no-cache"))


def _public_cache_control(response: HttpResponseBase) -> None:
    patch_cache_control(
        response,
        public=True,
        max_age=settings.KHABAR_BROWSER_CACHE_SECONDS,
        s_maxage=settings.KHABAR_PAGE_CACHE_SECONDS,
    )


class PageCacheMiddleware:
    """Answers anonymous readers from the page cache before routing; stores what is safe to store."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not settings.KHABAR_PAGE_CACHE or settings.KHABAR_PAGE_CACHE_SECONDS <= 0:
            return self.get_response(request)
        if not may_be_reader_page(request.path):
            return self.get_response(request)
        if not _is_anonymous_read(request):
            return self._bypass(request)
        language = edition_of(request.path) or settings.LANGUAGE_CODE
        keys = _generation_keys(request.path)
        entry_key = _entry_key(request, language)
        try:
            found = _cache().get_many([*keys, entry_key])
        except Exception:  # the cache being down must not take the site down
            logger.exception("page cache unreachable; serving uncached")
            return self.get_response(request)
        entry = found.get(entry_key)
        generations = tuple(found.get(key) for key in keys)
        if entry is not None and None not in generations and entry["generations"] == generations:
            return _replay(request, entry)
        generations = _ensure_generations(keys, found)
        response = self.get_response(request)
        return self._maybe_store(request, response, entry_key, generations)

    def _bypass(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if request.method in ("GET", "HEAD") and "Cache-Control" not in response:
            if _is_reader_page(request, response):
                # A signed-in editor sees drafts, toolbars...: never keep it anywhere.
                patch_cache_control(response, private=True, no_store=True)
        response["X-Cache"] = "BYPASS"
        return response

    def _maybe_store(self, request, response, entry_key, generations) -> HttpResponseBase:
        storable = (
            request.method == "GET"
            and response.status_code == 200
            and not response.streaming
            and _is_reader_page(request, response)
        )
        if not storable:
            return response
        if is_per_reader(request, response):
            if "Cache-Control" not in response:
                patch_cache_control(response, private=True, no_store=True)
            return response
        _public_cache_control(response)
        # nginx's proxy cache obeys this (and hides it from clients): keep what Khabar keeps.
        response["X-Accel-Expires"] = str(settings.KHABAR_PROXY_CACHE_SECONDS)
        response["ETag"] = f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'
        response["Last-Modified"] = formatdate(time(), usegmt=True)
        entry = {
            "generations": generations,
            "status": response.status_code,
            "content": response.content,
            "headers": [(k, v) for k, v in response.headers.items() if k.lower() not in _DROP_HEADERS],
        }
        try:
            _cache().set(entry_key, entry, timeout=settings.KHABAR_PAGE_CACHE_SECONDS)
        except Exception:
            logger.exception("page cache unreachable; response not stored")
        response["X-Cache"] = "MISS"
        return get_conditional_response(
            request, etag=response["ETag"], last_modified=_last_modified(response), response=response
        )


def _last_modified(response: HttpResponseBase) -> int | None:
    from django.utils.http import parse_http_date_safe

    return parse_http_date_safe(response.get("Last-Modified", ""))


def _replay(request: HttpRequest, entry: dict) -> HttpResponseBase:
    response = HttpResponse(entry["content"], status=entry["status"])
    for name, value in entry["headers"]:
        response[name] = value
    response["X-Cache"] = "HIT"
    conditional = get_conditional_response(
        request, etag=response.get("ETag"), last_modified=_last_modified(response), response=response
    )
    if request.method == "HEAD" and conditional is response:
        response.content = b""
        response["Content-Length"] = str(len(entry["content"]))
    return conditional


# --- Purging ------------------------------------------------------------------


def _bump(keys: Iterable[str]) -> None:
    keys = sorted(set(keys))
    if keys:
        _cache().set_many({key: _new_generation() for key in keys}, timeout=None)


def _after_commit(keys: list[str], urls: Iterable[str]) -> None:
    urls = sorted(set(urls))

    def run() -> None:
        try:
            _bump(keys)
        except Exception:
            logger.exception("page cache purge failed for %s", keys)
        if urls and getattr(settings, "WAGTAILFRONTENDCACHE", None):
            from wagtail.contrib.frontend_cache.utils import PurgeBatch

            PurgeBatch(urls).purge()

    transaction.on_commit(run)


def purge_paths(paths: Iterable[str], *, base_url: str = "") -> None:
    """Purge every cached response of these paths (all query strings, their feeds)."""
    # Wagtail gives percent-encoded paths; request.path (the cache key) is decoded.
    paths = sorted({unquote(path) for path in paths})
    base = (base_url or settings.BASE_URL).rstrip("/")
    urls = [base + quote(path) for path in paths if path.startswith("/")]
    urls += [base + quote(path) + "feed/" for path in paths if path.endswith("/") and edition_of(path)]
    if SITEMAP_TAG in paths:
        urls += [f"{base}/sitemap.xml", f"{base}/news-sitemap.xml"]
    _after_commit([_tag_key(path) for path in paths], urls)
    logger.debug("page cache purge: %s", paths)


def purge_edition(language: str, *, base_url: str = "") -> None:
    """Purge every page of one edition (a section renamed changes every page's navigation)."""
    base = (base_url or settings.BASE_URL).rstrip("/")
    _after_commit([_edition_key(language), _tag_key(SITEMAP_TAG)], [f"{base}/{language}/"])


def purge_site() -> None:
    """Purge everything (after a deploy that changes templates, for instance)."""
    _after_commit([_site_key()], [])


# --- WSGI fast path -------------------------------------------------------------


class WSGIFastPath:
    """Serves plain cache hits before Django builds a request (`khabar serve` wraps its application in it).

    Only the simplest case: an anonymous GET with no conditional headers whose
    stored response is current. Everything else (misses, HEAD, 304s, cookies,
    errors) goes to Django, where PageCacheMiddleware applies the same rules
    with the same keys.
    """

    def __init__(self, application) -> None:
        self.application = application

    def __call__(self, environ: dict, start_response):
        hit = None
        try:
            hit = self.lookup(environ)
        except Exception:
            logger.exception("page cache fast path failed; serving through Django")
        if hit is None:
            return self.application(environ, start_response)
        headers, body = hit
        start_response("200 OK", headers)
        return [body]

    @staticmethod
    def lookup(environ: dict) -> tuple[list[tuple[str, str]], bytes] | None:
        from django.core.handlers.wsgi import get_path_info, get_script_name

        if environ.get("REQUEST_METHOD") != "GET" or not settings.KHABAR_PAGE_CACHE:
            return None
        if settings.KHABAR_PAGE_CACHE_SECONDS <= 0 or "HTTP_AUTHORIZATION" in environ:
            return None
        if "HTTP_IF_NONE_MATCH" in environ or "HTTP_IF_MODIFIED_SINCE" in environ:
            return None
        cookies = environ.get("HTTP_COOKIE", "")
        if f"{settings.SESSION_COOKIE_NAME}=" in cookies or "messages=" in cookies:
            return None
        path_info = get_path_info(environ) or "/"
        script_name = get_script_name(environ)
        # Exactly how Django builds request.path.
        path = "{}/{}".format(script_name.rstrip("/"), path_info.replace("/", "", 1))
        if not may_be_reader_page(path):
            return None
        keys = _generation_keys(path)
        entry_key = _entry_key_from(environ, path, edition_of(path) or settings.LANGUAGE_CODE)
        found = _cache().get_many([*keys, entry_key])
        entry = found.get(entry_key)
        generations = tuple(found.get(key) for key in keys)
        if entry is None or None in generations or entry["generations"] != generations or entry["status"] != 200:
            return None
        return [*entry["headers"], ("X-Cache", "HIT")], entry["content"]
