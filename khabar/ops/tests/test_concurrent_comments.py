"""Many readers post comments at once to a real server on 127.0.0.1: every acknowledged comment is stored
exactly once, nothing answers 500, and killing the server mid-load loses no acknowledged comment.

Runs against gunicorn (the production server) in its own process, on SQLite (WAL, busy timeout) and, when
the suite runs on PostgreSQL, on a PostgreSQL database of its own. Size: KHABAR_LOAD_CLIENTS (default 50)
× KHABAR_LOAD_COMMENTS (default 40); every phase is bounded by a timeout.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

from django.test import SimpleTestCase, tag

from khabar.ops.tests import test_backup_restore as roundtrip  # a module: its tests are not re-run here

run = roundtrip.run

CLIENTS = int(os.environ.get("KHABAR_LOAD_CLIENTS", "50"))
COMMENTS = int(os.environ.get("KHABAR_LOAD_COMMENTS", "40"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Load:
    """Clients posting comments; records what the server acknowledged and anything it should not say."""

    def __init__(self, port: int, article: int, clients: int, comments: int, tag: str):
        self.port, self.article, self.clients, self.comments, self.tag = port, article, clients, comments, tag
        self.acknowledged: list[str] = []
        self.errors: list[str] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def client(self, number: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        for index in range(self.comments):
            if self.stop.is_set():
                return
            key = f"{self.tag}-{number}-{index}"
            body = urllib.parse.urlencode(
                {
                    "name": f"Reader {number}",
                    "email": f"r{number}@example.org",
                    "agree": "on",
                    "key": key,
                    "body": f"Comment {index} from reader {number} ({self.tag}): the bridge matters.",
                }
            )
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
                "Sec-Fetch-Site": "same-origin",
                "Host": "127.0.0.1",
            }
            try:
                conn.request("POST", f"/en/comments/{self.article}/post/", body, headers)
                response = conn.getresponse()
                payload = response.read()
            except (OSError, http.client.HTTPException):
                if not self.stop.is_set():
                    with self.lock:
                        self.errors.append(f"{key}: connection failed")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                continue
            with self.lock:
                if response.status == 200 and json.loads(payload).get("status") in {"pending", "approved"}:
                    self.acknowledged.append(key)
                else:
                    self.errors.append(f"{key}: HTTP {response.status} {payload[:120]!r}")
        conn.close()

    def run(self, *, timeout: float) -> None:
        threads = [threading.Thread(target=self.client, args=(n,), daemon=True) for n in range(self.clients)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + timeout
        for thread in threads:
            thread.join(max(0.1, deadline - time.monotonic()))
        self.stop.set()


@tag("slow")  # real servers in subprocesses under load
class ConcurrentCommentTests(SimpleTestCase):
    databases = {"default"}

    def setUp(self):
        helper = roundtrip.BackupRoundTripTests(methodName="setUp")
        helper.setUp()
        self.addCleanup(helper.doCleanups)
        self.helper = helper

    def _prepare(self, env: dict[str, str]) -> int:
        if "DATABASE_URL" in env:
            self.helper._recreate_postgres(env)
            self.addCleanup(self.helper._drop_postgres, env)
        run(sys.executable, "-m", "khabar", "migrate", "--noinput", "-v0", env=env)
        output = run(sys.executable, "-m", "khabar.ops.tests.load_scenario", "setup", env=env).stdout
        return json.loads(output.strip().splitlines()[-1])["article"]

    def _serve(self, env: dict[str, str], port: int) -> subprocess.Popen:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "khabar.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--threads",
                "4",
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
            ],
            env={**env, "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        self.addCleanup(self._kill, server)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return server
            except OSError:
                time.sleep(0.2)
        self.fail("gunicorn did not start within 60 s")

    @staticmethod
    def _kill(server: subprocess.Popen) -> None:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(10)

    def _stored(self, env: dict[str, str]) -> dict[str, int]:
        output = run(sys.executable, "-m", "khabar.ops.tests.load_scenario", "stored", env=env).stdout
        return json.loads(output.strip().splitlines()[-1])["keys"]

    def _exercise(self, env: dict[str, str]) -> None:
        article = self._prepare(env)
        port = free_port()
        server = self._serve(env, port)
        load = Load(port, article, CLIENTS, COMMENTS, "steady")
        load.run(timeout=600)
        self.assertEqual(load.errors[:10], [])
        self.assertEqual(len(load.acknowledged), CLIENTS * COMMENTS)
        stored = self._stored(env)
        self.assertEqual({key: stored.get(key) for key in load.acknowledged}, dict.fromkeys(load.acknowledged, 1))
        # Now kill the server outright in the middle of a second wave.
        burst = Load(port, article, CLIENTS, COMMENTS, "killed")
        killer = threading.Timer(1.5, lambda: os.killpg(server.pid, signal.SIGKILL))
        killer.start()
        burst.run(timeout=120)
        killer.cancel()
        self._kill(server)
        stored = self._stored(env)
        self.assertGreater(len(burst.acknowledged), 0, "the kill came before any comment was acknowledged")
        lost = [key for key in burst.acknowledged if stored.get(key) != 1]
        self.assertEqual(lost, [])
        self.assertTrue(all(count == 1 for count in stored.values()), "a comment was stored twice")

    def test_sqlite_stores_every_acknowledged_comment_exactly_once(self):
        self._exercise(self.helper.env)

    def test_postgresql_stores_every_acknowledged_comment_exactly_once(self):
        env = self.helper._postgres_env()
        if env is None:
            self.skipTest("the suite runs on SQLite; the PostgreSQL run (DATABASE_URL) covers this")
        self._exercise(env)
