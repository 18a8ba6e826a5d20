"""What the admin says after a review action or an embargoed publish, and where an embargo shows."""

from __future__ import annotations

import json
from datetime import timedelta

from django.contrib.messages import get_messages
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail.models import WorkflowState

from khabar import testing
from khabar.news.models import ArticlePage
from khabar.newsroom import roles
from khabar.newsroom.testing import DeskTestCase, draft, embargoed, person
from khabar.newsroom.tests.test_article_form import form_data


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend", TIME_ZONE="Asia/Baghdad")
class ReviewMessageTests(DeskTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.reporter = person(roles.REPORTER)
        cls.editor = testing.user("samira", groups=[roles.EDITOR])
        cls.editor.first_name, cls.editor.last_name = "Samira", "Kareem"
        cls.editor.save()

    def setUp(self):
        self.story = draft(self.section, "Water talks resume in Basra", self.reporter, authors=[self.writer])
        self.story.get_workflow().start(self.story, self.reporter)

    def review(self, action: str, comment: str = ""):
        self.client.force_login(self.editor)
        data = form_data(self.story)
        data.update({"action-workflow-action": "1", "workflow-action-name": action})
        if comment:
            data["workflow-action-extra-data"] = json.dumps({"comment": comment})
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(reverse("wagtailadmin_pages:edit", args=(self.story.pk,)), data)

    def test_approving_with_edits_says_the_new_version_is_still_in_review(self):
        # The form posts a body with new block ids, so Wagtail sees an edit: it saves a new version
        # before approving the submitted one, and the new version needs approval (re-approval on edit).
        response = self.review("approve")
        self.assertEqual(response.status_code, 302)
        self.assertFalse(ArticlePage.objects.get(pk=self.story.pk).live)
        (message,) = said(response)
        self.assertIn("were saved as a new version, which needs approval too", message)

    def test_approving_the_submitted_version_says_it_is_published(self):
        from django.contrib.messages.storage.fallback import FallbackStorage
        from django.test import RequestFactory

        from khabar.newsroom.wagtail_hooks import say_what_an_edit_did

        state = WorkflowState.objects.get(object_id=str(self.story.pk), status="in_progress")
        state.current_task_state.approve(user=self.editor)  # what the edit view's Approve does, unedited
        story = ArticlePage.objects.get(pk=self.story.pk)
        self.assertTrue(story.live)
        request = RequestFactory().post("/", {"action-workflow-action": "1", "workflow-action-name": "approve"})
        request.session, request.user = {}, self.editor
        request._messages = FallbackStorage(request)
        from django.contrib import messages

        messages.success(request, "Page 'Water talks resume in Basra' has been updated.")
        say_what_an_edit_did(request, story)
        self.assertEqual(
            [str(m) for m in request._messages], ["'Water talks resume in Basra' is approved and published."]
        )

    def test_request_changes_says_so_and_the_reporter_reads_the_comment_in_the_editor(self):
        response = self.review("reject", "Name the second source, please.")
        self.assertEqual(
            said(response),
            [
                "Changes requested on 'Water talks resume in Basra'. The reporter sees your comment when they open the story."
            ],
        )
        self.client.force_login(self.reporter)
        page = self.client.get(reverse("wagtailadmin_pages:edit", args=(self.story.pk,)))
        self.assertContains(page, "Changes requested by Samira Kareem: “Name the second source, please.”")

    def test_the_editors_comment_is_shown_as_text_not_markup(self):
        self.review("reject", "<script>alert(1)</script> Fix the <b>date</b>.")
        self.client.force_login(self.reporter)
        page = self.client.get(reverse("wagtailadmin_pages:edit", args=(self.story.pk,)))
        self.assertContains(page, "&lt;script&gt;alert(1)&lt;/script&gt; Fix the &lt;b&gt;date&lt;/b&gt;.")
        self.assertNotContains(page, "<script>alert(1)</script>")

    def test_a_story_not_sent_back_shows_no_requested_changes(self):
        self.client.force_login(self.reporter)
        page = self.client.get(reverse("wagtailadmin_pages:edit", args=(self.story.pk,)))
        self.assertNotContains(page, "Changes requested by")


@override_settings(TIME_ZONE="Asia/Baghdad")
class EmbargoStatusTests(DeskTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.editor = person(roles.EDITOR)

    def test_an_embargoed_live_story_is_listed_as_embargoed_not_live(self):
        story = embargoed(self.section, "Budget figures", authors=[self.writer])
        self.assertTrue(story.status_string.startswith("embargoed until "))
        self.assertIn("(Asia/Baghdad)", story.status_string)
        self.client.force_login(self.editor)
        listing = self.client.get(reverse("wagtailadmin_explore", args=(self.section.pk,)))
        self.assertContains(listing, "embargoed until")

    def test_once_the_embargo_has_passed_the_story_is_live_again(self):
        story = testing.article(
            self.section, "Old embargo", authors=[self.writer], embargo_until=timezone.now() - timedelta(minutes=1)
        )
        self.assertEqual(story.status_string, "live")

    def test_publishing_under_embargo_says_when_the_story_appears(self):
        story = draft(self.section, "Budget figures", self.editor, authors=[self.writer])
        until = timezone.localtime(timezone.now() + timedelta(hours=3))
        self.client.force_login(self.editor)
        data = form_data(story, embargo_until=until.strftime("%Y-%m-%d %H:%M"))
        data["action-publish"] = "1"
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("wagtailadmin_pages:edit", args=(story.pk,)), data)
        self.assertEqual(response.status_code, 302)
        (message,) = said(response)
        self.assertIn("'Budget figures' is embargoed until", message)
        self.assertIn("it appears nowhere before then", message)
        self.assertNotIn("has been published", message)
