"""Pictures for imported items: read a rendition (relative path, file:, data: or http(s) URL) within
size and time limits, check it is an image, and store it as a NewsImage (reusing an identical one)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import http.client
import io
import ipaddress
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


def _unreadable(href: str) -> PictureError:
    # One message for "missing" and "not allowed": an import never tells whether a file exists.
    return PictureError(_("picture %(href)s cannot be read: no such file in the item's folder") % {"href": href[:200]})


def _read_file(path: Path, href: str, base_dir: Path) -> bytes:
    """A file inside the import's own folder (its real path, links resolved), else one refusal."""
    try:
        real = path.resolve(strict=True)
        inside = real.is_relative_to(base_dir.resolve())
        size = real.stat().st_size
    except (OSError, RuntimeError):
        raise _unreadable(href) from None
    if not inside or not real.is_file():
        raise _unreadable(href)
    if size > _limit():
        raise _too_big(href, size)
    return real.read_bytes()


# --- Fetching over the network: public addresses only ------------------------------


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    return ip.is_global and not ip.is_multicast


def _refused(href: str) -> PictureError:
    return PictureError(
        _(
            "picture %(href)s is on a private or local address; an operator may allow it "
            "(KHABAR_IMPORT_ALLOWED_HOSTS, KHABAR_IMPORT_ALLOW_PRIVATE_URLS)"
        )
        % {"href": href[:200]}
    )


def _check_peer(connection: http.client.HTTPConnection) -> None:
    """After connecting, before any request is sent: the address actually connected to must be
    public (so a name that resolves, or re-resolves, to 127.0.0.1 or 10.x gets nothing), unless
    the host is one the operator allowed."""
    if settings.KHABAR_IMPORT_ALLOW_PRIVATE_URLS or connection.host in settings.KHABAR_IMPORT_ALLOWED_HOSTS:
        return
    if not _public(connection.sock.getpeername()[0]):
        connection.close()
        raise _PrivateAddress(connection.host)


class _PrivateAddress(Exception):
    """Raised inside urllib when a connection landed on a non-public address."""


class _CheckedHTTPConnection(http.client.HTTPConnection):
    def connect(self) -> None:
        super().connect()
        _check_peer(self)


class _CheckedHTTPSConnection(http.client.HTTPSConnection):
    def connect(self) -> None:
        super().connect()
        _check_peer(self)


class _CheckedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_CheckedHTTPConnection, req)


class _CheckedHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(_CheckedHTTPSConnection, req, context=self._context)


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects between http(s) URLs only (never to file: or ftp:)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme not in {"http", "https"}:
            raise PictureError(_("picture redirected to a non-http URL: %(url)s") % {"url": newurl[:200]})
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _fetch(href: str) -> bytes:
    """GET href, refusing more than the size limit and giving up after the time limit (in total)."""
    timeout = settings.KHABAR_NINJS_FETCH_TIMEOUT
    # Every connection (the first and each redirect's) is checked where it lands: _check_peer.
    opener = urllib.request.build_opener(_HttpOnlyRedirects, _CheckedHTTPHandler, _CheckedHTTPSHandler)
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
    except _PrivateAddress:
        raise _refused(href) from None
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
    # Files: only inside the item's own folder (the current directory for stdin), never elsewhere
    # on the server, and "missing" and "outside" answer alike.
    folder = base_dir if base_dir is not None else Path.cwd()
    if scheme == "file":
        if parts.netloc not in ("", "localhost"):
            raise _unreadable(href)
        return _read_file(Path(unquote(parts.path)), href, folder)
    if scheme or href.startswith("//"):
        raise PictureError(_("picture %(href)s: unsupported URL scheme") % {"href": href[:200]})
    relative = Path(unquote(parts.path))
    if relative.is_absolute() or ".." in relative.parts:
        raise _unreadable(href)
    return _read_file(folder / relative, href, folder)


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
    from khabar.core.models import NewsImage, NewsImageRendition

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
    # Khabar's own export links a published rendition, never the original: the same picture back.
    renditions = NewsImageRendition.objects.filter(image__alt_text=alt_text, width=picture.width, height=picture.height)
    for rendition in renditions.select_related("image")[:20]:
        try:
            with rendition.file.open("rb") as handle:
                if hashlib.sha1(handle.read()).hexdigest() == digest:  # noqa: S324 - as above
                    return rendition.image
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
