"""Full-page cache for anonymous readers, with precise purges.

How it works (docs/decisions/0002-page-cache.md and 0004-serving-cache-hits.md have the why):

* ``lookup()`` is the one read path, used twice with the same keys: by the
  WSGI layer in front of Django (khabar/core/fastpath.py), which answers a
  current entry without building a request, and by ``PageCacheMiddleware``,
  early in MIDDLEWARE, which also handles misses. For an anonymous GET/HEAD it
  reads four keys in one ``get_many``: the site-wide generation, the edition
  generation, the generation of the page that owns the path, and the stored
  response. A stored response is served only if it was made under the three
  generations that are current now. A purge never deletes entries; it gives a
  generation a new random value, so every variant of a path (``?page=N``, its
  ``feed/``) dies at once without being enumerated.
* Only known query parameters make a key (``canonical_query``): ``page``/``p``
  with a valid number, ``full`` on feeds. Tracking parameters (``utm_*``,
  ``fbclid``...) are dropped from the key and from the request Django renders;
  any other parameter means "not cached" (rendered, never stored).
* A response is stored only when it is a 200 for a reader page (a Khabar
  Wagtail page, a feed or a sitemap), sets no cookie, does not vary on
  cookies, did not touch the CSRF token and is not marked private. It is stored
  once with its gzip and brotli forms; each hit picks one by Accept-Encoding.
* The generations captured *before* rendering are stored with the response,
  so a page rendered from data older than a purge is dead on arrival.
* A miss takes a short lock (an atomic ``add``, see ``_add``) so one request
  renders while the others wait for it (at most KHABAR_STAMPEDE_WAIT_SECONDS)
  or, after a *soft* purge (an edit or a publish), get the previous copy for as
  long. The lock's owner looks the page up again before rendering: a request
  that found the page purged may get the lock only after another one rendered
  and stored it. A *hard* purge (the default: unpublish, embargo, deletion,
  restriction) is never answered with the previous copy.
* ``purge_*`` functions bump generations after the transaction commits and
  send the same URLs to Wagtail's frontend-cache backends (nginx, Varnish, CDN).
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import os
import re
import secrets
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from email.utils import formatdate
from time import monotonic, sleep, time
from typing import NamedTuple
from urllib.parse import quote, unquote, unquote_plus, urlencode

import brotli
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache
from django.core.paginator import Page as PaginatorPage
from django.core.signals import setting_changed
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.utils.cache import has_vary_header, patch_cache_control, patch_vary_headers
from django.utils.http import parse_http_date_safe

from khabar.core.purge import CachedPage

logger = logging.getLogger("khabar.pagecache")

SITEMAP_TAG = "sitemaps"
_SITEMAP_RE = re.compile(r"^/[\w-]*sitemap[\w-]*\.xml$")
# A feed belongs to the page it lists: /en/feed/ -> /en/, /en/iraq/feed/atom/ -> /en/iraq/.
_FEED_RE = re.compile(r"feed/(?:[a-z0-9-]+/)?$")
# Response headers that are per-response (or per encoding) and must not be replayed from the cache.
_DROP_HEADERS = {"set-cookie", "date", "x-cache", "age", "content-length", "content-encoding", "etag"}
# A lock older than this is a crashed renderer's: the next reader takes over.
LOCK_SECONDS = 10
_SOFT = "s"  # soft generations start with it: "s<milliseconds>-<random>"


# --- Keys and generations -----------------------------------------------------


class _Conf(NamedTuple):
    """The settings a hit reads, read once: a hit is a few microseconds, a settings lookup about one."""

    enabled: bool
    alias: str
    languages: frozenset[str]
    default_language: str
    session_cookie: str
    proxy_ssl_header: tuple[str, str] | None
    forwarded_host: bool
    memory_bytes: int
    seconds: int


_conf_held: _Conf | None = None


def _conf() -> _Conf:
    global _conf_held
    if _conf_held is None:
        _conf_held = _Conf(
            enabled=bool(settings.KHABAR_PAGE_CACHE) and settings.KHABAR_PAGE_CACHE_SECONDS > 0,
            alias=settings.KHABAR_PAGE_CACHE_ALIAS,
            languages=frozenset(code for code, _name in settings.LANGUAGES),
            default_language=settings.LANGUAGE_CODE,
            session_cookie=settings.SESSION_COOKIE_NAME,
            proxy_ssl_header=settings.SECURE_PROXY_SSL_HEADER,
            forwarded_host=settings.USE_X_FORWARDED_HOST,
            memory_bytes=settings.KHABAR_PAGE_CACHE_MEMORY_MB * 1024 * 1024,
            seconds=settings.KHABAR_PAGE_CACHE_SECONDS,
        )
    return _conf_held


def _cache():
    return caches[_conf().alias]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:32]


# Other renderings of an edition's pages, /<lang>/<prefix>/<path> (the lite edition): registered by
# their app, they live under the generation of /<lang>/<path>, so one purge reaches every rendering.
_view_prefixes: set[str] = set()


def register_view_prefix(prefix: str) -> None:
    _view_prefixes.add(prefix.strip("/"))


def _page_path(path: str) -> str:
    """ "/en/lite/iraq/story/" -> "/en/iraq/story/" for a registered view prefix; other paths unchanged."""
    parts = path.split("/", 3)
    if len(parts) >= 3 and parts[2] in _view_prefixes and edition_of(path):
        return f"/{parts[1]}/" + (parts[3] if len(parts) > 3 else "")
    return path


def _renderings(path: str) -> list[str]:
    """Every public rendering of a page path: itself and its registered views (for frontend caches)."""
    language = edition_of(path)
    if not language:
        return [path]
    rest = path[len(language) + 2 :]
    return [path, *(f"/{language}/{prefix}/{rest}" for prefix in sorted(_view_prefixes))]


def owner_tag(path: str) -> str:
    """The generation a path's responses live under: its page, or "sitemaps"."""
    if _SITEMAP_RE.match(path):
        return SITEMAP_TAG
    path = _page_path(path)
    return _FEED_RE.sub("", path) if _FEED_RE.search(path) else path


