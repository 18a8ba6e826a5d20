"""`khabar worker`: runs queued tasks (django_tasks_db) and the periodic jobs.

Periodic jobs (the hook other apps use, e.g. scheduled publishing) are listed
in the setting ``KHABAR_PERIODIC_JOBS``: dicts with ``"callable"`` (a dotted
path to a function taking no arguments) and ``"every"`` (seconds), e.g.::

    KHABAR_PERIODIC_JOBS.append({"callable": "khabar.newsroom.jobs.publish_due", "every": 30})

Each job runs in its own thread of the worker, one run at a time, and an
exception is logged without stopping the loop. With KHABAR_TASKS=immediate
there is no queue; `khabar serve` then starts `khabar worker --periodic-only`
beside gunicorn so the jobs still run. Jobs must be safe to run on several
machines at once (use select_for_update/skip_locked or an idempotent update).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils.module_loading import import_string

from khabar.core.services import ServiceError, check_services

logger = logging.getLogger("khabar.worker")


def periodic_jobs() -> list[tuple[str, Callable[[], object], float]]:
    """The configured jobs as (name, function, every); a bad entry is a clear CommandError."""
    jobs = []
    for position, entry in enumerate(settings.KHABAR_PERIODIC_JOBS):
        try:
            path, every = entry["callable"], float(entry["every"])
            function = import_string(path)
        except (KeyError, TypeError, ValueError, ImportError) as exc:
            raise CommandError(f"KHABAR_PERIODIC_JOBS[{position}] = {entry!r} cannot be used: {exc}") from None
        if every <= 0:
            raise CommandError(f"KHABAR_PERIODIC_JOBS[{position}]: 'every' must be positive")
        jobs.append((path, function, every))
    return jobs


def run_job_forever(name: str, function: Callable[[], object], every: float, stop: threading.Event) -> None:
    while not stop.is_set():
        started = time.monotonic()
        close_old_connections()
        try:
            function()
        except Exception:
            logger.exception("periodic job %s failed; it will run again in %s s", name, every)
        finally:
            close_old_connections()
        stop.wait(max(0.0, every - (time.monotonic() - started)))


def start_periodic_jobs(stop: threading.Event) -> list[threading.Thread]:
    threads = []
    for name, function, every in periodic_jobs():
        thread = threading.Thread(
            target=run_job_forever, args=(name, function, every, stop), name=f"periodic:{name}", daemon=True
        )
        thread.start()
        threads.append(thread)
        logger.info("periodic job %s every %s s", name, every)
    return threads


class Command(BaseCommand):
    help = "Run the task worker (queued tasks from KHABAR_TASKS=database) and the periodic jobs."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--queues", default="*", help="queues to work on, comma-separated ('*' = all)")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls of an empty queue")
        parser.add_argument("--batch", action="store_true", help="run what is queued, then exit")
        parser.add_argument("--periodic-only", action="store_true", help="run only the periodic jobs")

    def handle(self, *args, **options) -> None:
        try:
            check_services(static=False, close=False)  # no fork follows: keep the connection
        except ServiceError as exc:
            self.stderr.write(f"khabar worker: {exc}")
            raise SystemExit(2) from None
        stop = threading.Event()
        if not options["batch"]:
            start_periodic_jobs(stop)
        try:
            if options["periodic_only"] or settings.TASK_MODE != "database":
                if not options["periodic_only"]:
                    self.stdout.write(
                        "KHABAR_TASKS=immediate: tasks run inside requests; this worker runs periodic jobs only"
                    )
                if options["batch"]:
                    return
                while True:
                    time.sleep(3600)
            call_command(
                "db_worker",
                queue_name=options["queues"],
                interval=options["interval"],
                batch=options["batch"],
                reload=False,
                startup_delay=False,
            )
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
