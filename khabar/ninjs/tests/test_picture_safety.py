"""`khabar import` never fetches a picture from a private or local address, in any spelling and
through redirects, unless an operator allows it; it never reads files outside the item's folder,
and its errors never tell whether a file exists (issue 11, item 13)."""

from __future__ import annotations

import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from django.test import override_settings

from khabar.news.images import picture_bytes
from khabar.ninjs.tests import test_import
from khabar.ninjs.tests.helpers import item, picture_file, run_import, write
from khabar.ninjs.tests.test_import import ImportTestCase

PNG = picture_bytes(3, 64, 48)


class _Pictures(BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        if self.path.startswith("/to-loopback"):
            self.send_response(302)
            self.send_header("Location", f"http://127.0.0.1:{self.server.server_address[1]}/plant.jpg")
            self.end_headers()
            return
        self.server.hits += 1
        self.send_response(200)
        self.send_header("Content-Type", "image/jpeg")
        self.send_header("Content-Length", str(len(PNG)))
        self.end_headers()
        self.wfile.write(PNG)


class LocalServer:
    """A picture server on 127.0.0.1 that is *not* allowed by the importer's settings."""

    def __enter__(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Pictures)
        self.server.hits = 0
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


class PictureImportTestCase(ImportTestCase):
    def import_picture(self, href: str) -> tuple[str, str, int]:
        """Import one item whose lead picture is ``href`` (the same picture association as test_import)."""
        picture = test_import.AssociatedPictures.picture(self, href)  # a module reference: not collected twice
        return run_import(write(self.dir, "a.json", item(associations=[picture])))


class PicturesFromTheNetwork(PictureImportTestCase):
    def test_loopback_in_every_spelling_is_refused_and_nothing_is_fetched(self):
        with LocalServer() as local:
            for href in [
                f"http://127.0.0.1:{local.port}/plant.jpg",
                f"http://localhost:{local.port}/plant.jpg",
                f"http://2130706433:{local.port}/plant.jpg",  # 127.0.0.1 as one decimal number
                f"http://0x7f000001:{local.port}/plant.jpg",
                f"http://[::ffff:127.0.0.1]:{local.port}/plant.jpg",  # IPv4-mapped IPv6
            ]:
                out, err, code = self.import_picture(href)
                self.assertNotEqual(code, 0, href)
                self.assertIn("private or local address", out + err, href)
            self.assertEqual(local.server.hits, 0)

    def test_a_redirect_to_loopback_from_an_allowed_host_is_refused(self):
        with LocalServer() as local, override_settings(KHABAR_IMPORT_ALLOWED_HOSTS=["localhost"]):
            out, err, code = self.import_picture(f"http://localhost:{local.port}/to-loopback")
            self.assertNotEqual(code, 0)
            self.assertIn("private or local address", out + err)
            self.assertEqual(local.server.hits, 0)

    def test_an_operator_can_allow_private_addresses_so_the_refusal_is_the_check(self):
        with LocalServer() as local, override_settings(KHABAR_IMPORT_ALLOW_PRIVATE_URLS=True):
            out, err, code = self.import_picture(f"http://127.0.0.1:{local.port}/plant.jpg")
            self.assertEqual(code, 0, out + err)
            self.assertEqual(local.server.hits, 1)
            self.assertIsNotNone(self.imported().lead_image)


class PicturesFromFiles(PictureImportTestCase):
    def test_a_file_url_outside_the_items_folder_is_refused_like_a_missing_file(self):
        with tempfile.TemporaryDirectory() as elsewhere:
            outside = picture_file(Path(elsewhere), "secret.jpg")
            out, err, code = self.import_picture(outside.as_uri())
            refused = out + err
            self.assertNotEqual(code, 0)
            missing = Path(elsewhere) / "no-such.jpg"
            out2, err2, code2 = self.import_picture(missing.as_uri())
            absent = out2 + err2
            self.assertNotEqual(code2, 0)
        refused_line = refused.replace(outside.as_uri(), "HREF").replace(str(self.dir), "DIR")
        absent_line = absent.replace(missing.as_uri(), "HREF").replace(str(self.dir), "DIR")
        self.assertIn("cannot be read", refused_line)
        self.assertEqual(refused_line, absent_line)  # nothing tells whether /etc/… exists
        self.assertNotIn(elsewhere, refused_line.replace("HREF", ""))

    def test_etc_passwd_and_a_symlink_out_of_the_folder_are_refused(self):
        (self.dir / "link.jpg").symlink_to("/etc/passwd")
        for href in ["file:///etc/passwd", "link.jpg", "../../etc/passwd"]:
            out, err, code = self.import_picture(href)
            self.assertNotEqual(code, 0, href)
            self.assertIn("cannot be read", out + err, href)
            self.assertNotIn("root:", out + err, href)

    def test_a_file_url_inside_the_items_folder_works(self):
        inside = picture_file(self.dir, "plant.jpg")
        out, err, code = self.import_picture(inside.as_uri())
        self.assertEqual(code, 0, out + err)
        self.assertIsNotNone(self.imported().lead_image)