def edition_of(path: str) -> str:
    first = path.split("/", 2)[1] if path.count("/") >= 2 else ""
    return first if first in _conf().languages else ""


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
    header = _conf().proxy_ssl_header
    if header and meta.get(header[0]) is not None:
        return "https" if meta[header[0]].split(",", 1)[0].strip() == header[1] else "http"
    return meta.get("wsgi.url_scheme", "http")


def _host(meta: dict) -> str:
    """The raw host as Django reads it (validated by Django before anything is stored under it)."""
    if _conf().forwarded_host and "HTTP_X_FORWARDED_HOST" in meta:
        return meta["HTTP_X_FORWARDED_HOST"]
    if "HTTP_HOST" in meta:
        return meta["HTTP_HOST"]
    port = str(meta.get("SERVER_PORT", ""))
    default = "443" if _scheme(meta) == "https" else "80"
    return meta.get("SERVER_NAME", "") + ("" if port in ("", default) else f":{port}")


def _entry_key_from(meta: dict, path: str, query: str, language: str) -> str:
    # "r2": entries hold every encoding; entries of the older layout are never read.
    raw = "|".join([_scheme(meta), _host(meta), path, query, language])
    return f"pc:r2:{_digest(raw)}"


def _lock_key(entry_key: str) -> str:
    return f"pc:l:{entry_key}"


def _hard_key(generation_key: str) -> str:
    """When this generation was last hard-purged (a previous copy made before then is never served)."""
    return f"{generation_key}:hard"


def _new_generation(*, stale_ok: bool = False) -> str:
    if stale_ok:
        return f"{_SOFT}{int(time() * 1000)}-{secrets.token_hex(6)}"
    return secrets.token_hex(8)


def _soft_purged_at(generation: str | None) -> float | None:
    """The time of the soft purge that made this generation, or None for a hard (or first) one."""
    if not generation or not generation.startswith(_SOFT):
        return None
    stamp = generation[len(_SOFT) :].split("-", 1)[0]
    return int(stamp) / 1000 if stamp.isdigit() else None


def _generation_keys(path: str) -> list[str]:
    return [_site_key(), _edition_key(edition_of(path)), _tag_key(owner_tag(path))]


# --- Query strings --------------------------------------------------------------

