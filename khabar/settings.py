"""Khabar's one settings file.

Everything an operator may change is read from the environment through the
typed helpers in ``khabar.lib.env``; README.md lists every variable. The
defaults are the embedded, single-machine setup (SQLite in var/, a cache on
disk that every worker process shares, tasks run immediately). Setting
DATABASE_URL, REDIS_URL and KHABAR_TASKS=database switches to the production
path without code changes.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

from khabar.lib.env import EnvError, env, envbool, envint, envjson, envlist, envmap, envnetworks, envsecret

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(env("KHABAR_VAR_DIR", str(BASE_DIR / "var")))

# --- Core -------------------------------------------------------------------
DEBUG = envbool("DEBUG", False)
# The embedded setup keeps its key where `make serve` wrote it (VAR_DIR/secret_key), so that
# `.venv/bin/khabar <command>` in the checkout needs no environment. Without SECRET_KEY,
# SECRET_KEY_FILE or that file, a production start (DEBUG off) is refused.
_VAR_SECRET_KEY = VAR_DIR / "secret_key"
if not env("SECRET_KEY") and _VAR_SECRET_KEY.is_file():
    SECRET_KEY = _VAR_SECRET_KEY.read_text(encoding="utf-8").strip()
    if not SECRET_KEY:
        raise EnvError(f"{_VAR_SECRET_KEY} is empty: delete it and run `make serve`, or set SECRET_KEY")
else:
    SECRET_KEY = envsecret("SECRET_KEY", required=not DEBUG, fallback="insecure-development-key-only")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
SITE_NAME = env("KHABAR_SITE_NAME", "Khabar")
# The public address used in feeds, sitemaps and exports when there is no request.
BASE_URL = env("BASE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = BASE_URL
ADMIN_PATH = env("KHABAR_ADMIN_PATH", "admin").strip("/") or "admin"

INSTALLED_APPS = [
    # Before khabar.core: Wagtail connects its own publish/unpublish purges when this app is ready, and
    # core (ready next) disconnects them, because core's purges already cover every URL (one purge per URL).
    "wagtail.contrib.frontend_cache",
    # Khabar: one app per capability (see docs/architecture.md).
    "khabar.core",
    "khabar.news",
    "khabar.comments",
    "khabar.reactions",
    "khabar.newsletters",
    "khabar.mostread",
    "khabar.feeds",
    "khabar.seo",
    "khabar.search",
    "khabar.ninjs",
    "khabar.newsroom",
    "khabar.ops",
    "khabar.lite",
    "khabar.telegram",
    "khabar.demo",
    # Wagtail
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
    "wagtail.api.v2",
    "wagtail.embeds",
    "wagtail.sites",
    "khabar.newsroom.users_app.UsersConfig",  # wagtail.users, with the newsroom's user form labels
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.locales",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "django_tasks_db",
    # Staff sign-in protection: lock-outs and two-factor (khabar/ops).
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Django (no django.contrib.admin: the newsroom admin is Wagtail's)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "khabar.ops.middleware.RequestIdMiddleware",  # every log line, cached answers included, has the request id
    # Answers anonymous readers from the page cache before anything below runs
    # (stored responses already carry the security headers added below it).
    "khabar.core.pagecache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "khabar.ops.middleware.BodySizeLimitMiddleware",  # 413 before anything reads an oversized body
    "khabar.ops.middleware.NulAddressMiddleware",  # a NUL byte in the address: 400, before any database sees it
    "khabar.ops.middleware.DatabaseUnavailableMiddleware",  # a locked or lost database: 503 + Retry-After
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "khabar.ops.middleware.StaffSessionExpiryMiddleware",
    "khabar.ops.middleware.StaffTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # After the CSP middleware in the list, so it runs first on the way out and can pick the admin policy.
    "khabar.ops.middleware.SecurityHeadersMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",  # axes wants to be last of those that check the request
    # Runs the admin's page writes one at a time per page; last, so every check above has passed.
    "khabar.newsroom.middleware.PageEditsInTurnMiddleware",
]

ROOT_URLCONF = "khabar.urls"
WSGI_APPLICATION = "khabar.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "khabar.news.navigation.edition",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
# How long a write waits for a locked database (SQLite's busy timeout, PostgreSQL's lock_timeout)
# before the request answers 503 with Retry-After: KHABAR_DB_RETRY_AFTER (khabar.ops.middleware).
KHABAR_DB_BUSY_TIMEOUT = envint("KHABAR_DB_BUSY_TIMEOUT", 5, minimum=1, maximum=60)
KHABAR_DB_RETRY_AFTER = envint("KHABAR_DB_RETRY_AFTER", 5, minimum=1, maximum=3600)
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    try:
        DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("DB_CONN_MAX_AGE", 60))}
    except Exception as exc:  # dj_database_url raises several types; one line is what an operator needs
        raise EnvError(f"DATABASE_URL cannot be used: {exc}") from None
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Wagtail's PostgreSQL search backend uses its search fields and indexes.
        INSTALLED_APPS.append("django.contrib.postgres")
        _options = DATABASES["default"].setdefault("OPTIONS", {})
        _options["options"] = f"{_options.get('options', '')} -c lock_timeout={KHABAR_DB_BUSY_TIMEOUT}s".strip()
        _options.setdefault("connect_timeout", KHABAR_DB_BUSY_TIMEOUT)
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "khabar.sqlite3",
            # WAL lets readers and the one writer work at once; IMMEDIATE
            # transactions plus a busy timeout make concurrent writers queue
            # instead of failing with "database is locked" (a writer holding the
            # lock longer than the timeout: 503, see KHABAR_DB_BUSY_TIMEOUT).
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
                "transaction_mode": "IMMEDIATE",
                "timeout": KHABAR_DB_BUSY_TIMEOUT,
            },
            # Kept open between requests, as with PostgreSQL: opening runs the PRAGMAs above, and
            # closing the last connection checkpoints the WAL into the database, about 1.5 ms of
            # every request that touched the database (a comment post was 7 ms with it, make bench).
            "CONN_MAX_AGE": envint("DB_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
        }
    }
if env("DATABASE_TEST_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": env("DATABASE_TEST_NAME")}

# --- Cache, sessions --------------------------------------------------------
# Two caches: "default" (sessions, rate limits, small things) and "pages" (the
# full-page cache, khabar/core/pagecache.py), so that pages filling up never
# evict a session or a rate-limit counter. Both are shared by every worker
# process (and every machine, with Redis): a purge must reach all of them.
REDIS_URL = env("REDIS_URL")
_CACHE_PREFIX = env("CACHE_KEY_PREFIX", "khabar")
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise EnvError(f"REDIS_URL={REDIS_URL!r} must start with redis://, rediss:// or unix://")
    _REDIS = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        # Fail fast when Redis is away: the page cache then serves uncached.
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
    CACHES = {
        "default": {**_REDIS, "KEY_PREFIX": _CACHE_PREFIX, "TIMEOUT": 3600},
        "pages": {**_REDIS, "KEY_PREFIX": f"{_CACHE_PREFIX}-pages", "TIMEOUT": 3600},
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    # On disk, so that every worker process sees the same entries and a purge
    # made by one worker reaches all of them (a per-process memory cache would not);
    # Django's file cache, sized now and then rather than on every write (core/diskcache.py).
    _FILES = {"BACKEND": "khabar.core.diskcache.DiskCache", "KEY_PREFIX": _CACHE_PREFIX}
    CACHES = {
        "default": {**_FILES, "LOCATION": VAR_DIR / "cache", "TIMEOUT": 3600, "OPTIONS": {"MAX_ENTRIES": 20000}},
        "pages": {**_FILES, "LOCATION": VAR_DIR / "cache-pages", "TIMEOUT": 3600, "OPTIONS": {"MAX_ENTRIES": 20000}},
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Wagtail keeps image rendition lookups in a cache named "renditions" when there is one:
# a page with many pictures then costs no rendition queries once warm. Wagtail
# also writes prefetched renditions back on every render; on the disk cache that
# is a file rename per image size per request, so without Redis the renditions
# cache is a small per-process memory cache (renditions never change under a
# key, which holds the focal point; 5 minutes bounds a deleted one).
if REDIS_URL:
    CACHES["renditions"] = {**CACHES["default"], "KEY_PREFIX": CACHES["default"]["KEY_PREFIX"] + "-renditions"}
else:
    CACHES["renditions"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "renditions",
        "TIMEOUT": 300,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
# The page cache (khabar/core/pagecache.py). The test runner turns it off
# (tests that need it turn it on), so other tests never see a cached page.
KHABAR_PAGE_CACHE = envbool("KHABAR_PAGE_CACHE", True)
KHABAR_PAGE_CACHE_ALIAS = "pages"
# Browsers may keep a page this long without asking again (they cannot be
# purged, so keep it short); shared caches (nginx, CDN) use KHABAR_PAGE_CACHE_SECONDS.
KHABAR_BROWSER_CACHE_SECONDS = envint("KHABAR_BROWSER_CACHE_SECONDS", 0, minimum=0)
# How long nginx's proxy cache keeps a page (X-Accel-Expires); short when nginx cannot be purged.
KHABAR_PROXY_CACHE_SECONDS = envint(
    "KHABAR_PROXY_CACHE_SECONDS", envint("KHABAR_PAGE_CACHE_SECONDS", 300, minimum=0), minimum=0
)
# A cached page is stored with its gzip and brotli forms, compressed once per
# render (never per hit); brotli 11 is slow enough to show in a render, 9 is
# nearly as small. A hot page purged under load is rendered by one request:
# the others wait for it this long (or, after a soft purge, get the previous copy).
KHABAR_GZIP_LEVEL = envint("KHABAR_GZIP_LEVEL", 9, minimum=1, maximum=9)
KHABAR_BROTLI_QUALITY = envint("KHABAR_BROTLI_QUALITY", 9, minimum=1, maximum=11)
KHABAR_STAMPEDE_WAIT_SECONDS = envint("KHABAR_STAMPEDE_WAIT_SECONDS", 2, minimum=0, maximum=30)
# Names a deploy for the page fragments (khabar/core/fragments.py); empty: Khabar's version and the
# static files' manifest, which change with every deploy that changes what pages look like.
KHABAR_RELEASE = env("KHABAR_RELEASE", "")

# --- Tasks ------------------------------------------------------------------
# "immediate" runs a task inside the request that queued it (the laptop
# default); "database" queues it for `khabar worker`.
TASK_MODE = env("KHABAR_TASKS", "immediate")
if TASK_MODE == "immediate":
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
elif TASK_MODE == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
else:
    raise EnvError(f"KHABAR_TASKS={TASK_MODE!r} is not one of: immediate, database")
# Jobs run every N seconds by `khabar worker` (or beside `khabar serve` when
# KHABAR_TASKS=immediate): [{"callable": "dotted.path", "every": seconds}, ...].
# Apps append to this list in their own settings block (e.g. scheduled publishing).
# (An embargo ending sends no signal: scheduled publishing's job purges those pages too.)
KHABAR_PERIODIC_JOBS: list[dict] = []

# --- Passwords, auth --------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = f"/{ADMIN_PATH}/login/"

# --- Languages and editions -------------------------------------------------
# Every fact about a language lives in this one table; code asks khabar.lib.languages, never a
# language code of its own. An edition is turned on by KHABAR_LANGUAGES alone (docs/editions.md);
# adding a language is a row here plus its translation catalogues.
#   name: the language's name in itself (the language switcher); direction: ltr or rtl;
#   og_locale: OpenGraph's locale; edition_title: the first title of that edition's home page
#   (the masthead name; editors may rename it); aliases: other Accept-Language tags readers of
#   this language send (an edition's own code always wins, so "ku" means Kurmanji when that
#   edition is on); digits: western (0123), arabic-indic (٠١٢٣) or persian (۰۱۲۳);
#   calendar: gregorian or solar-hijri (the Persian calendar).
KHABAR_LANGUAGE_INFO = {
    "en": {
        "name": "English",
        "direction": "ltr",
        "og_locale": "en_US",
        "edition_title": "Khabar",
        "aliases": [],
        "digits": "western",
        "calendar": "gregorian",
        "search_arabic_prefixes": True,
        "search_legacy_ae": False,
        "content_tags": [],
    },
    "ar": {
        "name": "العربية",
        "direction": "rtl",
        "og_locale": "ar_AR",
        "edition_title": "خبر",
        "aliases": [],
        "digits": "western",
        "calendar": "gregorian",
        "search_arabic_prefixes": True,
        "search_legacy_ae": False,
        "content_tags": [],
    },
    "ckb": {
        "name": "کوردی",
        "direction": "rtl",
        "og_locale": "cb_IQ",
        "edition_title": "خەبەر",
        # Sorani readers' browsers often say only "Kurdish", or Arabic (used when no Arabic edition is on).
        "aliases": ["ckb-iq", "ckb-ir", "ckb-arab", "ku-iq", "ku-ir", "ku-arab", "ku", "ar"],
        "digits": "arabic-indic",
        "calendar": "gregorian",
        # Search: Sorani writes و, بە, لە as words of their own (no Arabic prefixes to strip),
        # and older Sorani text types ە as ه + ZWNJ (khabar/lib/arabic.py, docs/search.md).
        "search_arabic_prefixes": False,
        "search_legacy_ae": True,
        # Other BCP 47 tags imported content (ninjs) may carry for the language: Kurdish in Arabic script.
        "content_tags": ["ku-arab"],
    },
    "fa": {
        "name": "فارسی",
        "direction": "rtl",
        "og_locale": "fa_IR",
        "edition_title": "خبر",
        "aliases": ["fa-ir", "fa-af", "prs", "prs-af"],
        "digits": "persian",
        "calendar": "gregorian",
        # Search: Persian has no attached Arabic prefixes (فردا is not ف + ردا).
        "search_arabic_prefixes": False,
        "search_legacy_ae": False,
        "content_tags": ["pes"],  # the ISO 639-3 code of Iranian Persian, in imported content
    },
    "fr": {
        "name": "Français",
        "direction": "ltr",
        "og_locale": "fr_FR",
        "edition_title": "Khabar",
        "aliases": [],
        "digits": "western",
        "calendar": "gregorian",
        "search_arabic_prefixes": True,
        "search_legacy_ae": False,
        "content_tags": [],
    },
    "ku": {
        "name": "Kurdî",
        "direction": "ltr",
        "og_locale": "ku_TR",
        "edition_title": "Xeber",
        "aliases": ["kmr", "ku-tr", "ku-latn"],
        "digits": "western",
        "calendar": "gregorian",
        "search_arabic_prefixes": True,
        "search_legacy_ae": False,
        "content_tags": [],
    },
    "tr": {
        "name": "Türkçe",
        "direction": "ltr",
        "og_locale": "tr_TR",
        "edition_title": "Haber",
        "aliases": [],
        "digits": "western",
        "calendar": "gregorian",
        "search_arabic_prefixes": True,
        "search_legacy_ae": False,
        "content_tags": [],
    },
}
DIGIT_SYSTEMS = ("western", "arabic-indic", "persian")
CALENDARS = ("gregorian", "solar-hijri")
LANGUAGE_CODE = env("KHABAR_DEFAULT_LANGUAGE", "en")
_edition_codes = envlist("KHABAR_LANGUAGES", ["en", "ar"])
for _code in _edition_codes:
    if _code not in KHABAR_LANGUAGE_INFO:
        raise EnvError(f"KHABAR_LANGUAGES names {_code!r}; known languages: {', '.join(KHABAR_LANGUAGE_INFO)}")
if len(set(_edition_codes)) != len(_edition_codes):
    raise EnvError(f"KHABAR_LANGUAGES names a language twice: {','.join(_edition_codes)}")
if LANGUAGE_CODE not in _edition_codes:
    raise EnvError(f"KHABAR_DEFAULT_LANGUAGE={LANGUAGE_CODE!r} is not in KHABAR_LANGUAGES")
LANGUAGES = [(code, KHABAR_LANGUAGE_INFO[code]["name"]) for code in _edition_codes]
# Django's own idea of direction ({% get_current_language_bidi %}) follows the table.
LANGUAGES_BIDI = [code for code, info in KHABAR_LANGUAGE_INFO.items() if info["direction"] == "rtl"]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
USE_I18N = True
USE_TZ = True
TIME_ZONE = env("TIME_ZONE", "UTC")
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# The newsroom's choices of digits and calendar per language, over the table's defaults:
# KHABAR_DIGITS=fa=persian,ckb=western and KHABAR_CALENDAR=fa=solar-hijri. KHABAR_ARABIC_DIGITS is
# the older spelling of KHABAR_DIGITS=ar=…; KHABAR_DIGITS wins when both name Arabic.
KHABAR_ARABIC_DIGITS = env("KHABAR_ARABIC_DIGITS", "western")
if KHABAR_ARABIC_DIGITS not in {"western", "arabic-indic"}:
    raise EnvError(f"KHABAR_ARABIC_DIGITS={KHABAR_ARABIC_DIGITS!r} is not one of: western, arabic-indic")
KHABAR_DIGITS = {
    **({"ar": KHABAR_ARABIC_DIGITS} if env("KHABAR_ARABIC_DIGITS") else {}),
    **envmap("KHABAR_DIGITS", KHABAR_LANGUAGE_INFO, DIGIT_SYSTEMS),
}
KHABAR_CALENDAR = envmap("KHABAR_CALENDAR", KHABAR_LANGUAGE_INFO, CALENDARS)

# --- Static and media -------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {
        "BACKEND": env("KHABAR_MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage"),
        # e.g. {"bucket_name": "news-media", "endpoint_url": "https://s3.example.net"} (docs/deploy.md)
        "OPTIONS": envjson("KHABAR_MEDIA_OPTIONS", {}),
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "khabar.core.staticfiles.StaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("KHABAR_MAX_BODY_BYTES", 2_621_440, minimum=1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE

# --- Wagtail ----------------------------------------------------------------
WAGTAIL_SITE_NAME = SITE_NAME
WAGTAILIMAGES_IMAGE_MODEL = "core.NewsImage"
WAGTAILIMAGES_IMAGE_FORM_BASE = "khabar.core.forms.NewsImageForm"
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif"]
# A small file can hold a huge picture (a 345 KB PNG of 11,000 x 11,000 pixels took 4 GB to resize):
# uploads above this many pixels are refused, and Pillow refuses to decode more than twice it.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = envint("KHABAR_MAX_IMAGE_PIXELS", 40_000_000, minimum=1_000_000)
# Uploaded documents are served only by Wagtail's view (it checks private collections), always as
# attachments, and only of these kinds: no HTML, SVG or script can run on the site's origin.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES: list[str] = []
WAGTAILDOCS_EXTENSIONS = envlist(
    "KHABAR_DOCUMENT_EXTENSIONS",
    ["pdf", "doc", "docx", "odt", "rtf", "xls", "xlsx", "ods", "csv", "ppt", "pptx", "odp", "txt", "zip"],
)
KHABAR_RENDITION_CACHE_SECONDS = envint("KHABAR_RENDITION_CACHE_SECONDS", 30 * 86400, minimum=0)
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAILADMIN_COMMENTS_ENABLED = True
WAGTAIL_ALLOW_UNICODE_SLUGS = True
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        "AUTO_UPDATE": True,
    }
}
WAGTAILAPI_BASE_URL = BASE_URL
WAGTAILAPI_LIMIT_MAX = 100
WAGTAILEMBEDS_RESPONSIVE_HTML = True
TAGGIT_CASE_INSENSITIVE = True
WAGTAILFRONTENDCACHE: dict = {}
# Wagtail would rewrite every purged /en/… URL into /ar/… too (pages of another edition have their own
# slugs, and core purges each translation's own URL already): purge exactly the URLs core gives.
WAGTAILFRONTENDCACHE_LANGUAGES: list = []
if env("KHABAR_PURGE_URL"):
    WAGTAILFRONTENDCACHE["http"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": env("KHABAR_PURGE_URL"),
    }

# --- Security ---------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = envint("KHABAR_SESSION_SECONDS", 60 * 60 * 12, minimum=300)
CSRF_COOKIE_SAMESITE = "Lax"
HTTPS = envbool("KHABAR_HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and envbool("KHABAR_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = envint("KHABAR_HSTS_SECONDS", 31536000 if HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
# Preloading is near-irreversible and covers every subdomain of the newsroom's domain, so it is the
# operator's explicit choice; while it is off, Django's reminder (security.W021) is silenced.
SECURE_HSTS_PRELOAD = HTTPS and envbool("KHABAR_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
KHABAR_BEHIND_PROXY = envbool("KHABAR_BEHIND_PROXY", False)
if KHABAR_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
# The proxies whose X-Forwarded-For entries are believed: the reader is the right-most address not in
# this list (khabar.core.ratelimit.client_ip, used by rate limits and the sign-in lockout alike).
KHABAR_TRUSTED_PROXIES = envnetworks("KHABAR_TRUSTED_PROXIES", ["127.0.0.0/8", "::1"])
SECURE_CSP = {
    "default-src": [CSP.SELF],
    # No nonce: a cached page would replay one nonce to every reader (ADR 0002); no template has inline script.
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-src": ["https:"],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
# A hashed, salted IP is all Khabar ever stores about a reader's address.
KHABAR_IP_SALT = envsecret("KHABAR_IP_SALT", required=False, fallback=SECRET_KEY)

# Browser features no reader page needs are switched off (khabar.ops.middleware).
PERMISSIONS_POLICY = env(
    "KHABAR_PERMISSIONS_POLICY",
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=(), interest-cohort=(), browsing-topics=()",
)
# The Wagtail admin still ships inline <script> blocks (inline panels, date pickers) and frames its own
# preview, so only paths under /<ADMIN_PATH>/ get this relaxed policy; reader pages keep the strict one.
KHABAR_ADMIN_CSP = {
    **SECURE_CSP,
    "script-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:", "https:"],
    "frame-src": [CSP.SELF, "https:"],
    "frame-ancestors": [CSP.SELF],
}
# Load balancers probe health over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
# No Gravatar in the admin: it would send a hash of every staff email to a third party on each page.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Request bodies: readers' forms are small; the admin uploads images.
KHABAR_ADMIN_MAX_BODY_BYTES = envint("KHABAR_ADMIN_MAX_BODY_BYTES", 64 * 1024 * 1024, minimum=1024)

# Staff sign-in: django-axes locks a username+IP pair out after repeated failures.
AUTHENTICATION_BACKENDS = [
    "khabar.ops.auth_backends.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("KHABAR_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = envint("KHABAR_LOGIN_COOLOFF_MINUTES", 15, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "khabar.ops.lockout.lockout_response"  # 429, Retry-After, a clear page
AXES_CLIENT_IP_CALLABLE = "khabar.ops.auth_backends.axes_client_ip"
AXES_DISABLE_ACCESS_LOG = True  # failures only: successful sign-ins are in Wagtail's audit log
AXES_VERBOSE = False
# Staff sessions end this long after sign-in, whatever SESSION_COOKIE_AGE says for everyone else.
KHABAR_STAFF_SESSION_SECONDS = envint("KHABAR_STAFF_SESSION_SECONDS", 60 * 60 * 8, minimum=300)
OTP_TOTP_ISSUER = SITE_NAME


# --- Email ------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "newsroom@localhost")
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL

# --- Logging ----------------------------------------------------------------
LOG_LEVEL = env("LOG_LEVEL", "INFO")
# KHABAR_LOG_FORMAT=json: one JSON object per line (time, level, logger, message, request id and path).
LOG_FORMAT = env("KHABAR_LOG_FORMAT", "plain")
if LOG_FORMAT not in {"plain", "json"}:
    raise EnvError(f"KHABAR_LOG_FORMAT={LOG_FORMAT!r} is not one of: plain, json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "khabar.ops.logging.RequestContextFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "khabar.ops.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.request": {"level": "ERROR"}, "django.tasks": {"level": "WARNING"}},
}

# --- Khabar -----------------------------------------------------------------
# The lite edition keeps the front page and this many latest stories for offline reading.
KHABAR_LITE_OFFLINE_ARTICLES = envint("KHABAR_LITE_OFFLINE_ARTICLES", 20, minimum=1, maximum=200)
KHABAR_PAGE_SIZE = envint("KHABAR_PAGE_SIZE", 20, minimum=1, maximum=200)
KHABAR_PAGE_CACHE_SECONDS = envint("KHABAR_PAGE_CACHE_SECONDS", 300, minimum=0)
# Each worker also keeps the pages it served in memory, up to this size (0: read every hit from the
# shared page cache). Exact under purges: see "This worker's copy of hot pages" in core/pagecache.py.
KHABAR_PAGE_CACHE_MEMORY_MB = envint("KHABAR_PAGE_CACHE_MEMORY_MB", 64, minimum=0, maximum=4096)

KHABAR_SERVE_MEDIA = envbool("KHABAR_SERVE_MEDIA", True)
TEST_RUNNER = "khabar.core.test_runner.KhabarTestRunner"
FORMAT_MODULE_PATH = ["khabar.formats"]

# --- Newsroom ---------------------------------------------------------------
# Scheduled publishing (go-live, expiry, ended embargoes, expired banners) is a periodic job
# of `khabar worker`, its one entry point (`khabar serve` starts that worker beside the web
# server when tasks run immediately); KHABAR_SCHEDULER=0 leaves it out (nothing is then
# published on time, e.g. on a staging copy of a live newsroom). The check newsroom.W001
# fails `khabar check` if the job is missing. Keep this after the platform's block.
KHABAR_SCHEDULER = envbool("KHABAR_SCHEDULER", True)
KHABAR_SCHEDULER_SECONDS = envint("KHABAR_SCHEDULER_SECONDS", 30, minimum=5, maximum=300)
KHABAR_PERIODIC_JOBS = list(globals().get("KHABAR_PERIODIC_JOBS", []))
if KHABAR_SCHEDULER:
    KHABAR_PERIODIC_JOBS.append({"callable": "khabar.newsroom.jobs.publish_due", "every": KHABAR_SCHEDULER_SECONDS})
# Dotted path to a function(locale_id) that drops every cached page of an edition
# (the breaking-news banner is on all of them); provided by the page cache.
KHABAR_SITEWIDE_PURGE = env("KHABAR_SITEWIDE_PURGE", "khabar.core.signal_handlers.purge_edition_for_locale")
# Everyone in the admin sees and enters times in the newsroom's zone (TIME_ZONE).
WAGTAIL_USER_TIME_ZONES = [TIME_ZONE]
# An edit made after approval goes back to review instead of being published unseen.
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAIL_WORKFLOW_CANCEL_ON_PUBLISH = True
# Deleting more than this many pages at once asks the editor to type the site name.
WAGTAILADMIN_UNSAFE_PAGE_DELETION_LIMIT = envint("KHABAR_UNSAFE_DELETION_LIMIT", 10, minimum=1)

# --- Reactions ----------------------------------------------------------------
# Votes on "Do you like this article?" per salted IP hash per hour: on one article (a reader may
# change their answer a few times; a shared office or café network counts as one), and in all.
KHABAR_REACTION_VOTES_PER_ARTICLE = envint("KHABAR_REACTION_VOTES_PER_ARTICLE", 10, minimum=1)
KHABAR_REACTION_VOTES_PER_HOUR = envint("KHABAR_REACTION_VOTES_PER_HOUR", 300, minimum=1)
# Readers without JavaScript see their result in a same-origin frame on the cached article.
SECURE_CSP["frame-src"] = [*SECURE_CSP["frame-src"], CSP.SELF]
# --- Most read -----------------------------------------------------------------
# Page views without cookies (docs/most-read.md): one view per reader address per article within
# this many minutes; beacons per address per minute; the flush job's period; hourly rows kept this
# many days (then summed per day; at least 8, so "this week's most read" always has its hours); the
# block covers this many hours, lists this many articles and is re-ranked this often.
KHABAR_MOSTREAD_DEDUPE_MINUTES = envint("KHABAR_MOSTREAD_DEDUPE_MINUTES", 30, minimum=1, maximum=24 * 60)
KHABAR_MOSTREAD_BEACONS_PER_MINUTE = envint("KHABAR_MOSTREAD_BEACONS_PER_MINUTE", 120, minimum=1)
KHABAR_MOSTREAD_FLUSH_SECONDS = envint("KHABAR_MOSTREAD_FLUSH_SECONDS", 60, minimum=5, maximum=3600)
KHABAR_MOSTREAD_HOURLY_RETENTION_DAYS = envint("KHABAR_MOSTREAD_HOURLY_RETENTION_DAYS", 30, minimum=8)
KHABAR_MOSTREAD_HOURS = envint("KHABAR_MOSTREAD_HOURS", 24, minimum=1, maximum=24 * 7)
KHABAR_MOSTREAD_LIMIT = envint("KHABAR_MOSTREAD_LIMIT", 5, minimum=1, maximum=20)
KHABAR_MOSTREAD_BLOCK_SECONDS = envint("KHABAR_MOSTREAD_BLOCK_SECONDS", 300, minimum=10)
# What the newsletter digest calls for "this week's most read": function(locale, since, limit).
KHABAR_DIGEST_MOST_READ = env("KHABAR_DIGEST_MOST_READ", "khabar.mostread.ranking.most_read")
KHABAR_PERIODIC_JOBS = list(globals().get("KHABAR_PERIODIC_JOBS", []))
KHABAR_PERIODIC_JOBS.append({"callable": "khabar.mostread.jobs.flush_views", "every": KHABAR_MOSTREAD_FLUSH_SECONDS})
# --- Comments ---------------------------------------------------------------
# Spam checks are pluggable like CACHES. KHABAR_COMMENTS_SPAM_BACKEND=akismet turns on the
# Akismet-compatible check (key in KHABAR_AKISMET_KEY or KHABAR_AKISMET_KEY_FILE).
_spam_backend = env("KHABAR_COMMENTS_SPAM_BACKEND", "none")
if _spam_backend not in {"none", "akismet"}:
    raise EnvError(f"KHABAR_COMMENTS_SPAM_BACKEND={_spam_backend!r} is not one of: none, akismet")
if _spam_backend == "akismet":
    KHABAR_COMMENTS_SPAM = {
        "BACKEND": "khabar.comments.spam.AkismetSpamCheck",
        "OPTIONS": {
            "KEY": envsecret("KHABAR_AKISMET_KEY", required=True),
            "BLOG": env("KHABAR_AKISMET_BLOG", ""),
            "URL": env("KHABAR_AKISMET_URL", "https://rest.akismet.com/1.1/comment-check"),
            "TIMEOUT": envint("KHABAR_AKISMET_TIMEOUT", 3, minimum=1, maximum=30),
        },
    }
else:
    KHABAR_COMMENTS_SPAM = {"BACKEND": "khabar.comments.spam.NoSpamCheck"}
# Days after which unpublished comments (pending, rejected, spam) are deleted and every comment's
# IP hash is cleared by `khabar purge_comments`; 0 keeps them.
KHABAR_COMMENT_RETENTION_DAYS = envint("KHABAR_COMMENT_RETENTION_DAYS", 365, minimum=0)
# --- Newsletters -------------------------------------------------------------
# Digests and breaking-news alerts by email (docs/newsletters.md). Sending uses EMAIL_BACKEND: SMTP
# (EMAIL_HOST…) or an ESP through django-anymail by settings alone (EMAIL_BACKEND=anymail.backends.…).
KHABAR_NEWSLETTER_BATCH_SIZE = envint("KHABAR_NEWSLETTER_BATCH_SIZE", 200, minimum=1, maximum=5000)
KHABAR_NEWSLETTER_MAX_ATTEMPTS = envint("KHABAR_NEWSLETTER_MAX_ATTEMPTS", 4, minimum=1, maximum=20)
KHABAR_NEWSLETTER_RETRY_SECONDS = envint("KHABAR_NEWSLETTER_RETRY_SECONDS", 300, minimum=1)
KHABAR_NEWSLETTER_FROM_EMAIL = env("KHABAR_NEWSLETTER_FROM_EMAIL", DEFAULT_FROM_EMAIL)
# An address for List-Unsubscribe's optional mailto: (empty: the one-click link only).
KHABAR_NEWSLETTER_UNSUBSCRIBE_MAILTO = env("KHABAR_NEWSLETTER_UNSUBSCRIBE_MAILTO", "")
KHABAR_NEWSLETTER_SIGNUPS_PER_HOUR = envint("KHABAR_NEWSLETTER_SIGNUPS_PER_HOUR", 10, minimum=1)
# A function(locale, since, limit) -> [ArticlePage] for the digest's "most read" part; empty: none.
KHABAR_DIGEST_MOST_READ = env("KHABAR_DIGEST_MOST_READ", "khabar.mostread.ranking.most_read")
# An ESP's options for django-anymail (not a dependency), as JSON: ANYMAIL='{"POSTMARK_SERVER_TOKEN": "…"}'.
if env("ANYMAIL"):
    ANYMAIL = envjson("ANYMAIL", {})
KHABAR_NEWSLETTER_JOB = envbool("KHABAR_NEWSLETTER_JOB", True)
if KHABAR_NEWSLETTER_JOB:
    KHABAR_PERIODIC_JOBS.append({"callable": "khabar.newsletters.jobs.send_due_digests", "every": 60})
# --- ninjs ------------------------------------------------------------------
from urllib.parse import urlsplit  # noqa: E402  (kept inside this app's block)

# Limits for `khabar import` (IPTC ninjs wire copy); see docs/ninjs.md.
KHABAR_NINJS_MAX_FILE_BYTES = envint("KHABAR_NINJS_MAX_FILE_BYTES", 32 * 1024 * 1024, minimum=1024)
KHABAR_NINJS_MAX_BODY_BYTES = envint("KHABAR_NINJS_MAX_BODY_BYTES", 2 * 1024 * 1024, minimum=1024)
KHABAR_NINJS_MAX_PICTURE_BYTES = envint("KHABAR_NINJS_MAX_PICTURE_BYTES", 20 * 1024 * 1024, minimum=1024)
KHABAR_NINJS_FETCH_TIMEOUT = envint("KHABAR_NINJS_FETCH_TIMEOUT", 10, minimum=1, maximum=300)
# `khabar import` fetches pictures from public addresses only (checked where each connection lands,
# redirects included); a newsroom's own picture server on a private network can be allowed by name.
KHABAR_IMPORT_ALLOW_PRIVATE_URLS = envbool("KHABAR_IMPORT_ALLOW_PRIVATE_URLS", False)
KHABAR_IMPORT_ALLOWED_HOSTS = envlist("KHABAR_IMPORT_ALLOWED_HOSTS", [])
# The authority of the tag: URIs given to articles written here (set once, never change it).
KHABAR_NINJS_TAG_AUTHORITY = env("KHABAR_NINJS_TAG_AUTHORITY") or (urlsplit(BASE_URL).hostname or "localhost")

# --- Search ---
# Arabic normalisation: fold ة into ه on both sides (run `khabar reindex_search` after changing it).
KHABAR_SEARCH_TA_MARBUTA = envbool("KHABAR_SEARCH_TA_MARBUTA", True)
KHABAR_SEARCH_PAGE_SIZE = envint("KHABAR_SEARCH_PAGE_SIZE", 10, minimum=1, maximum=100)
KHABAR_SEARCH_MAX_PAGES = envint("KHABAR_SEARCH_MAX_PAGES", 50, minimum=1, maximum=1000)
KHABAR_SEARCH_MAX_QUERY_CHARS = envint("KHABAR_SEARCH_MAX_QUERY_CHARS", 200, minimum=10, maximum=1000)
# Searches per reader (salted IP hash) per window of seconds.
KHABAR_SEARCH_RATE_LIMIT = envint("KHABAR_SEARCH_RATE_LIMIT", 30, minimum=1)
KHABAR_SEARCH_RATE_WINDOW = envint("KHABAR_SEARCH_RATE_WINDOW", 60, minimum=1)

# --- Feeds (distribution) ---------------------------------------------------
# Items per RSS/Atom feed, URLs per sitemap file (the protocol's maximum is 50,000),
# and how long shared caches may keep feeds and sitemaps.
KHABAR_FEED_SIZE = envint("KHABAR_FEED_SIZE", 30, minimum=1, maximum=200)
KHABAR_SITEMAP_LIMIT = envint("KHABAR_SITEMAP_LIMIT", 50_000, minimum=1, maximum=50_000)
KHABAR_FEED_CACHE_SECONDS = envint("KHABAR_FEED_CACHE_SECONDS", 300, minimum=0)

# --- Telegram channels --------------------------------------------------------
# Stories go to each edition's channel (set in the admin, docs/telegram.md) through the Bot API.
# No token (KHABAR_TELEGRAM_BOT_TOKEN or a file named by KHABAR_TELEGRAM_BOT_TOKEN_FILE): nothing is
# sent. The API address is a setting so tests (and a Bot API server of your own) can stand in for Telegram.
KHABAR_TELEGRAM_BOT_TOKEN = envsecret("KHABAR_TELEGRAM_BOT_TOKEN", required=False)
KHABAR_TELEGRAM_API_URL = env("KHABAR_TELEGRAM_API_URL", "https://api.telegram.org").rstrip("/")
if not KHABAR_TELEGRAM_API_URL.startswith(("https://", "http://")):
    raise EnvError(f"KHABAR_TELEGRAM_API_URL={KHABAR_TELEGRAM_API_URL!r} is not an http(s) address")
KHABAR_TELEGRAM_TIMEOUT = envint("KHABAR_TELEGRAM_TIMEOUT", 15, minimum=1, maximum=120)
# Tries per call (network errors, Telegram's 5xx and 429), and the longest a worker sleeps for a
# 429's retry_after; a longer wait is queued for later when the task queue can defer (database).
KHABAR_TELEGRAM_ATTEMPTS = envint("KHABAR_TELEGRAM_ATTEMPTS", 4, minimum=1, maximum=10)
KHABAR_TELEGRAM_MAX_WAIT_SECONDS = envint("KHABAR_TELEGRAM_MAX_WAIT_SECONDS", 30, minimum=0, maximum=600)
