"""The "Editorial review" workflow: submit, request changes, approve and publish, with notifications."""

from __future__ import annotations

from django.core import mail
from django.test import TestCase, override_settings
from django.urls import reverse
from wagtail.models import TaskState, WorkflowState

from khabar import testing
from khabar.newsroom import roles
from khabar.newsroom.testing import draft, person


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
class EditorialReviewTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")
        cls.reporter = person(roles.REPORTER)
        cls.editor = person(roles.EDITOR)
        cls.chief = person(roles.CHIEF_EDITOR)
        cls.moderator = person(roles.MODERATOR)

    def setUp(self):
        self.story = draft(self.section, "Water talks resume in Basra", self.reporter)

    def submit(self):
        with self.captureOnCommitCallbacks(execute=True):
            state = self.story.get_workflow().start(self.story, self.reporter)
        return state

    def act(self, user, action: str, comment: str = ""):
        state = WorkflowState.objects.get(
            base_content_type__isnull=False, object_id=str(self.story.pk), status="in_progress"
        )
        self.client.force_login(user)
        url = reverse("wagtailadmin_pages:workflow_action", args=(self.story.pk, action, state.current_task_state.pk))
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(url, {"comment": comment}), state

    def test_a_reporter_submission_notifies_editors_and_chief_editors_but_not_moderators(self):
        self.submit()
        recipients = {address for message in mail.outbox for address in message.to}
        self.assertIn(self.editor.email, recipients)
        self.assertIn(self.chief.email, recipients)
        self.assertNotIn(self.moderator.email, recipients)
        self.assertNotIn(self.reporter.email, recipients)
        self.assertTrue(any("Water talks resume in Basra" in m.subject for m in mail.outbox))

    def test_an_editor_requests_changes_with_a_comment_and_the_reporter_is_told(self):
        self.submit()
        mail.outbox.clear()
        response, state = self.act(self.editor, "reject", "Name the second source, please.")
        self.assertEqual(response.status_code, 302)
        state.refresh_from_db()
        self.assertEqual(state.status, WorkflowState.STATUS_NEEDS_CHANGES)
        task_state = TaskState.objects.filter(workflow_state=state).latest("pk")
        self.assertEqual(task_state.status, TaskState.STATUS_REJECTED)
        self.assertEqual(task_state.comment, "Name the second source, please.")
        self.assertEqual([m.to for m in mail.outbox], [[self.reporter.email]])
        self.story.refresh_from_db()
        self.assertFalse(self.story.live)

    def test_an_editor_approval_publishes_the_story_and_tells_the_reporter(self):
        self.submit()
        mail.outbox.clear()
        response, state = self.act(self.editor, "approve", "Good to go.")
        self.assertEqual(response.status_code, 302)
        state.refresh_from_db()
        self.assertEqual(state.status, WorkflowState.STATUS_APPROVED)
        self.story.refresh_from_db()
        self.assertTrue(self.story.live)
        self.assertIn(self.reporter.email, [address for m in mail.outbox for address in m.to])

    def test_a_reporter_cannot_approve_their_own_story(self):
        self.submit()
        response, state = self.act(self.reporter, "approve")
        # Wagtail's admin answers a PermissionDenied with a redirect and an error message.
        self.assertEqual(response.status_code, 302)
        messages = [str(m) for m in response.wsgi_request._messages]
        self.assertTrue(any("permission" in m for m in messages), messages)
        state.refresh_from_db()
        self.assertEqual(state.status, WorkflowState.STATUS_IN_PROGRESS)
        self.story.refresh_from_db()
        self.assertFalse(self.story.live)

    def test_a_resubmission_after_changes_goes_back_to_the_editors(self):
        self.submit()
        self.act(self.editor, "reject", "Shorter headline.")
        self.story.title = "Basra water talks resume"
        self.story.save_revision(user=self.reporter)
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            WorkflowState.objects.get(object_id=str(self.story.pk), status="needs_changes").resume(user=self.reporter)
        self.assertIn(self.editor.email, [address for m in mail.outbox for address in m.to])


class DashboardReviewListTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.reporter = person(roles.REPORTER)
        cls.editor = person(roles.EDITOR)
        for section_title, headline in (("Iraq News", "Water talks resume in Basra"), ("Sport", "Erbil wins the cup")):
            section = testing.section(section_title)
            story = draft(section, headline, cls.reporter)
            story.get_workflow().start(story, cls.reporter)

    def test_the_review_list_shows_each_storys_section_and_its_review_actions(self):
        from bs4 import BeautifulSoup

        self.client.force_login(self.editor)
        html = BeautifulSoup(self.client.get(reverse("wagtailadmin_home")).content, "html.parser")
        panel = html.find(id="awaiting-review-section")
        self.assertIsNotNone(panel)
        rows = {
            row.find("td", class_="title").get_text(strip=True): row.find("td", class_="review-section").get_text(
                strip=True
            )
            for row in panel.select("tbody tr")
        }
        self.assertEqual(rows, {"Water talks resume in Basra": "Iraq News", "Erbil wins the cup": "Sport"})
        buttons = [b.get_text(strip=True) for b in panel.select("button[data-workflow-action-url]")]
        self.assertIn("Approve", buttons)
        self.assertIn("Request changes", buttons)