# Added by social networks, newsletters and analytics; no Khabar view reads them.
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid", "igshid",
        "mc_cid", "mc_eid", "_ga", "_gl", "ref", "ref_src", "s_cid", "mkt_tok", "oly_anon_id", "oly_enc_id",
    }
)  # fmt: skip
TRACKING_PREFIXES = ("utm_",)
MAX_PAGE_NUMBER = 1_000_000


def _page_number(path: str, value: str) -> str | None:
    """?page=N / ?p=N: a plain positive number; page 1 is the page without the parameter."""
    if not value.isdigit() or not 1 <= int(value) <= MAX_PAGE_NUMBER:
        return None  # Django answers it (a 404 with a reason), never stored
    return "" if int(value) == 1 else str(int(value))


def _full_flag(path: str, value: str) -> str | None:
    """?full=1 on feeds (khabar/feeds/views.py reads it); elsewhere it is not a parameter of ours."""
    if not _FEED_RE.search(path):
        return None
    return {"1": "1", "true": "1", "0": "", "false": "", "": ""}.get(value.lower())


_KNOWN_PARAMS: dict[str, Callable[[str, str], str | None]] = {
    "page": _page_number,
    "p": _page_number,
    "full": _full_flag,
}


def canonical_query(path: str, query_string: str) -> str | None:
    """The query string a cache key is made of, or None when this one is not cached.

    Tracking parameters are dropped (a link shared with ?utm_source=... is the
    article's cached copy); known parameters are normalised (?page=01 is
    ?page=... once, ?page=1 is the bare page); anything else, or a bad value,
    is rendered by Django and never stored, so random query strings cannot
    fill the cache.
    """
    if not query_string:
        return ""
    kept: dict[str, str] = {}
    for part in query_string.split("&"):
        if not part:
            continue
        raw_name, _sep, raw_value = part.partition("=")
        name = unquote_plus(raw_name)
        if name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES):
            continue
        rule = _KNOWN_PARAMS.get(name)
        if rule is None or name in kept:
            return None
        value = rule(path, unquote_plus(raw_value))
        if value is None:
            return None
        kept[name] = value
    return urlencode(sorted((name, value) for name, value in kept.items() if value))


# --- Reading: the one lookup both the fast path and the middleware use ------------


def enabled() -> bool:
    return _conf().enabled


def anonymous_read(meta: dict) -> bool:
    """A GET/HEAD with no session, flash message or credentials: what the cache may answer."""
    if meta.get("REQUEST_METHOD") not in ("GET", "HEAD") or "HTTP_AUTHORIZATION" in meta:
        return False
    cookies = meta.get("HTTP_COOKIE", "")
    # A substring test: a look-alike cookie name only costs a bypass, never a wrong answer.
    return not cookies or not any(f"{name}=" in cookies for name in (_conf().session_cookie, "messages"))


class Lookup(NamedTuple):
    query: str  # the canonical query string
    keys: list[str]  # the three generation keys
    entry_key: str
    found: dict  # everything get_many returned
    entry: dict | None
    current: bool  # the entry was made under the generations current now


def lookup(meta: dict, path: str) -> Lookup | None:
    """This request's generations and entry (one small read when this worker holds them); None when
    its query string is not cached."""
    named = _request_keys(meta, path)
    if named is None:
        return None
    query, keys, entry_key = named
    found = _read(keys, entry_key)
    entry = found.get(entry_key)
    generations = tuple(found.get(key) for key in keys)
    current = entry is not None and None not in generations and entry["generations"] == generations
    return Lookup(query, keys, entry_key, found, entry, current)


# What a request's path and query string name: its keys are two digests and a few rules, the
# same every time, so each worker remembers them for the addresses it sees (bounded: a client
# sending random addresses only empties the memo, the answers stay right).
_named: dict[tuple, tuple[str, list[str], str] | None] = {}
_NAMED_MAX = 4096


def _request_keys(meta: dict, path: str) -> tuple[str, list[str], str] | None:
    """(canonical query, generation keys, entry key) for this request, or None when not cached."""
    address = (_scheme(meta), _host(meta), path, meta.get("QUERY_STRING", ""))
    try:
        return _named[address]
    except KeyError:
        pass
    query = canonical_query(path, address[3])
    named = None
    if query is not None:
        entry_key = _entry_key_from(meta, path, query, edition_of(path) or _conf().default_language)
        named = (query, _generation_keys(path), entry_key)
    if len(_named) >= _NAMED_MAX:
        _named.clear()
    _named[address] = named
    return named


