"""Bad ninjs input: a clear message per file, nothing half-imported, the rest of the batch still imported."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.test import override_settings

from khabar.core.models import NewsImage
from khabar.news.models import ArticlePage
from khabar.ninjs.tests.helpers import item, picture_file, run_import, write
from khabar.ninjs.tests.test_import import ImportTestCase

URI = item()["uri"]


class ReportsAndNothingHalfMade(ImportTestCase):
    def assertFailed(self, out: str, code: int, *fragments: str) -> None:
        self.assertEqual(code, 1, out)
        self.assertIn("failed", out)
        for fragment in fragments:
            self.assertIn(fragment, out)
        self.assertFalse(ArticlePage.objects.filter(source_uri=URI).exists())

    def test_no_headline(self):
        out, _err, code = run_import(write(self.dir, "a.json", item(headlines=None)))
        self.assertFailed(out, code, "a.json", "no headline")

    def test_an_empty_headline(self):
        out, _err, code = run_import(write(self.dir, "a.json", item(headlines=[{"value": "   "}])))
        self.assertFailed(out, code, "no headline")

    def test_a_headline_too_long_for_a_page_title(self):
        out, _err, code = run_import(write(self.dir, "a.json", item(headlines=[{"value": "x" * 300}])))
        self.assertFailed(out, code, "/headlines", "300 characters, over 255")

    def test_wrong_types_name_the_json_pointer(self):
        out, _err, code = run_import(write(self.dir, "a.json", item(headlines=[{"value": 42}], urgency="high")))
        self.assertFailed(
            out, code, "not valid ninjs 2.x", "/headlines/0/value: 42 is not of type 'string'", "/urgency"
        )

    def test_an_unknown_field_is_reported_as_the_schema_forbids_it(self):
        out, _err, code = run_import(write(self.dir, "a.json", item(body_html="<p>ninjs 1.x</p>")))
        self.assertFailed(out, code, "Unevaluated properties are not allowed ('body_html' was unexpected)")

    def test_a_bad_date_names_the_field(self):
        out, _err, code = run_import(write(self.dir, "a.json", item(firstcreated="yesterday")))
        self.assertFailed(out, code, "/firstcreated: 'yesterday' is not a 'date-time'")

    def test_no_uri(self):
        out, _err, code = run_import(write(self.dir, "a.json", item(uri=None)))
        self.assertEqual(code, 1)
        self.assertIn("'uri' is a required property", out)

    def test_a_json_array_of_strings_is_not_an_item(self):
        out, _err, code = run_import(write(self.dir, "a.json", ["just text"]))
        self.assertEqual(code, 1)
        self.assertIn("a.json[0]: a ninjs item must be a JSON object, not str", out)

    def test_invalid_json_names_line_and_column(self):
        text = json.dumps(item(), indent=2).replace('"type": "text",', '"type": "text"')
        out, _err, code = run_import(write(self.dir, "a.json", text))
        self.assertFailed(out, code, "invalid JSON at line 4, column 3: Expecting ',' delimiter")

    def test_not_utf8(self):
        out, _err, code = run_import(write(self.dir, "a.json", b'{"uri": "\xff"}'))
        self.assertFailed(out, code, "not UTF-8 text")

    def test_an_empty_file(self):
        out, _err, code = run_import(write(self.dir, "a.json", ""))
        self.assertFailed(out, code, "invalid JSON at line 1, column 1")

    def test_a_50_mb_file_is_refused_before_it_is_read(self):
        path = self.dir / "huge.json"
        with path.open("wb") as handle:  # a sparse file: 50 MB on paper, instant to make
            handle.truncate(50 * 1024 * 1024)
        with mock.patch("pathlib.Path.read_bytes") as read:
            out, _err, code = run_import(path)
        read.assert_not_called()
        self.assertFailed(out, code, "huge.json: file is 50.0 MB, over the 32.0 MB limit; not read")

    @override_settings(KHABAR_NINJS_MAX_BODY_BYTES=4096)
    def test_a_body_over_the_limit_is_refused_before_parsing(self):
        doc = item(bodies=[{"contenttype": "text/html", "value": "<p>" + "word " * 2000 + "</p>"}])
        with mock.patch("khabar.ninjs.mapping.body_blocks") as parse:
            out, _err, code = run_import(write(self.dir, "a.json", doc))
        parse.assert_not_called()
        self.assertFailed(out, code, "/bodies: the body is 0.0 MB, over the 0.0 MB limit; not parsed")

    def test_a_missing_path_is_reported(self):
        out, _err, code = run_import(self.dir / "nowhere.json")
        self.assertEqual(code, 1)
        self.assertIn("nowhere.json: no such file or folder", out)

    def test_one_bad_file_never_stops_the_batch(self):
        write(self.dir, "feed/1-bad.json", "{not json")
        write(self.dir, "feed/2-good.json", item())
        write(self.dir, "feed/3-fr.json", item(uri="urn:fr", language="fr"))
        out, _err, code = run_import(self.dir / "feed")
        self.assertEqual(code, 1)
        self.assertIn("1-bad.json: invalid JSON at line 1, column 2", out)
        self.assertIn("created", out)
        self.assertIn("3-fr.json: language fr has no edition", out)
        self.assertIn("1 created, 0 updated, 1 skipped, 1 failed", out)
        self.assertTrue(ArticlePage.objects.filter(source_uri=URI).exists())


class OneTransactionPerItem(ImportTestCase):
    def test_a_failure_mid_item_rolls_back_its_pictures_pages_and_files(self):
        # A media folder of its own: parallel test processes write pictures to the shared one.
        media_root = tempfile.mkdtemp(prefix="khabar-ninjs-media-")
        self.addCleanup(shutil.rmtree, media_root, ignore_errors=True)
        with self.settings(MEDIA_ROOT=media_root):
            self._fail_mid_item()

    def _fail_mid_item(self):
        picture_file(self.dir, "plant.jpg")
        pic = {
            "name": "featureimage", "uri": "urn:pic", "type": "picture", "copyrightnotice": "Photo via Wire",
            "renditions": [{"name": "original", "href": "plant.jpg"}],
        }  # fmt: skip
        media = Path(settings.MEDIA_ROOT) / "original_images"
        files_before = set(os.listdir(media)) if media.exists() else set()
        images_before = NewsImage.objects.count()
        # The byline step comes after the picture is stored: make it blow up.
        with (
            mock.patch("khabar.ninjs.importer.Importer.author", side_effect=RuntimeError("disk on fire")),
            self.assertLogs("khabar.ninjs.importer", "ERROR"),
        ):
            out, _err, code = run_import(write(self.dir, "a.json", item(associations=[pic], by="New Person")))
        self.assertEqual(code, 1)
        self.assertIn("a.json: unexpected error: disk on fire", out)
        self.assertEqual(NewsImage.objects.count(), images_before)
        self.assertEqual(set(os.listdir(media)) if media.exists() else set(), files_before)
        self.assertFalse(ArticlePage.objects.filter(source_uri=URI).exists())

    def test_the_next_item_still_imports_after_a_failure(self):
        write(self.dir, "feed/a.json", item(uri="urn:a"))
        write(self.dir, "feed/b.json", item(uri="urn:b"))
        real = __import__("khabar.ninjs.importer", fromlist=["Importer"]).Importer.create
        calls = []

        def flaky(self, article, *args, **kwargs):
            calls.append(article.uri)
            if article.uri == "urn:a":
                raise RuntimeError("boom")
            return real(self, article, *args, **kwargs)

        with (
            mock.patch("khabar.ninjs.importer.Importer.create", flaky),
            self.assertLogs("khabar.ninjs.importer", "ERROR"),
        ):
            out, _err, code = run_import(self.dir / "feed")
        self.assertEqual(calls, ["urn:a", "urn:b"])
        self.assertFalse(ArticlePage.objects.filter(source_uri="urn:a").exists())
        self.assertTrue(ArticlePage.objects.filter(source_uri="urn:b").exists())
        self.assertEqual(code, 1)


class MoreBadInput(ImportTestCase):
    def test_a_uri_longer_than_the_source_id_field_is_refused(self):
        out, _err, code = run_import(write(self.dir, "a.json", item(uri="urn:" + "x" * 600)))
        self.assertEqual(code, 1)
        self.assertIn("/uri: 604 characters, over the 500 Khabar keeps", out)

    @override_settings(KHABAR_NINJS_MAX_FILE_BYTES=2048)
    def test_stdin_over_the_limit_is_refused_unparsed(self):
        out, _err, code = run_import("-", stdin=json.dumps(item(ednote="x" * 5000)).encode())
        self.assertEqual(code, 1)
        self.assertIn("<stdin>: input is over the 0.0 MB limit; not parsed", out)

    def test_a_hostile_headline_is_plain_text(self):
        doc = item(headlines=[{"contenttype": "text/html", "value": "<b>Big</b> news<script>alert(1)</script>"}])
        run_import(write(self.dir, "a.json", doc))
        self.assertEqual(ArticlePage.objects.get(source_uri=URI).title, "Big news")
