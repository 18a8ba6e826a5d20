"""The article form's cross-field checks and time zone, and the admin refusing crafted publishes."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Revision
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from khabar import testing
from khabar.news.models import ArticlePage
from khabar.newsroom.testing import DeskTestCase, draft, person

LOCAL = "%Y-%m-%d %H:%M"


def form_data(page: ArticlePage, **changes) -> dict:
    """What the admin edit form posts for ``page``, with ``changes`` applied."""
    values = {
        "title": page.title,
        "slug": page.slug,
        "standfirst": page.standfirst,
        "dateline": "",
        "lead_caption": "",
        "body": streamfield([("paragraph", rich_text("<p>The vote came after midnight.</p>"))]),
        "topics": "",
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
        "updated_at": "",
        "embargo_until": "",
        "comment_mode": "",
        "reactions_enabled": "on",
        "comments": inline_formset([]),
        "bylines": inline_formset([{"author": page.bylines.first().author_id, "role": ""}]),
        "related_links": inline_formset([]),
        "corrections": inline_formset([]),
        "live_updates": inline_formset([]),
    }
    values.update(changes)
    return nested_form_data(values)


def local(dt: datetime) -> str:
    return timezone.localtime(dt).strftime(LOCAL)


class ArticleFormTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")
        cls.writer = testing.author("Layla Hassan")
        cls.editor = person("Editor")

    def setUp(self):
        self.story = testing.article(self.section, "Power cuts in Basra", authors=[self.writer])

    def form(self, **changes):
        form_class = ArticlePage.get_edit_handler().get_form_class()
        return form_class(
            form_data(self.story, **changes), instance=self.story, parent_page=self.section, for_user=self.editor
        )

    def test_the_unchanged_form_is_valid(self):
        form = self.form()
        self.assertTrue(form.is_valid(), form.errors)

    def test_an_expiry_before_the_go_live_is_refused(self):
        soon = timezone.now() + timedelta(days=2)
        form = self.form(go_live_at=local(soon), expire_at=local(soon - timedelta(days=1)))
        self.assertFalse(form.is_valid())
        self.assertIn("expire_at", form.errors)

    def test_an_expiry_equal_to_the_go_live_is_refused(self):
        soon = local(timezone.now() + timedelta(days=2))
        form = self.form(go_live_at=soon, expire_at=soon)
        self.assertFalse(form.is_valid())
        self.assertIn("must come after the go-live", str(form.errors["expire_at"]))

    def test_an_embargo_in_the_past_is_refused(self):
        form = self.form(embargo_until=local(timezone.now() - timedelta(hours=1)))
        self.assertFalse(form.is_valid())
        self.assertIn("An embargo must end in the future.", form.errors["embargo_until"])

    def test_an_expiry_before_the_embargo_ends_is_refused(self):
        form = self.form(
            embargo_until=local(timezone.now() + timedelta(days=2)), expire_at=local(timezone.now() + timedelta(days=1))
        )
        self.assertFalse(form.is_valid())
        self.assertIn("never be seen", str(form.errors["expire_at"]))

    @override_settings(TIME_ZONE="Asia/Baghdad", WAGTAIL_USER_TIME_ZONES=["Asia/Baghdad"])
    def test_a_time_typed_without_a_zone_is_read_in_the_newsrooms_zone(self):
        timezone.activate(ZoneInfo("Asia/Baghdad"))
        self.addCleanup(timezone.deactivate)
        form = self.form(go_live_at="2031-03-01 09:00")
        self.assertTrue(form.is_valid(), form.errors)
        self.assertEqual(form.cleaned_data["go_live_at"], datetime(2031, 3, 1, 6, 0, tzinfo=ZoneInfo("UTC")))
        self.assertIn("Asia/Baghdad", str(form.fields["go_live_at"].help_text))

    def test_a_naive_time_that_bypassed_the_field_is_refused(self):
        form = self.form()
        self.assertTrue(form.is_valid())
        form.cleaned_data["embargo_until"] = datetime(2031, 1, 1, 9, 0)  # what code skipping to_python would give
        form._errors = None
        form.clean()
        self.assertIn("This time has no time zone; give one.", form.errors["embargo_until"])

    def test_every_schedule_field_says_which_time_zone_it_is_in(self):
        form = self.form()
        for name in ("go_live_at", "expire_at", "embargo_until"):
            self.assertIn("newsroom's time zone", str(form.fields[name].help_text))

    def test_live_updates_are_saved_newest_first_whatever_order_they_were_typed_in(self):
        now = timezone.now()
        updates = [
            {"posted_at": local(now - timedelta(hours=2)), "text": "Fire reported"},
            {"posted_at": local(now - timedelta(minutes=10)), "text": "Fire under control"},
            {"posted_at": local(now - timedelta(hours=1)), "text": "Roads closed"},
        ]
        form = self.form(is_developing="on", live_updates=inline_formset(updates))
        self.assertTrue(form.is_valid(), form.errors)
        page = form.save(commit=False)
        page.save_revision().publish()
        story = ArticlePage.objects.get(pk=self.story.pk)
        self.assertEqual(
            [u.text for u in story.live_updates.all()], ["Fire under control", "Roads closed", "Fire reported"]
        )
        body = self.client.get(story.url).content.decode()
        self.assertLess(body.index("Developing story"), body.index("The vote came after midnight."))
        self.assertLess(body.index("Fire under control"), body.index("Roads closed"))
        self.assertLess(body.index("Roads closed"), body.index("Fire reported"))


class CraftedPublishTests(DeskTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.reporter = person("Reporter")

    def test_a_reporter_posting_action_publish_is_refused_and_nothing_changes(self):
        story = draft(self.section, "Draft on the dam", self.reporter, authors=[self.writer])
        revisions = Revision.objects.count()
        self.client.force_login(self.reporter)
        url = reverse("wagtailadmin_pages:edit", args=(story.pk,))
        response = self.client.post(url, form_data(story, title="Published by a trick", **{"action-publish": "1"}))
        self.assertEqual(response.status_code, 403)
        self.assertIn("You may not publish this page", response.content.decode())
        story.refresh_from_db()
        self.assertFalse(story.live)
        self.assertEqual(story.title, "Draft on the dam")
        self.assertEqual(Revision.objects.count(), revisions)

    def test_a_reporter_posting_action_publish_on_create_is_refused(self):
        self.client.force_login(self.reporter)
        url = reverse("wagtailadmin_pages:add", args=("news", "articlepage", self.section.pk))
        response = self.client.post(url, {"title": "Sneaky", "action-publish": "1"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(ArticlePage.objects.filter(title="Sneaky").exists())

    def test_a_reporter_can_still_save_a_draft(self):
        story = draft(self.section, "Draft on the dam", self.reporter, authors=[self.writer])
        self.client.force_login(self.reporter)
        url = reverse("wagtailadmin_pages:edit", args=(story.pk,))
        response = self.client.post(url, form_data(story, title="Draft on the dam, revised"))
        self.assertEqual(response.status_code, 302)
        story.refresh_from_db()
        self.assertEqual(story.get_latest_revision_as_object().title, "Draft on the dam, revised")

    def test_a_reporter_submits_for_review_from_the_admin(self):
        story = draft(self.section, "Draft on the dam", self.reporter, authors=[self.writer])
        self.client.force_login(self.reporter)
        url = reverse("wagtailadmin_pages:edit", args=(story.pk,))
        response = self.client.post(url, form_data(story, **{"action-submit": "1"}))
        self.assertEqual(response.status_code, 302)
        story.refresh_from_db()
        self.assertTrue(story.workflow_in_progress)
        self.assertFalse(story.live)

    def test_a_reporter_cannot_unpublish_or_delete_a_live_story_by_posting_to_the_admin(self):
        story = testing.article(self.section, "Live story", authors=[self.writer], owner=self.reporter)
        self.client.force_login(self.reporter)
        self.client.post(reverse("wagtailadmin_pages:unpublish", args=(story.pk,)))
        self.client.post(reverse("wagtailadmin_pages:delete", args=(story.pk,)))
        story.refresh_from_db()
        self.assertTrue(story.live)


class AdminTimeZoneTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")
        cls.editor = person("Editor")
        cls.story = testing.article(cls.section, "Power cuts in Basra", authors=[testing.author("Layla Hassan")])

    def test_the_edit_page_says_which_time_zone_the_schedule_is_in(self):
        self.client.force_login(self.editor)
        response = self.client.get(reverse("wagtailadmin_pages:edit", args=(self.story.pk,)))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, f"Times are in the newsroom&#x27;s time zone, {settings.TIME_ZONE}.", count=3)


class EmptyBodyTests(TestCase):
    """A story needs a body to be submitted or published; a draft may still be saved without one."""

    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")
        cls.writer = testing.author("Layla Hassan")
        cls.reporter = person("Reporter")
        cls.editor = person("Editor")

    def post_edit(self, user, story, **action):
        self.client.force_login(user)
        url = reverse("wagtailadmin_pages:edit", args=(story.pk,))
        return self.client.post(url, form_data(story, body=streamfield([]), **action))

    def test_a_draft_without_a_body_is_saved(self):
        story = draft(self.section, "Draft on the dam", self.reporter, authors=[self.writer])
        response = self.post_edit(self.reporter, story)
        self.assertEqual(response.status_code, 302)
        story.refresh_from_db()
        self.assertEqual(len(story.get_latest_revision_as_object().body), 0)

    def test_a_story_without_a_body_cannot_be_submitted_for_review(self):
        story = draft(self.section, "Draft on the dam", self.reporter, authors=[self.writer])
        response = self.post_edit(self.reporter, story, **{"action-submit": "1"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "A story needs a body before it can be submitted or published.")
        story.refresh_from_db()
        self.assertFalse(story.workflow_in_progress)

    def test_a_story_without_a_body_cannot_be_published(self):
        story = draft(self.section, "Draft on the dam", self.reporter, authors=[self.writer])
        response = self.post_edit(self.editor, story, **{"action-publish": "1"})
        self.assertContains(response, "A story needs a body before it can be submitted or published.")
        story.refresh_from_db()
        self.assertFalse(story.live)

    def test_a_live_story_whose_body_is_emptied_is_not_republished(self):
        story = testing.article(self.section, "Live story", authors=[self.writer])
        response = self.post_edit(self.editor, story, **{"action-publish": "1"})
        self.assertContains(response, "A story needs a body before it can be submitted or published.")
        story.refresh_from_db()
        self.assertEqual(len(story.body), 1)

    def test_a_new_story_without_a_body_cannot_be_published_on_creation(self):
        self.client.force_login(self.editor)
        url = reverse("wagtailadmin_pages:add", args=("news", "articlepage", self.section.pk))
        template = testing.article(self.section, "Template", authors=[self.writer], live=False)
        data = form_data(template, title="Empty story", slug="empty-story", body=streamfield([]))
        data["action-publish"] = "1"
        response = self.client.post(url, data)
        self.assertContains(response, "A story needs a body before it can be submitted or published.")
        self.assertFalse(ArticlePage.objects.filter(title="Empty story").exists())

    def test_approving_a_story_in_review_whose_body_was_emptied_is_refused(self):
        story = draft(self.section, "Draft on the dam", self.reporter, authors=[self.writer])
        story.get_workflow().start(story, self.reporter)
        response = self.post_edit(
            self.editor, story, **{"action-workflow-action": "1", "workflow-action-name": "approve"}
        )
        self.assertContains(response, "A story needs a body before it can be submitted or published.")
        story.refresh_from_db()
        self.assertFalse(story.live)

    def test_the_message_is_translated_to_arabic(self):
        from django.utils import translation

        from khabar.news.forms import NEEDS_BODY

        with translation.override("ar"):
            self.assertNotEqual(str(NEEDS_BODY), "A story needs a body before it can be submitted or published.")

    def test_bulk_publishing_a_story_without_a_body_is_refused(self):
        story = draft(self.section, "Draft on the dam", self.reporter, authors=[self.writer])
        self.post_edit(self.reporter, story)  # a draft whose body was emptied
        self.client.force_login(self.editor)
        url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish")) + f"?id={story.pk}"
        response = self.client.post(url, {"include_descendants": ""})
        self.assertEqual(response.status_code, 403)
        self.assertIn("A story needs a body", response.content.decode())
        story.refresh_from_db()
        self.assertFalse(story.live)

    def test_bulk_publishing_a_section_with_its_drafts_refuses_one_without_a_body(self):
        story = draft(self.section, "Draft on the dam", self.reporter, authors=[self.writer])
        self.post_edit(self.reporter, story)
        self.client.force_login(self.editor)
        url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish")) + f"?id={self.section.pk}"
        response = self.client.post(url, {"include_descendants": "on"})
        self.assertEqual(response.status_code, 403)
        story.refresh_from_db()
        self.assertFalse(story.live)

    def test_bulk_publishing_a_story_with_a_body_still_works(self):
        story = draft(self.section, "Draft on the dam", self.reporter, authors=[self.writer])
        self.client.force_login(self.editor)
        url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish")) + f"?id={story.pk}"
        response = self.client.post(url, {"include_descendants": ""})
        self.assertEqual(response.status_code, 302)
        story.refresh_from_db()
        self.assertTrue(story.live)


@override_settings(TIME_ZONE="Asia/Baghdad")
class ScheduleInPlainSightTests(DeskTestCase):
    """Scheduling is one visible step: the times are in the Settings tab (not a dialog behind the
    status panel), in the newsroom's time zone, in five-minute steps; then Publish schedules."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.editor = person("Editor")

    def test_the_settings_tab_shows_the_schedule_fields_and_no_schedule_dialog(self):
        from bs4 import BeautifulSoup

        story = draft(self.section, "Budget day", self.editor, authors=[self.writer])
        self.client.force_login(self.editor)
        html = BeautifulSoup(
            self.client.get(reverse("wagtailadmin_pages:edit", args=(story.pk,))).content, "html.parser"
        )
        self.assertIsNone(html.find(id="schedule-publishing-dialog"))
        settings_tab = html.find(id="tab-settings")
        for name in ("go_live_at", "expire_at", "embargo_until"):
            field = settings_tab.find("input", attrs={"name": name})
            self.assertIsNotNone(field, name)
        self.assertIn("Asia/Baghdad", settings_tab.get_text())
        self.assertIn('"step": 5', str(settings_tab))

    def test_a_go_live_time_and_publish_schedule_the_story(self):
        story = draft(self.section, "Budget day", self.editor, authors=[self.writer])
        when = timezone.localtime(timezone.now() + timedelta(hours=2))
        self.client.force_login(self.editor)
        data = form_data(story, go_live_at=when.strftime(LOCAL))
        data["action-publish"] = "1"
        response = self.client.post(reverse("wagtailadmin_pages:edit", args=(story.pk,)), data, follow=True)
        self.assertContains(response, "has been scheduled for publishing")
        story.refresh_from_db()
        self.assertFalse(story.live)
        self.assertEqual(story.status_string, "scheduled")
        self.assertEqual(timezone.localtime(story.go_live_at).strftime(LOCAL), when.strftime(LOCAL))