# --- This worker's copy of hot pages ----------------------------------------------
# A hit used to read the stored entry (every encoding of the page) from the shared cache: on the
# disk cache a file open, a zlib inflate and an unpickle, most of a hit's cost. Each worker now
# keeps the entries it served, and the generations they were checked against, in memory. What
# keeps that exact is the purge epoch: every purge writes its generations and then a new random
# value under one key, and every lookup reads that one small key first. While it is unchanged,
# no purge has finished since the generations held here were read, so they are still the shared
# ones; when it changes, this worker forgets every generation it holds (not the entries: an
# entry is served only if its generations are current, exactly as from the shared cache).
_EPOCH_KEY = "pc:epoch"


class _HotPages:
    """Entries and generations this worker has read, bounded by KHABAR_PAGE_CACHE_MEMORY_MB."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.epoch: str | None = None
        self.generations: dict[str, str] = {}
        self.entries: OrderedDict[str, tuple[float, int, dict]] = OrderedDict()
        self.size = 0

    def known(self, epoch: str | None, keys: list[str]) -> list[str | None]:
        """The generations held for these keys under this epoch (a new epoch forgets them all)."""
        with self.lock:
            if epoch != self.epoch:
                self.epoch, self.generations = epoch, {}
            return [self.generations.get(key) for key in keys]

    def learn(self, epoch: str, generations: dict[str, str]) -> None:
        with self.lock:
            if epoch == self.epoch:
                self.generations.update(generations)

    def entry(self, key: str) -> dict | None:
        with self.lock:
            held = self.entries.get(key)
            if held is None:
                return None
            if held[0] <= time():
                self._drop(key)
                return None
            self.entries.move_to_end(key)
            return held[2]

    def keep(self, key: str, entry: dict) -> None:
        limit = _conf().memory_bytes
        size = sum(len(body) for _etag, _headers, body in entry["variants"].values())
        if size > limit // 8:
            return  # a page this large would push out too many others
        expires = entry["rendered_at"] + _conf().seconds  # as the shared copy does
        with self.lock:
            self._drop(key)
            self.entries[key] = (expires, size, entry)
            self.size += size
            while self.size > limit:
                self._drop(next(iter(self.entries)))

    def _drop(self, key: str) -> None:
        held = self.entries.pop(key, None)
        if held is not None:
            self.size -= held[1]

    def clear(self) -> None:
        with self.lock:
            self.epoch, self.generations = None, {}
            self.entries.clear()
            self.size = 0


_hot = _HotPages()


@receiver(setting_changed)
def _forget_hot_pages(*, setting: str, **kwargs) -> None:
    """Tests swap caches and settings: what this process held belonged to the old ones."""
    global _conf_held
    _conf_held = None
    _named.clear()
    if setting == "CACHES" or setting.startswith("KHABAR_PAGE_CACHE"):
        _hot.clear()


# The epoch, on the embedded default (Django's file cache, one host): a file whose identity
# (inode, size, modification time) is the value. A purge appends one byte, so a hit costs one
# stat() instead of a cache read (an open, a read, an unpickle). The cache's clear() and its cull
# delete *.djcache files, this one too: the next lookup starts a new epoch, so what this worker
# held is forgotten, exactly as when the key is gone from any other backend.
_EPOCH_FILE = "pc-epoch.djcache"
_EPOCH_FILE_MAX = 1 << 20  # bytes of appended purges before the file is started anew


_epoch_paths: dict[str, str] = {}


def _epoch_path(cache) -> str | None:
    if not isinstance(cache, FileBasedCache):
        return None
    path = _epoch_paths.get(cache._dir)
    if path is None:
        path = _epoch_paths[cache._dir] = os.path.join(cache._dir, _EPOCH_FILE)
    return path


def _start_file_epoch(path: str) -> None:
    """A new epoch file: a new inode, and a random size so that a reused inode still differs."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix="pc-epoch.")
    with os.fdopen(fd, "wb") as file:
        file.write(b"." * (secrets.randbelow(1 << 16) + 1))
    os.replace(temporary, path)


