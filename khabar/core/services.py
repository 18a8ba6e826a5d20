"""Start-up checks for the services Khabar needs (database, Redis, static manifest).

`khabar serve` and `khabar worker` call ``check_services()`` before starting;
a problem becomes one line that says what is wrong and which variable to fix,
never a traceback.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.db import connections


class ServiceError(RuntimeError):
    """A service Khabar needs is unreachable or misconfigured; the message is one line."""


def masked(url: str) -> str:
    """The URL without its password, safe to print."""
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def check_database(*, close: bool = True) -> None:
    where = masked(settings.DATABASE_URL) if settings.DATABASE_URL else str(settings.DATABASES["default"]["NAME"])
    try:
        connections["default"].ensure_connection()
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:
        raise ServiceError(f"cannot reach the database ({where}): {_first_line(exc)}") from None
    finally:
        if close:
            # Never carry an open connection across gunicorn's fork.
            connections.close_all()


def check_redis() -> None:
    if not settings.REDIS_URL:
        return
    try:
        import redis

        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
        client.ping()
        client.close()
    except Exception as exc:
        raise ServiceError(f"cannot reach Redis (REDIS_URL={masked(settings.REDIS_URL)}): {_first_line(exc)}") from None


def check_static_manifest() -> None:
    if settings.DEBUG:
        return
    manifest = settings.STATIC_ROOT / "staticfiles.json"
    if not manifest.exists():
        raise ServiceError(f"static files are not collected ({manifest} is missing): run `khabar collectstatic`")


def check_services(*, static: bool = True, close: bool = True) -> None:
    check_database(close=close)
    check_redis()
    if static:
        check_static_manifest()
