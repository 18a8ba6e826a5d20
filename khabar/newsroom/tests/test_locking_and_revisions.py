"""Page locking against concurrent edits, and revision compare/restore, for editors."""

from __future__ import annotations

from django.conf import settings
from django.test import TestCase
from django.urls import reverse
from wagtail.models import Revision

from khabar import testing
from khabar.news.models import ArticlePage
from khabar.newsroom.testing import draft, person
from khabar.newsroom.tests.test_article_form import form_data


class LockingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")
        cls.writer = testing.author("Layla Hassan")
        cls.editor = person("Editor")
        cls.reporter = person("Reporter")

    def setUp(self):
        self.story = draft(self.section, "Draft on the dam", self.reporter, authors=[self.writer])

    def lock_as(self, user):
        self.client.force_login(user)
        return self.client.post(reverse("wagtailadmin_pages:lock", args=(self.story.pk,)))

    def test_an_editor_can_lock_a_page(self):
        self.lock_as(self.editor)
        self.story.refresh_from_db()
        self.assertTrue(self.story.locked)
        self.assertEqual(self.story.locked_by, self.editor)

    def test_a_reporter_cannot_lock_even_their_own_page(self):
        self.lock_as(self.reporter)
        self.story.refresh_from_db()
        self.assertFalse(self.story.locked)

    def test_a_reporter_cannot_edit_a_page_an_editor_locked(self):
        self.lock_as(self.editor)
        revisions = Revision.objects.count()
        self.client.force_login(self.reporter)
        self.story.refresh_from_db()
        self.assertTrue(self.story.permissions_for_user(self.reporter).page_locked())
        self.client.post(
            reverse("wagtailadmin_pages:edit", args=(self.story.pk,)), form_data(self.story, title="Overwritten")
        )
        self.assertEqual(Revision.objects.count(), revisions)
        self.assertEqual(
            ArticlePage.objects.get(pk=self.story.pk).get_latest_revision().content["title"], "Draft on the dam"
        )

    def test_the_editor_who_locked_it_can_unlock_it(self):
        self.lock_as(self.editor)
        self.client.post(reverse("wagtailadmin_pages:unlock", args=(self.story.pk,)))
        self.story.refresh_from_db()
        self.assertFalse(self.story.locked)


class RevisionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")
        cls.editor = person("Editor")
        cls.reporter = person("Reporter")
        cls.story = testing.article(cls.section, "First headline")
        cls.first = cls.story.get_latest_revision()
        cls.story.title = "Second headline"
        cls.second = cls.story.save_revision()
        cls.second.publish()

    def test_an_editor_can_compare_and_restore_revisions(self):
        self.client.force_login(self.editor)
        urls = [
            reverse("wagtailadmin_pages:history", args=(self.story.pk,)),
            reverse("wagtailadmin_pages:revisions_compare", args=(self.story.pk, self.first.pk, self.second.pk)),
            reverse("wagtailadmin_pages:revisions_revert", args=(self.story.pk, self.first.pk)),
        ]
        for url in urls:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
        self.assertContains(self.client.get(urls[1]), '<span class="deletion">First</span>')

    def test_a_reporter_cannot_see_the_history_of_someone_elses_story(self):
        self.client.force_login(self.reporter)
        response = self.client.get(
            reverse("wagtailadmin_pages:revisions_compare", args=(self.story.pk, self.first.pk, self.second.pk))
        )
        self.assertNotEqual(response.status_code, 200)

    def test_mass_deletion_and_reapproval_are_configured(self):
        self.assertTrue(settings.WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT)
        self.assertGreaterEqual(settings.WAGTAILADMIN_UNSAFE_PAGE_DELETION_LIMIT, 1)