def _read_epoch(cache) -> str | None:
    """The purge epoch now, or None when there is none yet (one is started for the next lookup)."""
    path = _epoch_path(cache)
    if path is None:
        epoch = cache.get(_EPOCH_KEY)
        if epoch is None:
            cache.add(_EPOCH_KEY, secrets.token_hex(8), timeout=None)  # a cleared cache: start an epoch
        return epoch
    try:
        held = os.stat(path)
    except FileNotFoundError:
        _start_file_epoch(path)
        return None
    return f"{held.st_ino}:{held.st_size}:{held.st_mtime_ns}"


def _new_epoch(cache) -> None:
    """Called after a purge has written its generations, never before."""
    path = _epoch_path(cache)
    if path is None:
        cache.set(_EPOCH_KEY, secrets.token_hex(8), timeout=None)
        return
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND)  # no O_CREAT: a deleted file is started anew
    except FileNotFoundError:
        _start_file_epoch(path)
        return
    try:
        os.write(fd, b".")
        size = os.fstat(fd).st_size
    finally:
        os.close(fd)
    if size > _EPOCH_FILE_MAX:
        _start_file_epoch(path)


def _read(keys: list[str], entry_key: str) -> dict:
    """What get_many([*keys, entry_key]) on the shared cache returns now, read from memory when it can."""
    cache = _cache()
    epoch = _read_epoch(cache) if _conf().memory_bytes > 0 else None
    if epoch is not None:
        generations = _hot.known(epoch, keys)
        entry = _hot.entry(entry_key) if None not in generations else None
        if entry is not None and entry["generations"] == tuple(generations):
            return {**dict(zip(keys, generations, strict=True)), entry_key: entry}
    found = cache.get_many([*keys, entry_key])
    if epoch is not None:
        _hot.learn(epoch, {key: found[key] for key in keys if found.get(key) is not None})
        entry = found.get(entry_key)
        if entry is not None and entry["generations"] == tuple(found.get(key) for key in keys):
            _hot.keep(entry_key, entry)
    return found


def negotiate(accept_encoding: str, variants: dict) -> str:
    """br, else gzip, else identity, as the client accepts them (a q=0 refuses one)."""
    if not accept_encoding:
        return "identity"
    accepted = _accepted_encodings.get(accept_encoding)
    if accepted is None:
        accepted = _parse_accept_encoding(accept_encoding)
        if len(_accepted_encodings) < 256:  # browsers send a handful of distinct headers
            _accepted_encodings[accept_encoding] = accepted
    for encoding in ("br", "gzip"):
        if encoding in variants and (encoding in accepted or "*" in accepted):
            return encoding
    return "identity"


_accepted_encodings: dict[str, frozenset[str]] = {}


def _parse_accept_encoding(accept_encoding: str) -> frozenset[str]:
    accepted = set()
    for part in accept_encoding.lower().split(","):
        name, _sep, params = part.partition(";")
        if "q=0" in params.replace(" ", "") and not re.search(r"q=0\.0*[1-9]", params):
            continue
        accepted.add(name.strip())
    return frozenset(accepted)


def _not_modified(meta: dict, etag: str, last_modified: int) -> bool:
    if "HTTP_IF_NONE_MATCH" not in meta and "HTTP_IF_MODIFIED_SINCE" not in meta:
        return False
    if_none_match = meta.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or etag in tags
    since = parse_http_date_safe(meta.get("HTTP_IF_MODIFIED_SINCE") or "")
    return since is not None and last_modified <= since


def respond(entry: dict, meta: dict, x_cache: str) -> tuple[int, list[tuple[str, str]], bytes]:
    """Status, headers and body of a stored entry for this request (encoding, 304, HEAD): no rendering."""
    encoding = negotiate(meta.get("HTTP_ACCEPT_ENCODING", ""), entry["variants"])
    etag, headers, body = entry["variants"][encoding]
    if _not_modified(meta, etag, entry["last_modified"]):
        kept = [(k, v) for k, v in headers if k not in ("Content-Length", "Content-Encoding", "Content-Type")]
        return 304, [*kept, ("X-Cache", x_cache)], b""
    return entry["status"], [*headers, ("X-Cache", x_cache)], b"" if meta["REQUEST_METHOD"] == "HEAD" else body


