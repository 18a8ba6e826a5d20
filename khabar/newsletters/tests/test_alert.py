"""A breaking-news alert for one article: preview, test send to oneself, sent once, permission."""

from django.core import mail
from django.test import TestCase

from khabar import testing
from khabar.newsletters import testing as nl
from khabar.newsletters.models import Issue, Kind


class AlertTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        section = testing.section("Iraq News", slug="iraq")
        cls.story = testing.article(section, "Dam breaks north of Mosul")
        cls.alerts = nl.newsletter(kind=Kind.ALERTS)
        nl.subscriber("reader@example.org", cls.alerts)
        nl.subscriber("other@example.org", cls.alerts)
        cls.editor = testing.user("editor", groups=["Editor"])
        cls.reporter = testing.user("reporter", groups=["Reporter"])

    def url(self, suffix=""):
        return f"/admin/newsletters/alert/{self.story.pk}/{suffix}"

    def test_editors_hold_the_permission_and_reporters_do_not(self):
        self.assertTrue(self.editor.has_perm("newsletters.send_alert"))
        self.client.force_login(self.reporter)
        self.assertNotEqual(self.client.get(self.url()).status_code, 200)
        self.client.post(self.url(), {"action": "send"})
        self.assertFalse(Issue.objects.exists())

    def test_the_page_header_links_to_the_alert(self):
        self.client.force_login(self.editor)
        page = self.client.get(f"/admin/pages/{self.story.pk}/edit/")
        self.assertContains(page, self.url())

    def test_preview_shows_the_email(self):
        self.client.force_login(self.editor)
        self.assertContains(self.client.get(self.url()), "goes to 2 confirmed subscribers")
        preview = self.client.get(self.url("preview/"))
        self.assertContains(preview, "Dam breaks north of Mosul")
        self.assertIn("sandbox", preview["Content-Security-Policy"])

    def test_test_send_goes_to_the_editor_only_and_sends_nothing_else(self):
        self.client.force_login(self.editor)
        self.client.post(self.url(), {"action": "test"})
        self.assertEqual([m.to for m in mail.outbox], [["editor@example.org"]])
        self.assertIn("[Test]", mail.outbox[0].subject)
        self.assertFalse(Issue.objects.exists())

    def test_sending_twice_is_refused(self):
        self.client.force_login(self.editor)
        self.client.post(self.url(), {"action": "send"})
        self.assertEqual(sorted(m.to[0] for m in mail.outbox), ["other@example.org", "reader@example.org"])
        again = self.client.post(self.url(), {"action": "send"}, follow=True)
        self.assertContains(again, "already sent")
        self.assertEqual(len(mail.outbox), 2)
        self.assertEqual(Issue.objects.count(), 1)

    def test_an_unpublished_story_cannot_be_alerted(self):
        draft = testing.article(self.story.get_parent().specific, "Not yet", live=False)
        self.client.force_login(self.editor)
        response = self.client.post(f"/admin/newsletters/alert/{draft.pk}/", {"action": "send"})
        self.assertNotEqual(response.status_code, 200)  # 404 (the admin sends an unknown URL on to /en/…)
        self.assertFalse(Issue.objects.exists())
