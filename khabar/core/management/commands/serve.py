"""`khabar serve`: the production web server (gunicorn), after checking the services it needs.

Why these gunicorn settings (docs/decisions/0003-serve-and-worker.md):

* ``gthread`` workers: each process serves several connections with threads,
  so a reader on a slow phone connection, or an idle keep-alive connection,
  holds one thread, not a whole process (a ``sync`` worker is blocked for the
  whole upload/download, which makes it unsafe without a buffering proxy in
  front). Threads also keep HTTP keep-alive usable.
* ``preload_app``: Django and Wagtail are imported once in the master, and the
  workers share those pages of memory (copy-on-write) and start instantly.
* ``timeout``/``graceful_timeout``: a stuck request is killed after 30 s; on
  SIGHUP/SIGTERM workers finish their requests first (graceful restart).
* ``max_requests`` + jitter: workers are recycled now and then, staggered so
  they never all restart at once; this bounds any slow memory growth.
"""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from khabar.core.services import ServiceError, check_services
from khabar.lib.env import envbool, envint

SHM = "/dev/shm"  # noqa: S108 (gunicorn's documented place for worker heartbeat files)


def gunicorn_options(*, host: str, port: int, workers: int, threads: int, access_log: bool) -> dict:
    options = {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "preload_app": True,
        "timeout": envint("KHABAR_REQUEST_TIMEOUT", 30, minimum=5),
        "graceful_timeout": 30,
        "keepalive": 5,
        "max_requests": envint("KHABAR_MAX_REQUESTS", 5000, minimum=0),
        "max_requests_jitter": 500,
        "limit_request_line": 8190,
        "errorlog": "-",
        "accesslog": "-" if access_log else None,
        "proc_name": "khabar",
        "control_socket_disable": True,  # several servers may run on one machine (bench, tests)
        # Heartbeat files in memory, not on a possibly slow disk (gunicorn's advice).
        "worker_tmp_dir": SHM if os.path.isdir(SHM) else None,
    }
    if envbool("KHABAR_BEHIND_PROXY", False):
        options["forwarded_allow_ips"] = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
    return {key: value for key, value in options.items() if value is not None}


def _periodic_sidecar_needed() -> bool:
    # With a task worker, `khabar worker` runs the periodic jobs; without one, the server does.
    return bool(settings.KHABAR_PERIODIC_JOBS) and settings.TASK_MODE == "immediate"


def run_gunicorn(options: dict) -> None:
    from gunicorn.app.base import BaseApplication

    sidecar: list[subprocess.Popen] = []

    def on_starting(server) -> None:
        if _periodic_sidecar_needed():
            command = [sys.executable, "-m", "khabar", "worker", "--periodic-only"]
            sidecar.append(subprocess.Popen(command))

    def on_exit(server) -> None:
        for process in sidecar:
            process.terminate()
            process.wait(timeout=30)

    class KhabarApplication(BaseApplication):
        def load_config(self) -> None:
            for key, value in {**options, "on_starting": on_starting, "on_exit": on_exit}.items():
                self.cfg.set(key, value)

        def load(self):
            from khabar.core.pagecache import WSGIFastPath
            from khabar.wsgi import application

            return WSGIFastPath(application)

    sys.argv = [sys.argv[0]]  # gunicorn parses argv; ours were already read
    KhabarApplication().run()


class Command(BaseCommand):
    help = "Serve Khabar with gunicorn (production server). HOST and PORT environment variables set the default bind."
    requires_system_checks = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=None, help="default: $PORT or 8000")
        parser.add_argument("--workers", type=int, default=None, help="processes (default: $KHABAR_WORKERS or 2)")
        parser.add_argument("--threads", type=int, default=None, help="threads per process (default: 4)")
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
        run_gunicorn(
            gunicorn_options(
                host=options["host"], port=port, workers=workers, threads=threads, access_log=options["access_log"]
            )
        )
