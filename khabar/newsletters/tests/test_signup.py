"""Subscribing from a cached page: double opt-in by a signed link, each outcome's message, limits."""

import re
from unittest import mock

from django.core import mail
from django.core.cache import cache
from django.test import Client, TestCase, override_settings

from khabar import testing
from khabar.newsletters.models import Status, Subscriber

SAME_SITE = {"HTTP_SEC_FETCH_SITE": "same-origin"}


def confirm_link(message) -> str:
    return re.search(r"http://\S+/newsletters/confirm/\S+/", message.body).group(0)


class SignupTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")
        cls.article = testing.article(cls.section, "Parliament passes the water budget")

    def setUp(self):
        cache.clear()

    def subscribe(self, client=None, **data):
        fields = {"email": "reader@example.org", "edition": "en", "daily": "on", **data}
        return (client or self.client).post("/en/newsletters/subscribe/", fields, **SAME_SITE)

    def test_the_form_is_on_articles_and_the_home_page_without_per_reader_data(self):
        for url in (self.article.url, "/en/"):
            first = self.client.get(url)
            self.assertContains(first, 'action="/en/newsletters/subscribe/"')
            self.assertNotContains(first, "csrfmiddlewaretoken")
            other = Client().get(url)
            self.assertEqual(first.content, other.content)

    def test_opt_in_sends_a_link_and_confirming_it_subscribes(self):
        response = self.subscribe(alerts="on")
        self.assertContains(response, "we have sent you an email")
        subscriber = Subscriber.objects.get(email="reader@example.org")
        self.assertEqual(subscriber.status, Status.PENDING)
        self.assertEqual(len(mail.outbox), 1)
        link = confirm_link(mail.outbox[0])
        path = link.split("://", 1)[1].split("/", 1)[1]
        response = self.client.get("/" + path)
        self.assertContains(response, "Your subscription is confirmed")
        subscriber.refresh_from_db()
        self.assertEqual(subscriber.status, Status.CONFIRMED)
        self.assertTrue(subscriber.daily and subscriber.alerts)
        self.assertFalse(subscriber.sections_digest)
        again = self.client.get("/" + path)
        self.assertContains(again, "already confirmed")

    def test_section_digest_keeps_the_chosen_sections(self):
        self.subscribe(daily="", sections_digest="on", sections=[str(self.section.pk)])
        path = "/" + confirm_link(mail.outbox[0]).split("://", 1)[1].split("/", 1)[1]
        self.client.get(path)
        subscriber = Subscriber.objects.get()
        self.assertEqual(list(subscriber.sections.values_list("pk", flat=True)), [self.section.pk])

    def test_expired_and_invalid_links_say_so(self):
        self.subscribe()
        path = "/" + confirm_link(mail.outbox[0]).split("://", 1)[1].split("/", 1)[1]
        with mock.patch("django.core.signing.time.time", return_value=10**10):
            expired = self.client.get(path)
        self.assertContains(expired, "has expired", status_code=400)
        broken = self.client.get(path.replace("/confirm/", "/confirm/x"))
        self.assertContains(broken, "not valid", status_code=400)
        self.assertEqual(Subscriber.objects.get().status, Status.PENDING)

    def test_invalid_input_gets_a_message_not_an_error(self):
        response = self.subscribe(email="not-an-email")
        self.assertContains(response, "valid email", status_code=400)
        nothing = self.subscribe(daily="")
        self.assertContains(nothing, "Choose at least one newsletter", status_code=400)
        foreign = self.subscribe(sections_digest="on", sections=["999999"])
        self.assertEqual(foreign.status_code, 400)
        self.assertEqual(Subscriber.objects.count(), 0)
        self.assertEqual(mail.outbox, [])

    @override_settings(KHABAR_NEWSLETTER_SIGNUPS_PER_HOUR=2)
    def test_sign_ups_are_rate_limited_by_address(self):
        for n in range(2):
            self.assertEqual(self.subscribe(email=f"r{n}@example.org").status_code, 200)
        response = self.subscribe(email="r9@example.org")
        self.assertContains(response, "Too many sign-ups", status_code=429)
        self.assertIn("Retry-After", response)

    def test_a_cross_site_post_without_token_is_refused(self):
        client = Client(enforce_csrf_checks=True)
        response = client.post(
            "/en/newsletters/subscribe/",
            {"email": "x@example.org", "edition": "en", "daily": "on"},
            HTTP_ORIGIN="https://evil.example",
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(Subscriber.objects.count(), 0)
