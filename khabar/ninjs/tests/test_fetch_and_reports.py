"""Pictures fetched over http(s) within size and time limits; stdin, JSON lines, folders and their progress bar."""

from __future__ import annotations

import io
import json
from unittest import mock

from django.test import override_settings

from khabar.news.models import ArticlePage
from khabar.ninjs.tests.helpers import PictureServer, item, picture_file, run_import, write
from khabar.ninjs.tests.test_import import ImportTestCase


def picture(href: str) -> dict:
    return {
        "name": "featureimage",
        "uri": "urn:pic:1",
        "type": "picture",
        "copyrightnotice": "Photo via Wire Agency",
        "renditions": [{"name": "thumbnail", "href": href + "?thumb", "width": 10}, {"name": "original", "href": href}],
    }


class FetchingPictures(ImportTestCase):
    def setUp(self):
        super().setUp()
        picture_file(self.dir / "www", "plant.jpg")
        self.server = PictureServer(self.dir / "www")
        self.server.__enter__()
        self.addCleanup(self.server.__exit__)

    def test_an_http_rendition_is_fetched_from_the_server(self):
        out, _err, code = run_import(
            write(self.dir, "a.json", item(associations=[picture(self.server.url + "/plant.jpg")]))
        )
        self.assertEqual(code, 0, out)
        self.assertEqual(ArticlePage.objects.get(source_uri=item()["uri"]).lead_image.width, 320)

    def test_a_404_names_the_url_and_status(self):
        url = self.server.url + "/gone.jpg"
        out, _err, code = run_import(write(self.dir, "a.json", item(associations=[picture(url)])))
        self.assertEqual(code, 1)
        self.assertIn(f"picture {url}: HTTP 404", out)

    @override_settings(KHABAR_NINJS_MAX_PICTURE_BYTES=1024 * 1024)
    def test_a_response_over_the_size_limit_is_cut_off(self):
        url = self.server.url + "/huge"
        out, _err, code = run_import(write(self.dir, "a.json", item(associations=[picture(url)])))
        self.assertEqual(code, 1)
        self.assertIn(f"picture {url} is over the 1.0 MB limit", out)

    @override_settings(KHABAR_NINJS_MAX_PICTURE_BYTES=2048)
    def test_a_declared_content_length_over_the_limit_is_refused_before_reading(self):
        url = self.server.url + "/plant.jpg"
        out, _err, code = run_import(write(self.dir, "a.json", item(associations=[picture(url)])))
        self.assertEqual(code, 1)
        self.assertRegex(out, r"picture http://127\.0\.0\.1:\d+/plant\.jpg is 0\.0 MB, over the 0\.0 MB limit")

    @override_settings(KHABAR_NINJS_FETCH_TIMEOUT=1)
    def test_a_slow_server_is_given_up_on_after_the_time_limit(self):
        url = self.server.url + "/slow"
        out, _err, code = run_import(write(self.dir, "a.json", item(associations=[picture(url)])))
        self.assertEqual(code, 1)
        self.assertIn(f"picture {url} took longer than 1 seconds", out)

    def test_an_unsupported_scheme_is_refused(self):
        out, _err, code = run_import(write(self.dir, "a.json", item(associations=[picture("ftp://example.org/p.jpg")])))
        self.assertEqual(code, 1)
        self.assertIn("unsupported URL scheme", out)


class InputsAndReports(ImportTestCase):
    def test_stdin_takes_one_item(self):
        out, _err, code = run_import("-", stdin=json.dumps(item()).encode())
        self.assertEqual(code, 0, out)
        self.assertIn("created <stdin>: page", out)

    def test_stdin_takes_json_lines_and_names_the_bad_line(self):
        lines = [json.dumps(item(uri="urn:1")), "{broken", json.dumps(item(uri="urn:3"))]
        out, _err, code = run_import("-", stdin="\n".join(lines).encode())
        self.assertEqual(code, 1)
        self.assertIn("created <stdin>:1", out)
        self.assertIn("failed <stdin>:2: invalid JSON at line 2, column 2", out)
        self.assertIn("created <stdin>:3", out)

    def test_a_relative_picture_from_stdin_is_explained(self):
        pic = picture("plant.jpg")
        out, _err, code = run_import("-", stdin=json.dumps(item(associations=[pic])).encode())
        self.assertIn(
            "picture plant.jpg cannot be read: no such file in the item's folder", out
        )  # stdin: the current folder

    def test_a_folder_is_read_recursively_with_a_progress_bar_on_stderr(self):
        write(self.dir, "feed/a.json", item(uri="urn:a"))
        write(self.dir, "feed/deeper/b.json", item(uri="urn:b"))
        write(self.dir, "feed/notes.txt", "not ninjs")
        stderr = io.StringIO()
        with mock.patch("sys.stderr", stderr):
            out, _err, code = run_import(self.dir / "feed")
        self.assertEqual(code, 0, out)
        self.assertIn(f"created {self.dir / 'feed/a.json'}", out)
        self.assertIn(f"created {self.dir / 'feed/deeper/b.json'}", out)
        self.assertNotIn("notes.txt", out)
        self.assertIn("2 created, 0 updated, 0 skipped, 0 failed", out)
        self.assertRegex(stderr.getvalue(), r"ninjs: .*0/2 \[")  # tqdm's bar, counting the folder's 2 files

    def test_a_single_file_shows_no_progress_bar(self):
        stderr = io.StringIO()
        with mock.patch("sys.stderr", stderr):
            run_import(write(self.dir, "a.json", item()))
        self.assertEqual(stderr.getvalue(), "")
