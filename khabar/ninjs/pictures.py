"""Pictures for imported items: read a rendition (relative path, file:, data: or http(s) URL) within
size and time limits, check it is an image, and store it as a NewsImage (reusing an identical one)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes, urlsplit

from django.conf import settings
from django.core.files.images import ImageFile
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp", "AVIF": "avif"}
CHUNK = 64 * 1024


class PictureError(Exception):
    """A picture that cannot be used; the message says which and why."""


@dataclass
class Picture:
    data: bytes
    name: str  # a file name for storage, extension matching the real format
    width: int
    height: int


def _limit() -> int:
    return settings.KHABAR_NINJS_MAX_PICTURE_BYTES


def _too_big(href: str, size: int | None = None) -> PictureError:
    limit_mb = _limit() / (1024 * 1024)
    if size:
        return PictureError(
            _("picture %(href)s is %(size).1f MB, over the %(limit).1f MB limit")
            % {"href": href[:100], "size": size / (1024 * 1024), "limit": limit_mb}
        )
    return PictureError(
        _("picture %(href)s is over the %(limit).1f MB limit") % {"href": href[:100], "limit": limit_mb}
    )


def _read_data_uri(href: str) -> bytes:
    header, sep, payload = href[5:].partition(",")
    if not sep:
        raise PictureError(_("picture data: URI has no comma before its data"))
    if len(payload) * 3 // 4 > _limit():
        raise _too_big("data: URI")
    if header.endswith(";base64"):
        try:
            return base64.b64decode(payload, validate=True)
        except (binascii.Error, ValueError):
            raise PictureError(_("picture data: URI is not valid base64"))
    return unquote_to_bytes(payload)


def _read_file(path: Path, href: str) -> bytes:
    try:
        size = path.stat().st_size
    except OSError:
        raise PictureError(_("picture %(href)s not found (looked for %(path)s)") % {"href": href[:200], "path": path})
    if not path.is_file():
        raise PictureError(_("picture %(href)s is not a file") % {"href": href[:200]})
    if size > _limit():
        raise _too_big(href, size)
    return path.read_bytes()


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects between http(s) URLs only (never to file: or ftp:)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme not in {"http", "https"}:
            raise PictureError(_("picture redirected to a non-http URL: %(url)s") % {"url": newurl[:200]})
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _fetch(href: str) -> bytes:
    """GET href, refusing more than the size limit and giving up after the time limit (in total)."""
    timeout = settings.KHABAR_NINJS_FETCH_TIMEOUT
    opener = urllib.request.build_opener(_HttpOnlyRedirects)
    # read_rendition only sends http(s) URLs here, and redirects are held to http(s) too.
    headers = {"User-Agent": "Khabar ninjs importer", "Accept": "image/*"}
    request = urllib.request.Request(href, headers=headers)  # noqa: S310
    deadline = time.monotonic() + timeout
    try:
        with opener.open(request, timeout=timeout) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > _limit():
                raise _too_big(href, int(declared))
            buffer = bytearray()
            while chunk := response.read(CHUNK):
                buffer += chunk
                if len(buffer) > _limit():
                    raise _too_big(href)
                if time.monotonic() > deadline:
                    raise TimeoutError
            return bytes(buffer)
    except urllib.error.HTTPError as exc:
        raise PictureError(_("picture %(href)s: HTTP %(code)s") % {"href": href[:200], "code": exc.code})
    except (TimeoutError, OSError) as exc:
        if isinstance(exc, TimeoutError) or "timed out" in str(exc):
            raise PictureError(
                _("picture %(href)s took longer than %(seconds)s seconds") % {"href": href[:200], "seconds": timeout}
            )
        reason = getattr(exc, "reason", exc)
        raise PictureError(_("picture %(href)s cannot be fetched: %(reason)s") % {"href": href[:200], "reason": reason})


def read_rendition(href: str, base_dir: Path | None) -> bytes:
    """The bytes of a rendition given as a relative path, a file:, data: or http(s) URL."""
    parts = urlsplit(href)
    scheme = parts.scheme.lower()
    if scheme == "data":
        return _read_data_uri(href)
    if scheme in {"http", "https"}:
        return _fetch(href)
    if scheme == "file":
        return _read_file(Path(unquote(parts.path)), href)
    if scheme or href.startswith("//"):
        raise PictureError(_("picture %(href)s: unsupported URL scheme") % {"href": href[:200]})
    if base_dir is None:
        raise PictureError(_("picture %(href)s is a relative path, but the item came from stdin") % {"href": href})
    relative = Path(unquote(parts.path))
    if relative.is_absolute() or ".." in relative.parts:
        # A wire item may only point at files beside it, never elsewhere on the server.
        raise PictureError(_("picture %(href)s points outside the item's folder") % {"href": href[:200]})
    return _read_file(base_dir / relative, href)


def check_picture(data: bytes, href: str) -> Picture:
    """The picture if the bytes are an image in a format Khabar serves; PictureError otherwise."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            fmt, (width, height) = image.format, image.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise PictureError(_("picture %(href)s is not an image Khabar can read") % {"href": href[:200]})
    max_pixels = getattr(settings, "WAGTAILIMAGES_MAX_IMAGE_PIXELS", 128_000_000)
    if width * height > max_pixels:  # Wagtail would refuse it too: renditions of it would exhaust memory
        raise PictureError(
            _("picture %(href)s is %(width)s×%(height)s pixels, over the %(max)s-pixel limit")
            % {"href": href[:200], "width": width, "height": height, "max": max_pixels}
        )
    if fmt not in FORMATS:
        raise PictureError(_("picture %(href)s is in %(format)s format") % {"href": href[:200], "format": fmt})
    stem = Path(unquote(urlsplit(href).path)).stem if not href.startswith("data:") else ""
    stem = re.sub(r"[^\w.-]+", "-", stem)[:60].strip("-.")
    stem = get_valid_filename(stem) if stem else "ninjs"
    return Picture(data=data, name=f"{stem}.{FORMATS[fmt]}", width=width, height=height)