def _as_response(entry: dict, request: HttpRequest, x_cache: str) -> HttpResponse:
    status, headers, body = respond(entry, request.META, x_cache)
    response = HttpResponse(body, status=status)
    if status == 304:
        del response["Content-Type"]
    for name, value in headers:
        response[name] = value
    return response


# --- Storing ----------------------------------------------------------------------


def _variants(content: bytes) -> dict[str, tuple[str, bytes]]:
    """Each encoding's ETag and body, compressed once here and never per hit."""
    digest = hashlib.md5(content, usedforsecurity=False).hexdigest()
    variants = {"identity": (f'"{digest}"', content)}
    compressed = {
        "gzip": gzip.compress(content, compresslevel=settings.KHABAR_GZIP_LEVEL, mtime=0),
        "br": brotli.compress(content, mode=brotli.MODE_TEXT, quality=settings.KHABAR_BROTLI_QUALITY),
    }
    for encoding, body in compressed.items():
        if len(body) < len(content):
            variants[encoding] = (f'"{digest}-{encoding}"', body)
    return variants


def make_entry(response: HttpResponseBase, generations: tuple[str, ...], rendered_at: float) -> dict:
    headers = [(k, v) for k, v in response.headers.items() if k.lower() not in _DROP_HEADERS]
    variants = {}
    for encoding, (etag, body) in _variants(response.content).items():
        extra = [("ETag", etag)]
        if encoding != "identity":
            extra.append(("Content-Encoding", encoding))
        variants[encoding] = (etag, [*headers, *extra, ("Content-Length", str(len(body)))], body)
    return {
        "generations": generations,
        "rendered_at": rendered_at,
        "status": response.status_code,
        "last_modified": int(rendered_at),
        "variants": variants,
    }


def _is_reader_page(request: HttpRequest, response: HttpResponseBase) -> bool:
    path = request.path
    if owner_tag(path) == SITEMAP_TAG or (edition_of(path) and _FEED_RE.search(path)):
        return True
    if getattr(request, "is_preview", False):
        return False
    page = (getattr(response, "context_data", None) or {}).get("page")
    return isinstance(page, CachedPage)


def _reads_its_query(request: HttpRequest, response: HttpResponseBase) -> bool:
    """A page shown with ?page=N is kept only if it is a listing: an article ignores the number."""
    if owner_tag(request.path) == SITEMAP_TAG or _FEED_RE.search(request.path):
        return True
    context = getattr(response, "context_data", None) or {}
    return any(isinstance(value, PaginatorPage) for value in context.values())


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


# --- Misses: one renderer per page, the others wait or get the previous copy ---------


def _stale_allowed(found: Lookup) -> bool:
    """The previous copy may stand in only after soft purges younger than the wait, and no hard one since."""
    entry = found.entry
    if entry is None or None in (found.found.get(key) for key in found.keys):
        return False
    changed = [key for key, old in zip(found.keys, entry["generations"], strict=True) if found.found[key] != old]
    now = time()
    for key in changed:
        purged_at = _soft_purged_at(found.found[key])
        if purged_at is None or now - purged_at > settings.KHABAR_STAMPEDE_WAIT_SECONDS:
            return False
    hard = _cache().get_many([_hard_key(key) for key in changed])
    return all(entry["rendered_at"] > stamp for stamp in hard.values())


def _add(cache, key: str, value, timeout: float | None) -> bool:
    """``cache.add()``, one atomic step on every backend.

    Django's file cache checks whether the file exists and then writes it (``has_key``, then
    ``set``): readers that missed at the same moment all found no lock and all took it, so a purged
    hot page was rendered by every worker thread at once (8 renders for one purge under load, on 2
    workers of 4 threads). Here the value is written to a file of its own and then hard-linked to
    the key's file name, which fails when that exists: exactly one writer wins. An expired file is
    removed by ``has_key`` and the link tried once more. Redis (SET NX) and locmem are atomic already.
    """
    if not isinstance(cache, FileBasedCache):
        return cache.add(key, value, timeout=timeout)
    path = cache._key_to_file(key)
    cache._createdir()
    fd, written = tempfile.mkstemp(dir=cache._dir, prefix="pc-add.")  # not *.djcache: never culled or read
    try:
        with os.fdopen(fd, "wb") as file:
            cache._write_content(file, timeout, value)
        for _attempt in range(2):
            try:
                os.link(written, path)
                return True
            except FileExistsError:
                if cache.has_key(key):
                    return False
            except OSError:  # a file system without hard links: Django's own add()
                return cache.add(key, value, timeout=timeout)
        return False
    finally:
        os.remove(written)


