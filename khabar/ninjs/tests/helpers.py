"""Shared pieces for the ninjs tests: valid items, files, a command runner and a local picture server."""

from __future__ import annotations

import copy
import io
import json
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from khabar.news.images import picture_bytes

BASE_ITEM = {
    "uri": "urn:newsml:wire.example:20261128:iraq-water-1",
    "type": "text",
    "language": "en",
    "firstcreated": "2026-11-27T08:00:00Z",
    "versioncreated": "2026-11-27T09:30:00Z",
    "headlines": [{"role": "main", "value": "Basra opens a new water plant"}],
    "descriptions": [{"role": "summary", "value": "The plant will serve 200,000 homes."}],
    "bodies": [
        {
            "role": "main",
            "contenttype": "text/html",
            "value": "<p>The plant opened on <b>Friday</b>.</p><h2>What changes</h2><p>Cleaner water.</p>",
        }
    ],
    "by": "Sara Ahmed",
    "located": "Basra",
    "subjects": [{"name": "Water"}, {"name": "Infrastructure"}],
}


def item(**changes) -> dict:
    doc = copy.deepcopy(BASE_ITEM)
    for key, value in changes.items():
        if value is None:
            doc.pop(key, None)
        else:
            doc[key] = value
    return doc


def write(folder: Path, name: str, content) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    return path


def picture_file(folder: Path, name: str = "plant.jpg", seed: int = 7, size: tuple[int, int] = (320, 180)) -> Path:
    return write(folder, name, picture_bytes(seed, *size))


def run_import(*args, stdin: bytes | None = None) -> tuple[str, str, int]:
    """stdout, stderr and the exit code of `khabar import ARGS`."""
    import sys

    out, err = io.StringIO(), io.StringIO()
    code = 0
    old_stdin, old_stderr = sys.stdin, sys.stderr
    if stdin is not None:
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    if not isinstance(sys.stderr, io.StringIO):  # a test that watches stderr has put its own there
        sys.stderr = err  # the progress bar goes here, not into the test run's output
    try:
        call_command("import", *[str(a) for a in args], stdout=out, stderr=err, no_color=True)
    except CommandError as exc:
        code = exc.returncode
        err.write(str(exc))
    finally:
        sys.stdin, sys.stderr = old_stdin, old_stderr
    return out.getvalue(), err.getvalue(), code


class PictureServer:
    """A local http.server on 127.0.0.1 serving a folder, plus /slow (drips bytes) and /huge (endless)."""

    def __init__(self, folder: Path) -> None:
        handler = partial(_Handler, directory=str(folder))
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> PictureServer:
        # The test's own server is on 127.0.0.1, which the importer refuses unless allowed by name.
        self._allowed = override_settings(KHABAR_IMPORT_ALLOWED_HOSTS=["127.0.0.1"])
        self._allowed.enable()
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._allowed.disable()


class _Handler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        if self.path.startswith("/slow"):
            self.send_response(200)
            self.send_header("Content-Type", "image/jpeg")
            self.end_headers()
            try:
                for _ in range(40):
                    self.wfile.write(b"x" * 10)
                    self.wfile.flush()
                    time.sleep(0.1)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        if self.path.startswith("/huge"):
            self.send_response(200)
            self.send_header("Content-Type", "image/jpeg")  # no Content-Length: the size shows only while reading
            self.end_headers()
            try:
                for _ in range(2000):
                    self.wfile.write(b"\xff" * 65536)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        super().do_GET()
