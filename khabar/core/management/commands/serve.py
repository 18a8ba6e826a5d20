"""`khabar serve`: the production web server (granian, WSGI), after checking the services it needs.

Why granian and these settings (docs/decisions/0004-serving-cache-hits.md,
0003-serve-and-worker.md for what came before):

* granian's HTTP/1.1 and keep-alive handling is Rust: a cache hit answered by
  khabar/core/fastpath.py runs a few dozen lines of Python and no server-side
  Python parsing, which is what lets it approach nginx (gunicorn's gthread
  workers cap a bare WSGI callable at about a quarter of nginx on one machine).
* Connections are held by the Rust side, not by a Python thread, so a slow
  reader or an idle keep-alive connection costs no worker; ``blocking_threads``
  Python threads per process run Django, and ``backpressure`` bounds how many
  requests a process accepts at once.
* ``workers_kill_timeout``: on SIGTERM/SIGINT workers get this long to finish
  their requests (graceful stop); ``respawn_failed_workers`` restarts a crashed one.
* ``workers_lifetime`` / ``workers_max_rss``: workers are recycled after a while
  or above a memory ceiling, which bounds any slow memory growth.
* granian has no per-request kill timer (gunicorn's ``timeout``): the database
  statement timeout and the proxy's read timeout bound a stuck request instead.
"""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from khabar.core.services import ServiceError, check_services
from khabar.lib.env import envint

WSGI_TARGET = "khabar.wsgi:application"


def granian_options(*, host: str, port: int, workers: int, threads: int, access_log: bool) -> dict:
    from granian.constants import Interfaces
    from granian.http import HTTP1Settings

    lifetime = envint("KHABAR_WORKER_LIFETIME", 6 * 3600, minimum=0)  # seconds; 0: never recycled
    max_rss = envint("KHABAR_WORKER_MAX_RSS_MB", 0, minimum=0)  # 0: no ceiling
    options = {
        "address": host,
        "port": port,
        "interface": Interfaces.WSGI,
        "workers": workers,
        "blocking_threads": threads,
        "backpressure": threads * 2,
        "http1_settings": HTTP1Settings(keep_alive=True),
        "workers_kill_timeout": envint("KHABAR_GRACEFUL_TIMEOUT", 30, minimum=1),
        "respawn_failed_workers": True,
        "workers_lifetime": max(lifetime, 60) if lifetime else None,  # granian's minimum is 60 s
        "workers_max_rss": max_rss or None,
        "log_access": access_log,
    }
    return {key: value for key, value in options.items() if value is not None}


def _periodic_sidecar_needed() -> bool:
    # With a task worker, `khabar worker` runs the periodic jobs; without one, the server does.
    return bool(settings.KHABAR_PERIODIC_JOBS) and settings.TASK_MODE == "immediate"


def run_granian(options: dict) -> None:
    from granian import Granian

    sidecar = None
    if _periodic_sidecar_needed():
        sidecar = subprocess.Popen([sys.executable, "-m", "khabar", "worker", "--periodic-only"])
    try:
        Granian(WSGI_TARGET, **options).serve()  # returns after SIGTERM/SIGINT, workers stopped
    finally:
        if sidecar is not None:
            sidecar.terminate()
            sidecar.wait(timeout=30)


class Command(BaseCommand):
    help = "Serve Khabar with granian (production server). HOST and PORT environment variables set the default bind."
    requires_system_checks = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=None, help="default: $PORT or 8000")
        parser.add_argument("--workers", type=int, default=None, help="processes (default: $KHABAR_WORKERS or 2)")
        parser.add_argument("--threads", type=int, default=None, help="Django threads per process (default: 4)")
        parser.add_argument("--access-log", action="store_true", help="log every request to standard output")
        parser.add_argument("--check", action="store_true", help="check the services and exit")

    def handle(self, *args, **options) -> None:
        port = options["port"] if options["port"] is not None else envint("PORT", 8000, minimum=1, maximum=65535)
        workers = options["workers"] or envint("KHABAR_WORKERS", 2, minimum=1, maximum=64)
        threads = options["threads"] or envint("KHABAR_THREADS", 4, minimum=1, maximum=64)
        if not 1 <= port <= 65535:
            raise CommandError(f"--port {port} is not a TCP port (1-65535)")
        if workers < 1 or threads < 1:
            raise CommandError("--workers and --threads must be at least 1")
        try:
            check_services()
        except ServiceError as exc:
            self.stderr.write(f"khabar serve: {exc}")
            raise SystemExit(2) from None
        if options["check"]:
            self.stdout.write("database, Redis and static files: OK")
            return
        where = f"http://{options['host']}:{port}/"
        self.stdout.write(f"Khabar on {where} ({workers} workers x {threads} threads, DEBUG={settings.DEBUG})")
        sys.stdout.flush()
        run_granian(
            granian_options(
                host=options["host"], port=port, workers=workers, threads=threads, access_log=options["access_log"]
            )
        )
