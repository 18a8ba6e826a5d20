"""Unsubscribing with one click: the GET page only asks, the POST (RFC 8058, no CSRF token, no login) does it."""

from django.test import Client, TestCase

from khabar.newsletters import testing as nl
from khabar.newsletters import tokens
from khabar.newsletters.models import Kind, Status


class UnsubscribeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.reader = nl.subscriber("reader@example.org", nl.newsletter(kind=Kind.DAILY))

    def url(self):
        return f"/en/newsletters/unsubscribe/{tokens.unsubscribe_token(self.reader)}/"

    def test_get_shows_a_button_and_changes_nothing(self):
        response = self.client.get(self.url())
        self.assertContains(response, '<button type="submit" class="button">Unsubscribe</button>', html=True)
        self.assertNotIn("login", response.content.decode().lower())
        self.reader.refresh_from_db()
        self.assertEqual(self.reader.status, Status.CONFIRMED)

    def test_one_click_post_from_a_mail_client_unsubscribes_without_csrf_token(self):
        client = Client(enforce_csrf_checks=True)
        response = client.post(
            self.url(), "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        )
        self.assertContains(response, "You are unsubscribed")
        self.reader.refresh_from_db()
        self.assertEqual(self.reader.status, Status.UNSUBSCRIBED)
        self.assertContains(client.post(self.url()), "already unsubscribed")

    def test_a_forged_token_is_refused(self):
        forged = self.url().replace("/unsubscribe/", "/unsubscribe/9")
        self.assertEqual(Client(enforce_csrf_checks=True).post(forged).status_code, 400)
        self.reader.refresh_from_db()
        self.assertEqual(self.reader.status, Status.CONFIRMED)
