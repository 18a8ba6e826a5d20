"""IPTC's own ninjs 2.x validation suite (iptc/newsinjson validation/test_suite, MIT): the valid text items
import; the valid items that are not stories are skipped or refused with a reason; the invalid ones are
reported with the schema's words, never a crash."""

from __future__ import annotations

from pathlib import Path

from khabar.news.models import ArticlePage
from khabar.ninjs.tests.helpers import run_import
from khabar.ninjs.tests.test_import import ImportTestCase

SUITE = Path(__file__).resolve().parent / "iptc_suite"  # a verbatim copy, see SOURCE.md there

# Valid ninjs stories with a headline: they become articles.
IMPORTED = [
    "2.0/should_pass/001_ninjs_example.json",
    "2.0/should_pass/004_headlines.json",
    "2.0/should_pass/006_genre.json",
    "2.0/should_pass/007_trust_indicator.json",
    "2.1/should_pass/001_ninjs_example.json",
    "2.1/should_pass/004_headlines.json",
    "2.1/should_pass/014_expires.json",
]
# Valid ninjs, but no headline (so no article) or a picture rather than a story.
NOT_ARTICLES = {
    "2.0/should_pass/003_schema_only.json": "no headline",
    "2.1/should_pass/012_subject_confidence_relevance.json": "no headline",
    "2.2/should_pass/001_good_digital_source.json": "no headline",
    "2.1/should_pass/010_geojson.json": "a picture item, not a text story",
}
INVALID = {
    "2.0/should_fail/001_bad_toplevel.json": "('random' was unexpected)",
    "2.0/should_fail/001_bad_geojson.json": "/places/0/geojson",
    "2.1/should_fail/001_bad_association.json": "('incorrectproperty' was unexpected)",
    "2.1/should_fail/002_good_association_but_no_name.json": "/associations/0: 'name' is a required property",
    "2.1/should_fail/003_good_association_but_no_uri.json": "/associations/0: 'uri' is a required property",
    "2.1/should_fail/004_bad_rights.json": "/rightsinfo",
    "2.2/should_fail/001_bad_digital_source.json": "/digitalsourcetype: 'bad' is not of type 'object'",
}


class IptcSuite(ImportTestCase):
    def test_the_valid_stories_import_without_error(self):
        out, _err, code = run_import(*[SUITE / name for name in IMPORTED])
        self.assertEqual(code, 0, out)
        self.assertEqual(out.count("\ncreated ") + out.startswith("created "), len(IMPORTED), out)
        self.assertTrue(ArticlePage.objects.filter(title="Test of ninjs 2.1 properties").exists())

    def test_valid_items_that_are_not_stories_are_explained(self):
        for name, reason in NOT_ARTICLES.items():
            with self.subTest(name):
                out, _err, _code = run_import(SUITE / name)
                self.assertIn(reason, out)

    def test_the_invalid_files_are_reported_not_crashed_on(self):
        for name, message in INVALID.items():
            with self.subTest(name):
                out, _err, code = run_import(SUITE / name)
                self.assertEqual(code, 1)
                self.assertIn(f"failed {SUITE / name}: not valid ninjs 2.x", out)
                self.assertIn(message, out)
                self.assertNotIn("unexpected error", out)
