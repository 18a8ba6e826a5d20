"""A stand-in for the Telegram Bot API, for tests: a real HTTP server on 127.0.0.1 that speaks the
Bot API's shape (``/bot<token>/<method>``, ``{"ok": true, "result": {...}}`` and its errors) and
keeps every request it got. The client code under test is the real one."""

from __future__ import annotations

import email.parser
import email.policy
import itertools
import json
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest import mock

from django.test import TestCase, override_settings

from khabar.telegram import posting

TOKEN = "123456:TEST-token"  # noqa: S105 (the fake server's, not a secret)


@dataclass
class Call:
    token: str
    method: str
    params: dict
    files: dict = field(default_factory=dict)  # field name -> (filename, content type, bytes)


class FakeTelegram:
    def __init__(self):
        self.calls: list[Call] = []
        self.answers: dict[str, deque] = defaultdict(deque)
        self.message_ids = itertools.count(101)
        self.lock = threading.Lock()
        self.delay = 0.0  # seconds before each answer, to let a racing worker in
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def start(self) -> FakeTelegram:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def reset(self) -> None:
        with self.lock:
            self.calls.clear()
            self.answers.clear()

    def fail_next(self, method: str, code: int, description: str, retry_after: int | None = None) -> None:
        """The next call of ``method`` gets this error (queue several for several calls)."""
        answer = {"ok": False, "error_code": code, "description": description}
        if retry_after is not None:
            answer["parameters"] = {"retry_after": retry_after}
        self.answers[method].append((code, answer))

    def drop_next(self, method: str) -> None:
        """The next call of ``method`` is acted on (a message is made) but the answer never comes back."""
        self.answers[method].append((0, None))

    def of(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    def _answer(self, call: Call) -> tuple[int, dict]:
        with self.lock:
            self.calls.append(call)
            if self.answers[call.method]:
                return self.answers[call.method].popleft()
            if call.token != TOKEN:
                return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
            if call.method == "deleteMessage":
                return 200, {"ok": True, "result": True}
            chat = call.params.get("chat_id")
            message = {"message_id": next(self.message_ids), "chat": {"id": -1001, "username": chat}}
            return 200, {"ok": True, "result": message}

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                token, _, method = self.path.removeprefix("/bot").partition("/")
                params, files = parse_body(self.headers.get("Content-Type", ""), body)
                status, answer = fake._answer(Call(token, method, params, files))
                time.sleep(fake.delay)
                if answer is None:
                    next(fake.message_ids)  # Telegram made the message; the connection broke before the answer
                    self.close_connection = True
                    return
                payload = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        return Handler


def parse_body(content_type: str, body: bytes) -> tuple[dict, dict]:
    if content_type.startswith("application/json"):
        return json.loads(body), {}
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
    )
    params, files = {}, {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if part.get_filename():
            files[name] = (part.get_filename(), part.get_content_type(), part.get_payload(decode=True))
        else:
            params[name] = part.get_payload(decode=True).decode()
    return params, files


class TelegramTestCase(TestCase):
    """A running fake Bot API, the settings pointing at it, and waits recorded instead of slept."""

    telegram: FakeTelegram

    @classmethod
    def setUpClass(cls):
        cls.telegram = FakeTelegram().start()
        cls.addClassCleanup(cls.telegram.stop)
        cls.enterClassContext(
            override_settings(
                KHABAR_TELEGRAM_BOT_TOKEN=TOKEN,
                KHABAR_TELEGRAM_API_URL=cls.telegram.url,
                KHABAR_TELEGRAM_TIMEOUT=5,
                KHABAR_TELEGRAM_ATTEMPTS=3,
                KHABAR_TELEGRAM_MAX_WAIT_SECONDS=30,
            )
        )
        super().setUpClass()

    def setUp(self):
        self.telegram.reset()
        self.telegram.message_ids = itertools.count(101)
        self.waits: list[float] = []
        patcher = mock.patch.object(posting, "sleep", self.waits.append)
        patcher.start()
        self.addCleanup(patcher.stop)

    def committed(self):
        """Run what waits for the commit (the tasks' enqueueing) when the block ends, as a real request would."""
        return self.captureOnCommitCallbacks(execute=True)
