"""Health endpoints for load balancers and orchestrators.

``/healthz`` (liveness) says the process answers; it touches nothing else, so a database outage never
gets healthy workers killed. ``/readyz`` (readiness) checks what a request needs: the database (a read,
and a write in a transaction that is rolled back, so a locked or read-only database is not ready), a
cache write and read-back, and the task backend; any failure answers 503 so traffic goes elsewhere.
Neither says why in detail to the public: names of checks and "ok"/"error" only; the cause is logged.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpRequest, JsonResponse
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger("khabar.ops.health")


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("SELECT 1 did not return 1")
    check_database_write()


def check_database_write() -> None:
    """Readers' reads may still work while writes wait (SQLite under another process's BEGIN
    EXCLUSIVE, a PostgreSQL table lock): a write, waiting at most KHABAR_DB_BUSY_TIMEOUT, then undone."""
    from khabar.ops.models import WriteProbe

    with transaction.atomic():
        WriteProbe.objects.create()
        transaction.set_rollback(True)


def check_cache() -> None:
    key = f"khabar:readyz:{uuid.uuid4().hex}"
    value = uuid.uuid4().hex
    cache.set(key, value, timeout=30)
    try:
        if cache.get(key) != value:
            raise RuntimeError("the value written was not read back")
    finally:
        cache.delete(key)


def check_tasks() -> None:
    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]  # the backend itself, not the proxy
    problems = [str(message) for message in backend.check()]
    if problems:
        raise RuntimeError("; ".join(problems))
    if backend.__class__.__module__.startswith("django_tasks_db"):
        # The queue lives in the database: its table must be readable.
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.exists()


CHECKS: dict[str, Callable[[], None]] = {"database": check_database, "cache": check_cache, "tasks": check_tasks}


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    results: dict[str, dict[str, object]] = {}
    ready = True
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            check()
        except Exception:  # any failure means "not ready"; the cause goes to the log, not the public
            logger.exception("readiness check %s failed", name)
            ready = False
            results[name] = {"status": "error"}
        else:
            results[name] = {"status": "ok", "ms": round((time.monotonic() - started) * 1000, 1)}
    return JsonResponse({"status": "ok" if ready else "error", "checks": results}, status=200 if ready else 503)
