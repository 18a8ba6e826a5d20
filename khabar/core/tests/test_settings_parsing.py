"""Settings come from the environment; a bad value stops start-up with one clear line, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
from io import StringIO
from pathlib import Path
from unittest import mock

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import SimpleTestCase, TestCase, TransactionTestCase, override_settings

from khabar.core.management.commands import serve, worker
from khabar.core.services import masked
from khabar.lib.env import EnvError, env, envbool, envint, envjson, envlist, envnetworks, envsecret

ROOT = Path(__file__).resolve().parents[3]


class EnvHelperTests(SimpleTestCase):
    def test_yes_no_words_and_a_clear_error_for_anything_else(self):
        with mock.patch.dict(os.environ, {"X_FLAG": "Yes"}):
            self.assertTrue(envbool("X_FLAG"))
        with mock.patch.dict(os.environ, {"X_FLAG": "off"}):
            self.assertFalse(envbool("X_FLAG", True))
        with mock.patch.dict(os.environ, {"X_FLAG": "maybe"}), self.assertRaisesMessage(EnvError, "X_FLAG='maybe'"):
            envbool("X_FLAG")

    def test_trusted_proxies_are_addresses_or_networks_and_anything_else_stops_start_up(self):
        with mock.patch.dict(os.environ, {"X_NETS": "10.0.0.5, 192.168.0.0/16,::1"}):
            self.assertEqual(envnetworks("X_NETS", []), ["10.0.0.5/32", "192.168.0.0/16", "::1/128"])
        with mock.patch.dict(os.environ, {"X_NETS": "10.0.0.5,nginx"}), self.assertRaisesMessage(EnvError, "'nginx'"):
            envnetworks("X_NETS", [])

    def test_whole_numbers_with_bounds(self):
        with mock.patch.dict(os.environ, {"X_N": " 42 "}):
            self.assertEqual(envint("X_N", 1), 42)
        with mock.patch.dict(os.environ, {"X_N": "4.5"}), self.assertRaisesMessage(EnvError, "not a whole number"):
            envint("X_N", 1)
        with mock.patch.dict(os.environ, {"X_N": "0"}), self.assertRaisesMessage(EnvError, "below the minimum of 1"):
            envint("X_N", 5, minimum=1)
        with mock.patch.dict(os.environ, {"X_N": "99"}), self.assertRaisesMessage(EnvError, "above the maximum"):
            envint("X_N", 5, maximum=10)
        with mock.patch.dict(os.environ, {"X_N": ""}):
            self.assertEqual(envint("X_N", 7), 7)

    def test_lists_drop_blanks(self):
        with mock.patch.dict(os.environ, {"X_L": "a, b,,c "}):
            self.assertEqual(envlist("X_L"), ["a", "b", "c"])
        self.assertEqual(envlist("X_UNSET_LIST", ["d"]), ["d"])

    def test_secrets_come_from_files_and_are_required_when_asked(self):
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
            handle.write("from-a-file\n")
        self.addCleanup(os.unlink, handle.name)
        with mock.patch.dict(os.environ, {"X_SECRET_FILE": handle.name}):
            self.assertEqual(envsecret("X_SECRET", required=True), "from-a-file")
        with mock.patch.dict(os.environ, {"X_SECRET_FILE": "/no/such/file"}):
            with self.assertRaisesMessage(EnvError, "X_SECRET_FILE='/no/such/file' cannot be read"):
                env("X_SECRET")
        with self.assertRaisesMessage(EnvError, "X_MISSING (or X_MISSING_FILE) must be set"):
            envsecret("X_MISSING", required=True)

    def test_json_objects_only(self):
        with mock.patch.dict(os.environ, {"X_J": '{"bucket_name": "media"}'}):
            self.assertEqual(envjson("X_J", {}), {"bucket_name": "media"})
        with mock.patch.dict(os.environ, {"X_J": "{bad"}), self.assertRaisesMessage(EnvError, "X_J is not valid JSON"):
            envjson("X_J", {})
        with mock.patch.dict(os.environ, {"X_J": "[1]"}), self.assertRaisesMessage(EnvError, "must be a JSON object"):
            envjson("X_J", {})

    def test_passwords_are_masked_in_messages(self):
        self.assertEqual(masked("postgres://u:secret@db:5432/k"), "postgres://u:***@db:5432/k")
        self.assertEqual(masked("redis://127.0.0.1:6379/0"), "redis://127.0.0.1:6379/0")


def run_khabar(*args: str, **environ: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "KHABAR_TASKS")}
    return subprocess.run(
        [sys.executable, "-m", "khabar", *args],
        env={**clean, "SECRET_KEY": "test", **environ},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


class StartupErrorTests(SimpleTestCase):
    """Each bad setting: exit status 2 and exactly one line on stderr that names the problem."""

    def assertOneClearLine(self, done: subprocess.CompletedProcess, *fragments: str) -> None:
        lines = done.stderr.strip().splitlines()
        self.assertEqual(done.returncode, 2, done.stderr)
        self.assertEqual(len(lines), 1, done.stderr)
        self.assertNotIn("Traceback", done.stderr)
        for fragment in fragments:
            self.assertIn(fragment, lines[0])

    def test_a_malformed_database_url(self):
        self.assertOneClearLine(run_khabar("serve", "--check", DATABASE_URL="nonsense://x"), "DATABASE_URL")

    def test_a_malformed_redis_url(self):
        self.assertOneClearLine(run_khabar("serve", "--check", REDIS_URL="http://cache:6379"), "REDIS_URL")

    def test_an_unknown_task_mode(self):
        self.assertOneClearLine(run_khabar("worker", KHABAR_TASKS="celery"), "KHABAR_TASKS='celery'")

    def test_an_unreachable_database_hides_its_password(self):
        done = run_khabar("serve", "--check", DATABASE_URL="postgres://k:hunter2@127.0.0.1:1/khabar")
        self.assertOneClearLine(done, "cannot reach the database", "k:***@127.0.0.1:1")
        self.assertNotIn("hunter2", done.stderr)

    def test_an_unreachable_redis(self):
        self.assertOneClearLine(run_khabar("serve", "--check", REDIS_URL="redis://127.0.0.1:1/0"), "cannot reach Redis")


class EmbeddedSecretKeyTests(SimpleTestCase):
    """After `make serve`, commands typed in the checkout find the key it wrote in var/; production still refuses."""

    PRINT_KEY = "from django.conf import settings; print(settings.SECRET_KEY)"

    def run_without_key(self, var_dir: str) -> subprocess.CompletedProcess:
        clean = {k: v for k, v in os.environ.items() if not k.startswith(("SECRET_KEY", "DEBUG", "KHABAR_VAR_DIR"))}
        return subprocess.run(
            [sys.executable, "-m", "khabar", "shell", "-c", self.PRINT_KEY],
            env={**clean, "KHABAR_VAR_DIR": var_dir},
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def test_it_reads_the_key_make_serve_wrote_in_var(self):
        with tempfile.TemporaryDirectory() as var_dir:
            Path(var_dir, "secret_key").write_text("key-written-by-make-serve\n")
            done = self.run_without_key(var_dir)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(done.stdout.strip().splitlines()[-1], "key-written-by-make-serve", done.stderr)

    def test_it_refuses_to_start_without_a_key_file_or_environment(self):
        with tempfile.TemporaryDirectory() as var_dir:
            done = self.run_without_key(var_dir)
        self.assertEqual(done.returncode, 2, done.stderr)
        self.assertIn("SECRET_KEY (or SECRET_KEY_FILE) must be set when DEBUG is off", done.stderr)

    def test_the_environment_wins_over_the_file(self):
        with tempfile.TemporaryDirectory() as var_dir:
            Path(var_dir, "secret_key").write_text("file-key")
            clean = {k: v for k, v in os.environ.items() if not k.startswith(("SECRET_KEY", "DEBUG"))}
            done = subprocess.run(
                [sys.executable, "-m", "khabar", "shell", "-c", self.PRINT_KEY],
                env={**clean, "KHABAR_VAR_DIR": var_dir, "SECRET_KEY": "env-key"},
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=120,
            )
        self.assertEqual(done.stdout.strip().splitlines()[-1], "env-key", done.stderr)


class ServeOptionsTests(SimpleTestCase):
    def test_granian_serves_the_fast_path_with_graceful_stops_and_recycling(self):
        from granian.constants import Interfaces

        options = serve.granian_options(host="127.0.0.1", port=8000, workers=2, threads=4, access_log=False)
        self.assertEqual(serve.WSGI_TARGET, "khabar.wsgi:application")
        self.assertEqual((options["address"], options["port"]), ("127.0.0.1", 8000))
        self.assertEqual(options["interface"], Interfaces.WSGI)
        self.assertEqual((options["workers"], options["blocking_threads"]), (2, 4))
        self.assertGreaterEqual(options["workers_lifetime"], 60)
        self.assertGreater(options["workers_kill_timeout"], 0)
        self.assertTrue(options["respawn_failed_workers"])
        self.assertFalse(options["log_access"])

    def test_the_served_application_is_django_behind_the_fast_path(self):
        from khabar import wsgi
        from khabar.core.fastpath import FastPath

        self.assertIsInstance(wsgi.application, FastPath)
        self.assertIs(wsgi.application.application, wsgi.django_application)

    def test_a_bad_port_is_refused_with_a_reason(self):
        with self.assertRaisesMessage(CommandError, "--port 70000 is not a TCP port"):
            call_command("serve", "--port", "70000")


def count_up(calls=[]):  # noqa: B006 (a module-level counter for the periodic-job test)
    calls.append(1)


class PeriodicJobTests(SimpleTestCase):
    @override_settings(
        KHABAR_PERIODIC_JOBS=[{"callable": "khabar.core.tests.test_settings_parsing.count_up", "every": 5}]
    )
    def test_a_configured_job_runs_until_stopped(self):
        count_up.__defaults__[0].clear()
        stop = threading.Event()
        threads = worker.start_periodic_jobs(stop)
        for _ in range(100):
            if count_up.__defaults__[0]:
                break
            threading.Event().wait(0.02)
        stop.set()
        for thread in threads:
            thread.join(timeout=5)
        self.assertEqual(len(count_up.__defaults__[0]), 1)

    @override_settings(KHABAR_PERIODIC_JOBS=[{"callable": "no.such.function", "every": 5}])
    def test_a_bad_job_is_named_in_the_error(self):
        with self.assertRaisesMessage(CommandError, "KHABAR_PERIODIC_JOBS[0]"):
            worker.periodic_jobs()

    @override_settings(KHABAR_PERIODIC_JOBS=[{"callable": "khabar.core.tests.test_settings_parsing.count_up"}])
    def test_a_job_without_a_period_is_refused(self):
        with self.assertRaisesMessage(CommandError, "KHABAR_PERIODIC_JOBS[0]"):
            worker.periodic_jobs()


class EnsureAdminTests(TestCase):
    def run_command(self, **environ) -> str:
        out = StringIO()
        with mock.patch.dict(os.environ, environ):
            call_command("ensure_admin", stdout=out)
        return out.getvalue()

    def test_it_creates_admin_once_with_a_printed_password_then_changes_nothing(self):
        with mock.patch.dict(os.environ, {}, clear=False):
            os.environ.pop("KHABAR_ADMIN_PASSWORD", None)
            first = self.run_command()
            second = self.run_command()
        password = first.split("password ", 1)[1].split()[0]
        admin = get_user_model().objects.get(username="admin")
        self.assertTrue(admin.is_superuser and admin.check_password(password))
        self.assertIn("nothing changed", second)
        self.assertNotIn(password, second)

    def test_the_password_comes_from_the_environment(self):
        self.run_command(KHABAR_ADMIN_PASSWORD="a-very-long-newsroom-pass")
        self.assertTrue(get_user_model().objects.get(username="admin").check_password("a-very-long-newsroom-pass"))
        self.assertIn("nothing changed", self.run_command(KHABAR_ADMIN_PASSWORD="a-very-long-newsroom-pass"))

    def test_a_weak_password_is_refused_with_the_reason(self):
        with self.assertRaisesMessage(CommandError, "KHABAR_ADMIN_PASSWORD is too weak"):
            self.run_command(KHABAR_ADMIN_PASSWORD="short")
        self.assertFalse(get_user_model().objects.filter(username="admin").exists())


class StaticFilesTests(SimpleTestCase):
    def test_production_static_files_are_hashed_and_compressed(self):
        from django.conf import settings
        from django.contrib.staticfiles.storage import staticfiles_storage

        if settings.DEBUG:
            self.fail("the test suite runs with DEBUG off, like production")
        from whitenoise.storage import CompressedManifestStaticFilesStorage

        self.assertIsInstance(staticfiles_storage._wrapped, CompressedManifestStaticFilesStorage)
        hashed = staticfiles_storage.stored_name("khabar/css/site.css")
        self.assertRegex(hashed, r"^khabar/css/site\.[0-9a-f]{12}\.css$")
        self.assertTrue((Path(settings.STATIC_ROOT) / (hashed + ".gz")).exists(), "collectstatic made no gzip copy")

    def test_a_static_address_is_looked_up_once_per_process(self):
        from django.contrib.staticfiles.storage import staticfiles_storage
        from django.templatetags.static import static

        first = static("khabar/css/site.css")
        with mock.patch.object(type(staticfiles_storage._wrapped).__mro__[1], "url", side_effect=AssertionError):
            self.assertEqual(static("khabar/css/site.css"), first)
        with self.assertRaises(ValueError):  # a missing file still fails loudly, and is not remembered
            static("khabar/css/no-such-file.css")


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}, TASK_MODE="database")
class TaskWorkerTests(TransactionTestCase):
    # The worker closes connections that sit in a transaction, as it must between tasks.
    def test_wagtails_own_tasks_queue_in_the_database_and_the_worker_runs_them(self):
        from django_tasks_db.models import DBTaskResult
        from wagtail.tasks import update_reference_index_task

        from khabar import testing

        # Built here (locale and edition too): an earlier TransactionTestCase may have flushed everything.
        testing.restore_wagtail_roots()
        root = testing.home()
        result = update_reference_index_task.enqueue("wagtailcore", "page", str(root.pk))
        self.assertEqual(DBTaskResult.objects.get(id=result.id).status, "READY")
        call_command("worker", "--batch", stdout=StringIO())
        self.assertEqual(DBTaskResult.objects.get(id=result.id).status, "SUCCESSFUL")


class EmbeddedDatabaseConnectionTests(SimpleTestCase):
    """Each request opening SQLite ran its PRAGMAs, and closing it checkpointed the WAL: 1.5 ms of
    every request that touched the database. The embedded database keeps its connection, as
    PostgreSQL does, for DB_CONN_MAX_AGE seconds."""

    PRINT = (
        "from django.conf import settings; d = settings.DATABASES['default'];"
        " print(d['ENGINE'], d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )

    def test_the_embedded_database_keeps_its_connection_between_requests(self):
        with tempfile.TemporaryDirectory() as var:
            done = run_khabar("shell", "-c", self.PRINT, KHABAR_VAR_DIR=var)
            self.assertEqual(done.stdout.split()[-3:], ["django.db.backends.sqlite3", "60", "True"], done.stderr)
            done = run_khabar("shell", "-c", self.PRINT, KHABAR_VAR_DIR=var, DB_CONN_MAX_AGE="0")
            self.assertEqual(done.stdout.split()[-2:], ["0", "True"], done.stderr)


class ServedApplicationTests(SimpleTestCase):
    def test_the_served_application_keeps_its_startup_objects_out_of_the_garbage_collector(self):
        # A full collection walked Django's and Wagtail's 170,000 objects in the middle of a request.
        script = "import gc, khabar.wsgi; print(gc.get_freeze_count())"
        with tempfile.TemporaryDirectory() as var:
            done = subprocess.run(
                [sys.executable, "-c", script],
                env={**os.environ, "SECRET_KEY": "test", "KHABAR_VAR_DIR": var},
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=120,
            )
        self.assertGreater(int(done.stdout.split()[-1]), 50_000, done.stderr)
