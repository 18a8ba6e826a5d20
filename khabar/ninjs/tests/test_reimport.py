"""A re-import of the same ninjs uri updates the article with a new revision; it never duplicates it,
and it never changes what readers see unless --publish is given."""

from __future__ import annotations

from khabar.news.models import ArticlePage
from khabar.ninjs.tests.helpers import item, run_import, write
from khabar.ninjs.tests.test_import import ImportTestCase

URI = item()["uri"]


class Reimport(ImportTestCase):
    def test_a_reimport_updates_the_same_article_with_a_new_revision(self):
        run_import(write(self.dir, "a.json", item()))
        page = ArticlePage.objects.get(source_uri=URI)
        revisions = page.revisions.count()
        out, _err, code = run_import(write(self.dir, "a.json", item(headlines=[{"value": "Basra plant opens early"}])))
        self.assertEqual(code, 0, out)
        self.assertIn("updated", out)
        self.assertEqual(ArticlePage.objects.filter(source_uri=URI).count(), 1)
        page.refresh_from_db()
        self.assertEqual(page.revisions.count(), revisions + 1)
        self.assertEqual(page.get_latest_revision_as_object().title, "Basra plant opens early")

    def test_the_same_file_twice_is_skipped_as_unchanged(self):
        path = write(self.dir, "a.json", item())
        run_import(path)
        page = ArticlePage.objects.get(source_uri=URI)
        revisions = page.revisions.count()
        out, _err, code = run_import(path)
        self.assertEqual(code, 0)
        self.assertIn(f"skipped {path}: unchanged since the last import (page {page.pk})", out)
        self.assertEqual(page.revisions.count(), revisions)

    def test_an_update_to_a_published_article_leaves_the_live_version_alone(self):
        run_import(write(self.dir, "a.json", item()), "--publish")
        doc = item(
            headlines=[{"value": "Changed headline"}],
            subjects=[{"name": "Elections"}],
            by="Someone Else",
            bodies=[{"contenttype": "text/html", "value": "<p>Changed body.</p>"}],
        )
        out, _err, _code = run_import(write(self.dir, "a.json", doc))
        self.assertIn("draft", out)
        live = ArticlePage.objects.get(source_uri=URI)
        self.assertTrue(live.live)
        self.assertTrue(live.has_unpublished_changes)
        self.assertEqual(live.title, "Basra opens a new water plant")
        self.assertIn("Friday", live.body[0].value.source)
        self.assertEqual(sorted(t.name for t in live.topics.all()), ["Infrastructure", "Water"])
        self.assertEqual([b.author.title for b in live.bylines.all()], ["Sara Ahmed"])
        draft = live.get_latest_revision_as_object()
        self.assertEqual(draft.title, "Changed headline")
        self.assertEqual([b.author.title for b in draft.bylines.all()], ["Someone Else"])

    def test_publish_publishes_the_update(self):
        run_import(write(self.dir, "a.json", item()), "--publish")
        run_import(write(self.dir, "a.json", item(headlines=[{"value": "Changed headline"}])), "--publish")
        live = ArticlePage.objects.get(source_uri=URI)
        self.assertEqual(live.title, "Changed headline")
        self.assertFalse(live.has_unpublished_changes)

    def test_an_unchanged_draft_is_published_when_asked(self):
        path = write(self.dir, "a.json", item())
        run_import(path)
        out, _err, _code = run_import(path, "--publish")
        self.assertIn("updated", out)
        self.assertTrue(ArticlePage.objects.get(source_uri=URI).live)

    def test_an_update_keeps_the_article_in_its_section(self):
        run_import(write(self.dir, "a.json", item()))
        first_parent = ArticlePage.objects.get(source_uri=URI).get_parent().pk
        run_import(write(self.dir, "a.json", item(subjects=[{"name": "Iraq News"}], headlines=[{"value": "New"}])))
        self.assertEqual(ArticlePage.objects.get(source_uri=URI).get_parent().pk, first_parent)

    def test_the_same_uri_in_another_language_is_not_moved(self):
        run_import(write(self.dir, "a.json", item()))
        out, _err, _code = run_import(write(self.dir, "a.json", item(language="ar")))
        self.assertIn("already imported into the en edition", out)
        self.assertEqual(ArticlePage.objects.filter(source_uri=URI).count(), 1)
