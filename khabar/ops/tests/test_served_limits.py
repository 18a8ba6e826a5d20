"""On the real server (`khabar serve`, granian): a refused oversized comment leaves the connection
either usable (the body was read and thrown away) or honestly closed — never "keep-alive" followed
by a dropped socket, which is what the attack on a served copy found."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase, tag


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def read_response(sock: socket.socket) -> tuple[bytes, bytes]:
    """The head and body of one HTTP/1.1 response with a Content-Length."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return data, b""
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        (int(line.split(b":", 1)[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")),
        0,
    )
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return head, body


@tag("slow")  # a real server in a subprocess
class OversizedCommentOnTheServedSite(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.var = Path(tempfile.mkdtemp(prefix="khabar-served-"))
        (cls.var / "static").symlink_to(settings.STATIC_ROOT)
        cls.port = free_port()
        env = {
            **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")},
            "KHABAR_VAR_DIR": str(cls.var),
            "SECRET_KEY": "served-limits-test",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "KHABAR_PERIODIC_JOBS": "",
        }
        cls.server = subprocess.Popen(
            [sys.executable, "-m", "khabar", "serve", "--port", str(cls.port), "--workers", "1"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", cls.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.2)
        cls.tearDownClass()
        raise AssertionError("khabar serve did not start within 60 s")

    @classmethod
    def tearDownClass(cls):
        if cls.server.poll() is None:
            os.killpg(cls.server.pid, signal.SIGTERM)
            cls.server.wait(30)
        super().tearDownClass()

    def test_a_413_for_a_comment_is_followed_by_a_usable_connection_or_an_honest_close(self):
        body = b"name=a&email=a%40example.org&body=" + b"x" * 100_000
        request = (
            b"POST /en/comments/1/post/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\nSec-Fetch-Site: same-origin\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
        )
        with socket.create_connection(("127.0.0.1", self.port), timeout=20) as sock:
            sock.sendall(request)
            head, _body = read_response(sock)
            self.assertTrue(head.startswith(b"HTTP/1.1 413"), head[:200])
            closes = b"connection: close" in head.lower()
            try:
                sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                second, _ = read_response(sock)
            except (ConnectionResetError, BrokenPipeError):
                second = b""
        if closes:
            self.assertEqual(second, b"", "the 413 said Connection: close, so the socket must close")
        else:
            self.assertTrue(second.startswith(b"HTTP/1.1 200"), f"kept alive but the next request got {second[:80]!r}")
