"""Uploads never run as pages on the site's origin.

What readers may fetch under /media/ is image renditions (``images/``), which Wagtail makes from
originals with Pillow: their bytes are always a picture Khabar wrote itself. Everything else an
editor or a reporter uploads stays out of reach:

* documents (``documents/``) only through Wagtail's document view (``/documents/<id>/<name>``),
  which checks the collection's privacy and sends every file as an attachment
  (WAGTAILDOCS_SERVE_METHOD, WAGTAILDOCS_INLINE_CONTENT_TYPES in settings.py);
* original images (``original_images/``) never: an unpublished upload's original is not public,
  and an original is whatever bytes the uploader sent.

Every response from here carries ``X-Content-Type-Options: nosniff`` and a
``Content-Security-Policy`` of ``default-src 'none'; sandbox``, so even a file that a browser
opened directly could run nothing and reach nothing. docs/deploy.md has the same rules for nginx.
"""

from __future__ import annotations

import fcntl
import posixpath
import threading
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest

# The formats Wagtail writes renditions in (settings.WAGTAILIMAGES_EXTENSIONS).
RENDITION_TYPES = {
    ".avif": "image/avif",
    ".gif": "image/gif",
    ".jpeg": "image/jpeg",
    ".jpg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
}
MEDIA_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cross-Origin-Resource-Policy": "same-site",
}


def serve_media(request: HttpRequest, path: str) -> FileResponse:
    """/media/images/<rendition>: a picture with safe headers; anything else under /media/ is a 404."""
    name = posixpath.normpath(path).lstrip("/")
    if name != path or not name.startswith("images/") or "/" in name.removeprefix("images/"):
        raise Http404("Not a public file.")
    content_type = RENDITION_TYPES.get(posixpath.splitext(name)[1].lower())
    if content_type is None:
        raise Http404("Not a picture.")
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404("No such picture.") from None
    response = FileResponse(handle, content_type=content_type)
    for header, value in MEDIA_HEADERS.items():
        response[header] = value
    response["Content-Disposition"] = "inline"
    # A rendition's name changes with its source image and filter: it can be kept long.
    response["Cache-Control"] = f"public, max-age={settings.KHABAR_RENDITION_CACHE_SECONDS}"
    return response


_rendition_lock = threading.Lock()


@contextmanager
def one_rendition_at_a_time():
    """Resizing decodes the whole original into memory: one at a time per machine (a thread lock in
    this process, an exclusive file lock across the server's processes), so a handful of previews
    of a large picture cannot multiply the memory it takes."""
    with _rendition_lock:
        path = Path(settings.VAR_DIR) / "rendition.lock"
        try:
            handle = open(path, "a")  # noqa: SIM115 (held for the duration of the lock)
        except OSError:  # a read-only var dir: this process's lock still holds
            yield
            return
        with handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