def find_same_image(digest: str, picture: Picture, *, alt_text: str):
    """An existing NewsImage with the same file and alt text, so re-imports reuse it.

    A different caption or credit does not make a new image: the article or the image block
    carries it as an override (lead_caption/lead_credit, the block's caption/credit)."""
    from khabar.core.models import NewsImage

    same_text = NewsImage.objects.filter(alt_text=alt_text)
    found = same_text.filter(file_hash=digest).first()
    if found is not None:
        return found
    # Images saved outside the admin form may have no hash yet: hash the few that could match.
    for candidate in same_text.filter(file_hash="", width=picture.width, height=picture.height)[:20]:
        try:
            if candidate.get_file_hash() == digest:
                return candidate
        except OSError:
            continue
    return None


def store_picture(picture: Picture, *, title: str, alt_text: str, caption: str, credit: str, created: list):
    """A NewsImage for the picture, reusing an existing one with the same file and alt text.

    Names of files written are appended to ``created`` so a failed import can remove them.
    """
    from khabar.core.models import NewsImage

    digest = hashlib.sha1(picture.data).hexdigest()  # noqa: S324 - Wagtail's own file_hash is SHA-1
    existing = find_same_image(digest, picture, alt_text=alt_text[:400])
    if existing is not None:
        return existing
    image = NewsImage(
        title=title[:255] or picture.name,
        alt_text=alt_text[:400],
        caption=caption[:500],
        credit=credit[:250],
        width=picture.width,
        height=picture.height,
        file_size=len(picture.data),
        file_hash=digest,
    )
    image.file = ImageFile(io.BytesIO(picture.data), name=picture.name)
    image.save()
    created.append(image.file.name)
    return image
