"""Sending through a real SMTP server started by the test (aiosmtpd): headers, both parts, bounces,
bounded retries, no second send on a retry, and a constant number of queries per batch."""

from datetime import time, timedelta

from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from khabar import testing
from khabar.newsletters import testing as nl
from khabar.newsletters.models import Delivery, Issue, Status, Subscriber
from khabar.newsletters.sending import send_batch
from khabar.newsletters.tasks import start_issue


class SmtpSendingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        section = testing.section("Iraq News", slug="iraq")
        cls.story = testing.article(
            section, "Fresh story", lead_image=testing.image(), published=timezone.now() - timedelta(hours=1)
        )
        cls.daily = nl.newsletter(send_time=time(0, 0))

    def setUp(self):
        self.controller, self.inbox, port = nl.smtp_server()
        self.addCleanup(self.controller.stop)
        self.settings_override = override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_USE_TLS=False,
            KHABAR_NEWSLETTER_MAX_ATTEMPTS=3,
        )
        self.settings_override.enable()
        self.addCleanup(self.settings_override.disable)

    def issue(self) -> Issue:
        return Issue.objects.create(
            newsletter=self.daily, day=timezone.localdate(), subject="Daily news", article_ids=[self.story.pk]
        )

    def test_the_server_receives_both_parts_and_the_unsubscribe_headers(self):
        nl.subscriber("reader@example.org", self.daily)
        start_issue(self.issue())
        self.assertEqual(len(self.inbox.messages), 1)
        recipients, message = self.inbox.messages[0]
        self.assertEqual(recipients, ["reader@example.org"])
        unsubscribe = message["List-Unsubscribe"]
        self.assertRegex(unsubscribe, r"^<http://127\.0\.0\.1:8000/en/newsletters/unsubscribe/[^>]+/>$")
        self.assertEqual(message["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        self.assertIn("Fresh story", text)
        self.assertIn(self.story.url, text)
        self.assertIn('lang="en" dir="ltr"', html)
        self.assertRegex(html, r'<img src="http://[^"]+" alt="[^"]+seen from a rooftop"')
        self.assertNotIn("track", html.lower())
        self.assertEqual(Delivery.objects.get().state, Delivery.State.SENT)

    @override_settings(KHABAR_NEWSLETTER_UNSUBSCRIBE_MAILTO="unsubscribe@example.org")
    def test_a_mailto_is_added_when_configured(self):
        nl.subscriber("reader@example.org", self.daily)
        start_issue(self.issue())
        self.assertRegex(self.inbox.messages[0][1]["List-Unsubscribe"], r">, <mailto:unsubscribe@example\.org\?")

    def test_a_refused_address_is_marked_bounced_and_never_retried(self):
        gone = nl.subscriber("gone@example.org", self.daily)
        nl.subscriber("reader@example.org", self.daily)
        self.inbox.refuse.add("gone@example.org")
        issue = self.issue()
        start_issue(issue)
        gone.refresh_from_db()
        self.assertEqual(gone.status, Status.BOUNCED)
        delivery = Delivery.objects.get(subscriber=gone)
        self.assertEqual((delivery.state, delivery.attempts), (Delivery.State.BOUNCED, 1))
        self.assertEqual([r for r, _m in self.inbox.messages], [["reader@example.org"]])
        self.assertEqual(Subscriber.objects.receiving(self.daily).count(), 1)

    def test_a_transient_failure_is_retried_a_bounded_number_of_times(self):
        later = nl.subscriber("later@example.org", self.daily)
        self.inbox.defer.add("later@example.org")
        start_issue(self.issue())
        delivery = Delivery.objects.get(subscriber=later)
        self.assertEqual((delivery.state, delivery.attempts), (Delivery.State.FAILED, 3))
        later.refresh_from_db()
        self.assertEqual(later.status, Status.CONFIRMED)

    def test_a_retried_batch_never_sends_twice(self):
        reader = nl.subscriber("reader@example.org", self.daily)
        issue = self.issue()
        start_issue(issue)
        send_batch(issue.pk, [reader.pk])
        start_issue(issue)
        self.assertEqual(len(self.inbox.messages), 1)

    def test_queries_for_a_batch_do_not_grow_with_subscribers(self):
        def cost(count: int, offset: int) -> int:
            ids = [nl.subscriber(f"r{offset + n}@example.org", self.daily).pk for n in range(count)]
            issue = Issue.objects.create(
                newsletter=self.daily,
                day=timezone.localdate() - timedelta(days=offset),
                subject="Daily",
                article_ids=[self.story.pk],
            )
            Delivery.objects.bulk_create([Delivery(issue=issue, subscriber_id=pk) for pk in ids])
            self.story.lead_image.get_rendition("fill-600x338")  # made once, outside the count
            with CaptureQueriesContext(connection) as queries:
                send_batch(issue.pk, ids)
            return len(queries)

        cost(1, 50)  # warms the per-process caches (sites, navigation) that any first send fills
        small, large = cost(2, 100), cost(12, 200)
        self.assertEqual(small, large)
        self.assertEqual(len(self.inbox.messages), 15)
