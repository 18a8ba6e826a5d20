"""An autosave racing the editor's own Publish, Save schedule or Submit (issue: a publish undone
by an autosave that read the page first; two creates of one new page, a 500 on the slug).

Each write to a page through the admin's page views takes its turn: while one runs, a second
writer of that page cannot start (so it reads the page only once the first has committed).
The tests look from another database connection, as the racing request would, while the view
is in the middle of writing. TransactionTestCase: the other connection must see committed rows.
"""

from __future__ import annotations

from unittest import mock

from django.db import OperationalError, connection
from django.test import TransactionTestCase
from django.urls import reverse
from wagtail.admin.forms.pages import WagtailAdminPageForm

from khabar import testing
from khabar.news.models import ArticlePage
from khabar.newsroom.testing import draft, person, restore_roles
from khabar.newsroom.tests.test_article_form import form_data

JSON = {"HTTP_ACCEPT": "application/json"}


def another_writer_can_start(page_id: int) -> bool:
    """Whether a second request could start changing ``page_id`` right now (without waiting)."""
    other = connection.copy()
    try:
        with other.cursor() as cursor:
            if other.vendor == "sqlite":
                cursor.execute("PRAGMA busy_timeout = 0")
                cursor.execute("BEGIN IMMEDIATE")
            else:
                cursor.execute("BEGIN")
                cursor.execute("SELECT id FROM wagtailcore_page WHERE id = %s FOR UPDATE NOWAIT", [page_id])
            cursor.execute("ROLLBACK")
        return True
    except OperationalError:
        return False
    finally:
        other.close()


class PageEditsInTurnTests(TransactionTestCase):
    def setUp(self):
        testing.restore_wagtail_roots()
        restore_roles()
        self.section = testing.section("Iraq News", slug="iraq")
        self.writer = testing.author("Layla Hassan")
        self.editor = person("Editor")
        self.client.force_login(self.editor)

    def watch_writes(self, page_id: int) -> list[bool]:
        """While the view checks the posted form against the page it read (before Wagtail's own
        transaction for the save begins: the gap a racing request used), record whether another
        writer of ``page_id`` could start."""
        seen: list[bool] = []
        original = WagtailAdminPageForm.clean

        def clean(form):
            seen.append(another_writer_can_start(page_id))
            return original(form)

        patcher = mock.patch.object(WagtailAdminPageForm, "clean", autospec=True, side_effect=clean)
        patcher.start()
        self.addCleanup(patcher.stop)
        return seen

    def test_an_autosave_holds_the_page_so_a_publish_cannot_interleave(self):
        story = draft(self.section, "Dam opens", self.editor, authors=[self.writer])
        seen = self.watch_writes(story.pk)
        url = reverse("wagtailadmin_pages:edit", args=(story.pk,))
        response = self.client.post(url, form_data(story, title="Dam opens (autosaved)"), **JSON)
        self.assertEqual(response.status_code, 200, response.content[:300])
        self.assertEqual(seen, [False])

    def test_a_stale_autosave_after_a_publish_is_refused_and_the_story_stays_live(self):
        story = draft(self.section, "Dam opens", self.editor, authors=[self.writer])
        loaded = story.latest_revision
        url = reverse("wagtailadmin_pages:edit", args=(story.pk,))
        published = self.client.post(url, form_data(story, **{"action-publish": "1"}))
        self.assertEqual(published.status_code, 302)
        # The autosave the editor's browser started from the revision it had loaded, arriving last.
        stale = form_data(story, title="Old words", loaded_revision_id=str(loaded.pk))
        stale["loaded_revision_created_at"] = loaded.created_at.isoformat()
        response = self.client.post(url, stale, **JSON)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["error_code"], "invalid_revision")
        story.refresh_from_db()
        self.assertTrue(story.live)
        self.assertIsNotNone(story.live_revision_id)
        self.assertEqual(story.title, "Dam opens")

    def test_creating_a_page_holds_its_parent_so_a_second_create_waits(self):
        seen = self.watch_writes(self.section.pk)
        url = reverse("wagtailadmin_pages:add", args=("news", "articlepage", self.section.pk))
        story = ArticlePage(title="Dam opens", slug="dam-opens")
        story.bylines.add(type(story).bylines.rel.related_model(author=self.writer))
        response = self.client.post(url, form_data(story), **JSON)
        self.assertEqual(response.status_code, 200, response.content[:300])
        self.assertEqual(seen, [False])

    def test_a_second_create_of_the_same_slug_is_a_form_error_not_a_500(self):
        url = reverse("wagtailadmin_pages:add", args=("news", "articlepage", self.section.pk))
        story = ArticlePage(title="Dam opens", slug="dam-opens")
        story.bylines.add(type(story).bylines.rel.related_model(author=self.writer))
        first = self.client.post(url, form_data(story), **JSON)
        self.assertEqual(first.status_code, 200, first.content[:300])
        second = self.client.post(url, form_data(story, **{"go_live_at": ""}))
        self.assertEqual(second.status_code, 200)
        self.assertContains(second, "already in use")
        self.assertEqual(ArticlePage.objects.filter(slug="dam-opens").count(), 1)

    def test_readers_pages_are_not_held(self):
        story = testing.article(self.section, "Dam opens", authors=[self.writer])
        self.client.logout()
        with mock.patch("khabar.newsroom.middleware.transaction.atomic") as atomic:
            self.assertEqual(self.client.get(story.url).status_code, 200)
        atomic.assert_not_called()
