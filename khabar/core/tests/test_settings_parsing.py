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
from khabar.lib.env import EnvError, env, envbool, envint, envjson, envlist, envsecret

ROOT = Path(__file__).resolve().parents[3]


class EnvHelperTests(SimpleTestCase):
    def test_yes_no_words_and_a_clear_error_for_anything_else(self):
        with mock.patch.dict(os.environ, {"X_FLAG": "Yes"}):
            self.assertTrue(envbool("X_FLAG"))
        with mock.patch.dict(os.environ, {"X_FLAG": "off"}):
            self.assertFalse(envbool("X_FLAG", True))
        with mock.patch.dict(os.environ, {"X_FLAG": "maybe"}), self.assertRaisesMessage(EnvError, "X_FLAG='maybe'"):
            envbool("X_FLAG")

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


class ServeOptionsTests(SimpleTestCase):
    def test_gunicorn_is_configured_for_slow_clients_and_graceful_restarts(self):
        options = serve.gunicorn_options(host="127.0.0.1", port=8000, workers=2, threads=4, access_log=False)
        self.assertEqual(options["bind"], "127.0.0.1:8000")
        self.assertEqual(options["worker_class"], "gthread")
        self.assertEqual((options["workers"], options["threads"]), (2, 4))
        self.assertGreater(options["max_requests"], 0)
        self.assertGreater(options["max_requests_jitter"], 0)
        self.assertGreater(options["graceful_timeout"], 0)
        self.assertTrue(options["preload_app"])
        self.assertNotIn("accesslog", options)

    def test_ipv6_hosts_are_bracketed(self):
        options = serve.gunicorn_options(host="::1", port=9000, workers=1, threads=1, access_log=True)
        self.assertEqual(options["bind"], "[::1]:9000")
        self.assertEqual(options["accesslog"], "-")

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
        self.assertEqual(
            settings.STORAGES["staticfiles"]["BACKEND"], "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
        hashed = staticfiles_storage.stored_name("khabar/css/site.css")
        self.assertRegex(hashed, r"^khabar/css/site\.[0-9a-f]{12}\.css$")
        self.assertTrue((Path(settings.STATIC_ROOT) / (hashed + ".gz")).exists(), "collectstatic made no gzip copy")


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}, TASK_MODE="database")
class TaskWorkerTests(TransactionTestCase):
    # The worker closes connections that sit in a transaction, as it must between tasks.
    def test_wagtails_own_tasks_queue_in_the_database_and_the_worker_runs_them(self):
        from django_tasks_db.models import DBTaskResult
        from wagtail.models import Page
        from wagtail.tasks import update_reference_index_task

        root = Page.objects.order_by("pk").first()  # pk 1 may be gone after a browser test's flush
        result = update_reference_index_task.enqueue("wagtailcore", "page", str(root.pk))
        self.assertEqual(DBTaskResult.objects.get(id=result.id).status, "READY")
        call_command("worker", "--batch", stdout=StringIO())
        self.assertEqual(DBTaskResult.objects.get(id=result.id).status, "SUCCESSFUL")
