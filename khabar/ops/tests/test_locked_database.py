"""A database that another process holds locked: writes wait a bounded time (KHABAR_DB_BUSY_TIMEOUT),
then comment and reaction posts answer 503 with Retry-After (JSON for the scripts, a short page
otherwise) instead of hanging and ending in a 500 page, and /readyz, which writes, says "not ready".

SQLite: a second sqlite3 connection holds ``BEGIN EXCLUSIVE`` on a file copy of the test database
(the test database itself is in memory; WAL mode, as in production, so reads go on). PostgreSQL:
another connection holds ``LOCK TABLE ... IN EXCLUSIVE MODE`` on the table the request writes.
Each class runs on its own engine; the suite runs on both (see SECURITY.md).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

from django.conf import settings
from django.core.cache import caches
from django.db import connection, connections, transaction
from django.test import SimpleTestCase, TestCase
from django.urls import reverse

from khabar import testing
from khabar.comments.models import Comment
from khabar.comments.testing import configure
from khabar.ops.models import WriteProbe
from khabar.reactions.models import Reaction

JSON = {"HTTP_ACCEPT": "application/json", "HTTP_SEC_FETCH_SITE": "same-origin"}
FORM = {"HTTP_SEC_FETCH_SITE": "same-origin"}
SHORT_WAIT = 1  # seconds: after the first request, the rest wait less so the test stays quick


def comment_data(key: str) -> dict[str, str]:
    return {
        "name": "Reader",
        "email": "reader@example.org",
        "agree": "on",
        "key": key,
        "body": "The bridge matters to everyone who crosses it.",
    }


class LockedDatabaseAssertions:
    """The same expectations on both engines; ``request`` is how a request runs while locked."""

    @staticmethod
    def make_story():
        section = testing.section("Iraq News", slug="iraq")
        article = testing.article(section, "Bridge closed for repairs")
        configure(default_mode="post", close_after_days=0, posts_per_ten_minutes=1_000_000)
        return article

    def request(self, method: str, path: str, data=None, **headers):
        return getattr(self.client, method)(path, data, **headers)

    def timed(self, method: str, path: str, data=None, **headers):
        started = time.monotonic()
        response = self.request(method, path, data, **headers)
        return response, time.monotonic() - started

    def assertBusy(self, response, elapsed: float, limit: float, *, json_body: bool) -> None:
        self.assertEqual(response.status_code, 503, response.content[:300])
        self.assertEqual(response["Retry-After"], str(settings.KHABAR_DB_RETRY_AFTER))
        self.assertTrue(response["Retry-After"].isdigit())  # delta-seconds
        self.assertIn("no-store", response["Cache-Control"])
        self.assertLess(elapsed, limit, "the request waited longer than the busy timeout allows")
        if json_body:
            self.assertEqual(response["Content-Type"], "application/json")
            self.assertIn("database is busy", response.json()["error"])
        else:
            self.assertTrue(response["Content-Type"].startswith("text/plain"))
            self.assertIn(b"database is busy", response.content)
            self.assertNotIn(b"<html", response.content.lower())

    def check_locked_behaviour(self, article, lock, shorten_wait) -> None:
        post_url = f"/en/comments/{article.pk}/post/"
        self.assertEqual(self.client.get("/readyz").status_code, 200)

        lock("comments")
        # The first write waits the configured busy timeout, no longer, then 503 + Retry-After + JSON.
        response, elapsed = self.timed("post", post_url, comment_data("locked-json"), **JSON)
        self.assertBusy(response, elapsed, settings.KHABAR_DB_BUSY_TIMEOUT + 4, json_body=True)
        self.assertGreaterEqual(elapsed, settings.KHABAR_DB_BUSY_TIMEOUT * 0.8, "it did not wait for the lock")

        shorten_wait()
        # The form without JavaScript: the same 503, as a short plain page.
        response, elapsed = self.timed("post", post_url, comment_data("locked-form"), **FORM)
        self.assertBusy(response, elapsed, SHORT_WAIT + 4, json_body=False)
        # An XMLHttpRequest that does not say Accept: JSON still gets JSON.
        response, elapsed = self.timed(
            "post", post_url, comment_data("locked-xhr"), HTTP_X_REQUESTED_WITH="XMLHttpRequest", **FORM
        )
        self.assertBusy(response, elapsed, SHORT_WAIT + 4, json_body=True)

        lock("reactions")
        response, elapsed = self.timed("post", reverse("reaction", args=[article.pk]), {"vote": "yes"}, **JSON)
        self.assertBusy(response, elapsed, SHORT_WAIT + 4, json_body=True)

        lock("readiness")
        started = time.monotonic()
        response = self.request("get", "/readyz")
        self.assertLess(time.monotonic() - started, SHORT_WAIT + 4)
        self.assertEqual(response.status_code, 503)
        body = response.json()
        self.assertEqual(body["status"], "error")
        self.assertEqual(body["checks"]["database"], {"status": "error"})
        self.assertEqual(body["checks"]["cache"]["status"], "ok")


class LockedSQLiteTests(LockedDatabaseAssertions, SimpleTestCase):
    databases = {"default"}

    def setUp(self):
        if connection.vendor != "sqlite":
            self.skipTest("the suite runs on PostgreSQL: LockedPostgreSQLTests covers it; the SQLite run covers this")
        for cache in caches.all(initialized_only=True):
            cache.clear()
        work = tempfile.mkdtemp(prefix="khabar-locked-")
        self.addCleanup(shutil.rmtree, work, ignore_errors=True)
        self.path = os.path.join(work, "khabar.sqlite3")
        self._use_file_copy()
        self.lockers: list[sqlite3.Connection] = []
        self.addCleanup(self._unlock)

    def _use_file_copy(self) -> None:
        """Point the default connection at a file copy of the (in-memory) test database for this test."""
        connection.ensure_connection()
        target = sqlite3.connect(self.path)
        connection.connection.backup(target)
        target.close()
        saved_connection, saved_settings = connection.connection, connection.settings_dict
        connection.connection = None  # the in-memory database stays open, untouched
        connection.settings_dict = {**saved_settings, "NAME": self.path}

        def restore():
            connection.close()
            connection.settings_dict = saved_settings
            connection.connection = saved_connection

        self.addCleanup(restore)
        connection.ensure_connection()  # the production init command: WAL, so readers are not blocked
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            self.assertEqual(cursor.fetchone()[0], "wal")

    def _lock(self, what: str) -> None:
        if self.lockers:
            return  # one lock holds the whole database
        locker = sqlite3.connect(self.path, isolation_level=None, timeout=0)
        locker.execute("BEGIN EXCLUSIVE")
        self.lockers.append(locker)

    def _unlock(self) -> None:
        for locker in self.lockers:
            locker.execute("ROLLBACK")
            locker.close()
        self.lockers.clear()

    def _shorten_wait(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {SHORT_WAIT * 1000}")

    def test_a_locked_database_answers_503_with_retry_after_in_bounded_time_and_readyz_is_not_ready(self):
        article = self.make_story()
        self.check_locked_behaviour(article, self._lock, self._shorten_wait)
        self.assertFalse(Comment.objects.exists())
        self._unlock()
        # Once the other process lets go, the same post goes through and readiness is back.
        response = self.client.post(f"/en/comments/{article.pk}/post/", comment_data("after"), **JSON)
        self.assertEqual(response.status_code, 200, response.content[:300])
        self.assertEqual(list(Comment.objects.values_list("submission_key", flat=True)), ["after"])
        self.assertEqual(self.client.get("/readyz").status_code, 200)


class LockedPostgreSQLTests(LockedDatabaseAssertions, TestCase):
    TABLES = {
        "comments": Comment._meta.db_table,
        "reactions": Reaction._meta.db_table,
        "readiness": WriteProbe._meta.db_table,
    }

    @classmethod
    def setUpTestData(cls):
        if connection.vendor == "postgresql":
            cls.article = cls.make_story()

    def setUp(self):
        if connection.vendor != "postgresql":
            self.skipTest("the suite runs on SQLite: LockedSQLiteTests covers it; the PostgreSQL run covers this")
        for cache in caches.all(initialized_only=True):
            cache.clear()
        self.lockers = []
        self.addCleanup(self._unlock)

    def request(self, method: str, path: str, data=None, **headers):
        # In production each request has its own transaction; here they share the test's, so a
        # failed statement must not poison the next request: each runs in a savepoint undone after.
        with transaction.atomic():
            response = super().request(method, path, data, **headers)
            transaction.set_rollback(True)
        return response

    def _lock(self, what: str) -> None:
        locker = connections.create_connection("default")
        locker.ensure_connection()
        with locker.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute("SET LOCAL lock_timeout = '5s'")  # never wait for ever on the test's own locks
            cursor.execute(f'LOCK TABLE "{self.TABLES[what]}" IN EXCLUSIVE MODE')  # reads go on, writes wait
        self.lockers.append(locker)

    def _unlock(self) -> None:
        for locker in self.lockers:
            with locker.cursor() as cursor:
                cursor.execute("ROLLBACK")
            locker.close()
        self.lockers.clear()

    def _shorten_wait(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"SET lock_timeout = '{SHORT_WAIT}s'")

    def test_a_locked_database_answers_503_with_retry_after_in_bounded_time_and_readyz_is_not_ready(self):
        self.check_locked_behaviour(self.article, self._lock, self._shorten_wait)
        self._unlock()
        response = self.request("post", f"/en/comments/{self.article.pk}/post/", comment_data("after"), **JSON)
        self.assertEqual(response.status_code, 200, response.content[:300])
        self.assertEqual(self.request("get", "/readyz").status_code, 200)


class BusyTimeoutSettingTests(SimpleTestCase):
    """KHABAR_DB_BUSY_TIMEOUT sets SQLite's busy timeout and PostgreSQL's lock_timeout (5 s by default)."""

    def database_options(self, **environ: str) -> dict:
        clean = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "KHABAR_DB_"))}
        code = (
            "import json, django; from django.conf import settings; django.setup(); "
            "print(json.dumps(settings.DATABASES['default']['OPTIONS'], default=str))"
        )
        done = subprocess.run(
            [sys.executable, "-c", code],
            env={**clean, "SECRET_KEY": "test", "DJANGO_SETTINGS_MODULE": "khabar.settings", **environ},
            capture_output=True,
            text=True,
            timeout=120,
        )
        self.assertEqual(done.returncode, 0, done.stderr)
        return json.loads(done.stdout.strip().splitlines()[-1])

    def test_sqlite_waits_five_seconds_by_default_and_the_environment_changes_it(self):
        self.assertEqual(self.database_options()["timeout"], 5)
        self.assertEqual(self.database_options(KHABAR_DB_BUSY_TIMEOUT="2")["timeout"], 2)

    def test_postgresql_gets_the_same_wait_as_its_lock_timeout(self):
        options = self.database_options(
            DATABASE_URL="postgres://nobody@127.0.0.1:5432/x?options=-c%20statement_timeout%3D60s",
            KHABAR_DB_BUSY_TIMEOUT="3",
        )
        self.assertEqual(options["options"], "-c statement_timeout=60s -c lock_timeout=3s")
        self.assertEqual(options["connect_timeout"], 3)


class OutsideAViewTests(SimpleTestCase):
    def test_a_database_error_outside_a_view_is_the_same_503_not_the_500_page(self):
        """E.g. saving the session after the view: Django hands it to handler500, which answers 503."""
        from django.db import OperationalError
        from django.test import RequestFactory

        from khabar.core.views import server_error

        request = RequestFactory().post("/ar/comments/1/post/", HTTP_ACCEPT="application/json")
        try:
            raise OperationalError("database is locked")
        except OperationalError:
            response = server_error(request)
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response["Retry-After"], str(settings.KHABAR_DB_RETRY_AFTER))
        self.assertEqual(
            json.loads(response.content)["error"],
            "قاعدة بيانات غرفة الأخبار مشغولة. يُرجى المحاولة مرة أخرى بعد بضع ثوانٍ.",
        )
        try:
            raise ValueError("a bug")
        except ValueError:
            self.assertEqual(server_error(RequestFactory().get("/en/")).status_code, 500)
