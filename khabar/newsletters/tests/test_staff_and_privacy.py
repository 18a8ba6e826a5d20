"""Staff list, export (formula-safe CSV) and delete subscribers; a reader downloads and deletes their own data."""

import csv
import io
import json
import re

from django.core import mail
from django.core.cache import cache
from django.test import TestCase

from khabar import testing
from khabar.newsletters import testing as nl
from khabar.newsletters.admin_views import safe_cell
from khabar.newsletters.models import Kind, Subscriber


class StaffSubscriberTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.daily = nl.newsletter(kind=Kind.DAILY)
        cls.arabic = nl.newsletter("ar", kind=Kind.ALERTS)
        nl.subscriber("=HYPERLINK(1)@example.org", cls.daily)
        nl.subscriber("qarie@example.org", cls.arabic)
        cls.chief = testing.user("chief", groups=["Chief Editor"])
        cls.reporter = testing.user("reporter", groups=["Reporter"])

    def test_the_list_by_newsletter_and_edition(self):
        self.client.force_login(self.chief)
        page = self.client.get("/admin/reports/subscribers/", {"locale": self.arabic.locale_id})
        self.assertContains(page, "qarie@example.org")
        self.assertNotContains(page, "HYPERLINK")
        page = self.client.get("/admin/reports/subscribers/", {"newsletter": self.daily.pk})
        self.assertContains(page, "HYPERLINK")
        self.assertNotContains(page, "qarie@example.org")

    def test_csv_export_cannot_run_formulas(self):
        self.client.force_login(self.chief)
        response = self.client.get("/admin/reports/subscribers/", {"export": "csv"})
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
        emails = {row[0] for row in rows[1:]}
        self.assertEqual(emails, {"'=HYPERLINK(1)@example.org", "qarie@example.org"})
        self.assertEqual(safe_cell("+1"), "'+1")
        self.assertEqual(safe_cell("@SUM"), "'@SUM")
        self.assertEqual(safe_cell("plain"), "plain")

    def test_staff_delete_a_subscriber_on_request_and_others_may_not(self):
        target = Subscriber.objects.get(email="qarie@example.org")
        self.client.force_login(self.reporter)
        self.client.post(f"/admin/reports/subscribers/{target.pk}/delete/")
        self.assertTrue(Subscriber.objects.filter(pk=target.pk).exists())
        self.client.force_login(self.chief)
        self.assertContains(self.client.get(f"/admin/reports/subscribers/{target.pk}/delete/"), "qarie@example.org")
        self.client.post(f"/admin/reports/subscribers/{target.pk}/delete/")
        self.assertFalse(Subscriber.objects.filter(pk=target.pk).exists())


class ReaderPrivacyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        nl.subscriber("reader@example.org", nl.newsletter(kind=Kind.DAILY))

    def setUp(self):
        cache.clear()

    def link(self) -> str:
        self.client.post("/en/newsletters/privacy/", {"email": "Reader@example.org"})
        return re.search(r"http://[^/]+(/\S+/)", mail.outbox[-1].body).group(1)

    def test_the_same_answer_for_unknown_addresses(self):
        response = self.client.post("/en/newsletters/privacy/", {"email": "nobody@example.org"})
        self.assertContains(response, "If we hold a subscription")
        self.assertEqual(mail.outbox, [])

    def test_download_and_delete_by_the_emailed_link(self):
        path = self.link()
        self.assertContains(self.client.get(path), "reader@example.org")
        data = json.loads(self.client.get(path + "export.json").content)
        self.assertEqual(data["subscriptions"][0]["email"], "reader@example.org")
        self.assertTrue(data["subscriptions"][0]["daily_digest"])
        self.assertContains(self.client.post(path + "delete/"), "have been deleted")
        self.assertFalse(Subscriber.objects.exists())

    def test_a_bad_link_is_refused(self):
        self.assertEqual(self.client.get("/en/newsletters/privacy/nonsense/").status_code, 400)
