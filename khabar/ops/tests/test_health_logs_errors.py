"""/healthz and /readyz, JSON logs, and error pages that leak nothing."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from unittest import mock

from django.conf import settings
from django.db import connection
from django.test import Client, TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from khabar.ops.logging import JsonFormatter, RequestContextFilter


class HealthTests(TestCase):
    def test_healthz_answers_without_touching_the_database(self):
        with self.assertNumQueries(0):
            response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"status": "ok"})
        self.assertIn("no-cache", response["Cache-Control"])

    def test_readyz_checks_database_cache_and_tasks(self):
        response = self.client.get("/readyz")
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(body["status"], "ok")
        self.assertEqual(set(body["checks"]), {"database", "cache", "tasks"})
        self.assertTrue(all(check["status"] == "ok" for check in body["checks"].values()))

    def test_readyz_is_503_when_the_database_is_down_and_says_which_check_failed(self):
        def broken():
            raise OSError("connection refused to db.internal:5432")

        with (
            mock.patch.dict("khabar.ops.health.CHECKS", {"database": broken}),
            self.assertLogs("khabar.ops.health", "ERROR"),
        ):
            response = self.client.get("/readyz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["checks"]["database"], {"status": "error"})
        self.assertNotIn("db.internal", response.content.decode())  # the cause is logged, not published

    def test_readyz_is_503_when_the_cache_loses_what_was_written(self):
        with mock.patch("khabar.ops.health.cache") as cache, self.assertLogs("khabar.ops.health", "ERROR"):
            cache.get.return_value = None
            response = self.client.get("/readyz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["checks"]["cache"]["status"], "error")

    @override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
    def test_readyz_checks_the_database_task_queue_when_it_is_used(self):
        from django.tasks import task_backends

        self.assertEqual(type(task_backends["default"]).__name__, "DatabaseBackend")
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get("/readyz")
        self.assertEqual(response.status_code, 200, response.content)
        sql = [query["sql"] for query in queries.captured_queries]
        # SELECT 1, the write probe (rolled back), then the task table.
        self.assertEqual(sql[0], "SELECT 1")
        self.assertTrue(any(q.startswith('INSERT INTO "ops_writeprobe"') for q in sql), sql)
        self.assertIn("django_tasks_database_dbtaskresult", sql[-1])
        from khabar.ops.models import WriteProbe

        self.assertFalse(WriteProbe.objects.exists(), "the probe's row was not rolled back")

    def test_health_endpoints_refuse_writes(self):
        self.assertEqual(self.client.post("/healthz").status_code, 405)
        self.assertEqual(self.client.post("/readyz").status_code, 405)


class JsonLogTests(TestCase):
    def _capture(self, logger_name: str) -> io.StringIO:
        stream = io.StringIO()
        handler = logging.StreamHandler(stream)
        handler.setFormatter(JsonFormatter())
        handler.addFilter(RequestContextFilter())
        logger = logging.getLogger(logger_name)
        logger.addHandler(handler)
        self.addCleanup(logger.removeHandler, handler)
        return stream

    def test_a_log_line_written_during_a_request_carries_its_id_and_path(self):
        stream = self._capture("khabar.ops.health")
        with mock.patch.dict("khabar.ops.health.CHECKS", {"database": mock.Mock(side_effect=OSError("down"))}):
            response = self.client.get("/readyz", HTTP_X_REQUEST_ID="lb-request-0001")
        lines = stream.getvalue().splitlines()
        self.assertEqual(len(lines), 1)
        entry = json.loads(lines[0])
        self.assertEqual(entry["level"], "ERROR")
        self.assertEqual(entry["logger"], "khabar.ops.health")
        self.assertEqual(entry["message"], "readiness check database failed")
        self.assertEqual(entry["request_id"], response["X-Request-ID"])
        self.assertEqual(entry["path"], "/readyz")
        self.assertIn("OSError: down", entry["exception"])
        self.assertRegex(entry["time"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$")

    def test_arabic_and_newlines_stay_on_one_readable_line(self):
        stream = self._capture("khabar.test.json")
        logging.getLogger("khabar.test.json").warning("تعليق جديد\nsecond line")
        lines = stream.getvalue().splitlines()
        self.assertEqual(len(lines), 1)
        self.assertEqual(json.loads(lines[0])["message"], "تعليق جديد\nsecond line")
        self.assertIn("تعليق", lines[0])

    def test_khabar_log_format_json_configures_the_console(self):
        environment = {
            **os.environ,
            "KHABAR_LOG_FORMAT": "json",
            "SECRET_KEY": "x",
            "DJANGO_SETTINGS_MODULE": "khabar.settings",
        }
        script = (
            "import django, logging; django.setup(); logging.getLogger('khabar.probe').warning('hello %s', 'world')"
        )
        result = subprocess.run(
            [sys.executable, "-c", script], env=environment, capture_output=True, text=True, timeout=60
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        entry = json.loads(result.stderr.strip().splitlines()[-1])
        self.assertEqual(entry["message"], "hello world")
        self.assertEqual(entry["logger"], "khabar.probe")
        self.assertNotIn("request_id", entry)

    def test_an_unknown_log_format_stops_start_up_with_a_clear_error(self):
        environment = {**os.environ, "KHABAR_LOG_FORMAT": "xml", "SECRET_KEY": "x"}
        result = subprocess.run(
            [sys.executable, "-m", "khabar", "check"], env=environment, capture_output=True, text=True, timeout=60
        )
        self.assertEqual(result.returncode, 2)
        self.assertIn("KHABAR_LOG_FORMAT='xml' is not one of: plain, json", result.stderr)


@override_settings(DEBUG=False, ROOT_URLCONF="khabar.ops.tests.urls_boom")
class ErrorPageTests(TestCase):
    def test_a_failing_view_shows_the_styled_500_and_leaks_nothing(self):
        client = Client(raise_request_exception=False)
        with self.assertLogs("django.request", "ERROR"):
            response = client.get("/boom/")
        self.assertEqual(response.status_code, 500)
        body = response.content.decode()
        self.assertIn("Something went wrong", body)
        for secret in [
            "Traceback",
            "DatabaseMeltdownError",
            "hunter2",
            "db.internal",
            settings.SECRET_KEY,
            "settings",
            'File "',
        ]:
            self.assertNotIn(secret, body)
        self.assertIn("X-Request-ID", response.headers)