def _take_lock(entry_key: str) -> bool:
    try:
        return _add(_cache(), _lock_key(entry_key), "rendering", LOCK_SECONDS)
    except Exception:
        logger.exception("page cache unreachable; rendering without the lock")
        return True


def _release_lock(entry_key: str) -> None:
    try:
        _cache().delete(_lock_key(entry_key))
    except Exception:  # it expires after LOCK_SECONDS
        logger.exception("page cache unreachable; the render lock was not released")


def _wait_for_renderer(found: Lookup, meta: dict, path: str) -> dict | None:
    """The entry another request is rendering, once it is stored (None: render it ourselves)."""
    lock = _lock_key(found.entry_key)
    deadline = monotonic() + settings.KHABAR_STAMPEDE_WAIT_SECONDS
    while monotonic() < deadline:
        sleep(0.02)
        if _cache().get(lock) != "rendering":  # done (stored or found not storable)
            again = lookup(meta, path)
            return again.entry if again and again.current else None
    return None


def _ensure_generations(keys: list[str], found: dict) -> tuple[str, ...]:
    """The current generations, creating missing ones (add() keeps a concurrent writer's value)."""
    cache = _cache()
    missing = [key for key in keys if found.get(key) is None]
    for key in missing:
        _add(cache, key, _new_generation(), None)
    if missing:
        found = {**found, **cache.get_many(missing)}
    return tuple(found.get(key) or "" for key in keys)


def _render_with_query(request: HttpRequest, query: str) -> None:
    """Django renders the canonical query, so what is stored under a key is what that key means."""
    if request.META.get("QUERY_STRING", "") != query:
        request.META["QUERY_STRING"] = query
        request.GET = QueryDict(query)


# --- The middleware -----------------------------------------------------------


class PageCacheMiddleware:
    """Answers anonymous readers from the page cache before routing; stores what is safe to store."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not enabled() or not may_be_reader_page(request.path):
            return self.get_response(request)
        if not anonymous_read(request.META):
            return self._bypass(request)
        try:
            found = lookup(request.META, request.path)
        except Exception:  # the cache being down must not take the site down
            logger.exception("page cache unreachable; serving uncached")
            return self.get_response(request)
        if found is None:
            return self.get_response(request)  # a query string the cache does not key on: rendered, not kept
        if found.current:
            return _as_response(found.entry, request, "HIT")
        return self._rebuild(request, found)

    def _rebuild(self, request: HttpRequest, found: Lookup) -> HttpResponseBase:
        owner = _take_lock(found.entry_key)
        if owner:
            # The miss was decided before the lock was taken: in between, another request may have
            # rendered and stored the page and released the lock. Its copy is the answer, not a
            # second render; otherwise render under the generations current now.
            try:
                again = lookup(request.META, request.path)
            except Exception:
                logger.exception("page cache unreachable; rendering without a second look")
                again = None
            if again is not None and again.current:
                _release_lock(found.entry_key)
                return _as_response(again.entry, request, "HIT")
            found = again or found
        else:
            if _stale_allowed(found):
                return _as_response(found.entry, request, "STALE")
            entry = _wait_for_renderer(found, request.META, request.path)
            if entry is not None:
                return _as_response(entry, request, "HIT")
        rendered_at = time()
        generations = _ensure_generations(found.keys, found.found)
        _render_with_query(request, found.query)
        try:
            response = self.get_response(request)
            return self._maybe_store(request, response, found, generations, rendered_at)
        finally:
            if owner:
                _release_lock(found.entry_key)

    def _bypass(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if request.method in ("GET", "HEAD") and "Cache-Control" not in response:
            if _is_reader_page(request, response):
                # A signed-in editor sees drafts, toolbars...: never keep it anywhere.
                patch_cache_control(response, private=True, no_store=True)
        response["X-Cache"] = "BYPASS"
        return response

    def _maybe_store(self, request, response, found: Lookup, generations, rendered_at) -> HttpResponseBase:
        storable = (
            request.method == "GET"
            and response.status_code == 200
            and not response.streaming
            and _is_reader_page(request, response)
            and (not found.query or _reads_its_query(request, response))
        )
        if not storable:
            return response
        if is_per_reader(request, response):
            if "Cache-Control" not in response:
                patch_cache_control(response, private=True, no_store=True)
            return response
        _public_cache_control(response)
        patch_vary_headers(response, ["Accept-Encoding"])
        # nginx's proxy cache obeys this (and hides it from clients): keep what Khabar keeps.
        response["X-Accel-Expires"] = str(settings.KHABAR_PROXY_CACHE_SECONDS)
        response["Last-Modified"] = formatdate(rendered_at, usegmt=True)
        entry = make_entry(response, generations, rendered_at)
        try:
            _cache().set(found.entry_key, entry, timeout=settings.KHABAR_PAGE_CACHE_SECONDS)
        except Exception:
            logger.exception("page cache unreachable; response not stored")
        return _as_response(entry, request, "MISS")


# --- Purging ------------------------------------------------------------------
# stale_ok=False (the default) is a *hard* purge: nobody ever gets the previous
# copy again (unpublish, embargo, deletion, view restriction). stale_ok=True is a
# *soft* purge (an edit, a new story in a listing): while one request renders
# the new copy, readers may get the previous one for KHABAR_STAMPEDE_WAIT_SECONDS.


def _bump(keys: Iterable[str], *, stale_ok: bool = False) -> None:
    keys = sorted(set(keys))
    if not keys:
        return
    values = {key: _new_generation(stale_ok=stale_ok) for key in keys}
    if not stale_ok:
        values.update({_hard_key(key): time() for key in keys})
    cache = _cache()
    cache.set_many(values, timeout=None)
    # After the generations, never before: a worker that sees this epoch reads them anew.
    _new_epoch(cache)


def _after_commit(keys: list[str], urls: Iterable[str], *, stale_ok: bool = False) -> None:
    urls = sorted(set(urls))

    def run() -> None:
        try:
            _bump(keys, stale_ok=stale_ok)
        except Exception:
            logger.exception("page cache purge failed for %s", keys)
        if urls and getattr(settings, "WAGTAILFRONTENDCACHE", None):
            from wagtail.contrib.frontend_cache.utils import PurgeBatch

            PurgeBatch(urls).purge()

    transaction.on_commit(run)


def purge_paths(paths: Iterable[str], *, base_url: str = "", stale_ok: bool = False) -> None:
    """Purge every cached response of these paths (all query strings, their feeds).

    stale_ok=True only for changes a reader may see a second late (edits,
    publishing); never for anything that must disappear.
    """
    # Wagtail gives percent-encoded paths; request.path (the cache key) is decoded.
    paths = sorted({unquote(path) for path in paths})
    base = (base_url or settings.BASE_URL).rstrip("/")
    urls = [base + quote(view) for path in paths if path.startswith("/") for view in _renderings(path)]
    urls += [base + quote(path) + "feed/" for path in paths if path.endswith("/") and edition_of(path)]
    if SITEMAP_TAG in paths:
        urls += [f"{base}/sitemap.xml", f"{base}/news-sitemap.xml"]
    _after_commit([_tag_key(path) for path in paths], urls, stale_ok=stale_ok)
    logger.debug("page cache purge (%s): %s", "soft" if stale_ok else "hard", paths)


def purge_edition(language: str, *, base_url: str = "", stale_ok: bool = False) -> None:
    """Purge every page of one edition (a section renamed changes every page's navigation)."""
    base = (base_url or settings.BASE_URL).rstrip("/")
    urls = [base + path for path in _renderings(f"/{language}/")]
    _after_commit([_edition_key(language), _tag_key(SITEMAP_TAG)], urls, stale_ok=stale_ok)


def purge_site(*, stale_ok: bool = False) -> None:
    """Purge everything (after a deploy that changes templates, for instance)."""
    _after_commit([_site_key()], [], stale_ok=stale_ok)
