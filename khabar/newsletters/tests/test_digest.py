"""What a digest holds and when it goes: published stories only, never an embargoed one, a day with
nothing new skipped, the send time read in the newsroom's time zone, the optional most-read part."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core import mail
from django.test import TestCase, override_settings
from django.utils import timezone

from khabar import testing
from khabar.news.models import ArticlePage
from khabar.newsletters import digest
from khabar.newsletters import testing as nl
from khabar.newsletters.models import Issue, Kind
from khabar.newsletters.tasks import build_due_digests

STUB_CALLS = []


def stub_most_read(locale, since, limit):
    STUB_CALLS.append((locale.language_code, since, limit))
    return list(ArticlePage.objects.filter(title__startswith="Old").order_by("pk"))[:limit]


@override_settings(TIME_ZONE="Asia/Baghdad", KHABAR_DIGEST_MOST_READ="")
class DigestTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")
        now = timezone.now()
        cls.fresh = testing.article(cls.section, "Fresh story", published=now - timedelta(hours=2))
        cls.old = testing.article(cls.section, "Old story", published=now - timedelta(days=3))
        cls.embargoed = testing.article(cls.section, "Embargoed story", embargo_until=now + timedelta(hours=5))
        cls.draft = testing.article(cls.section, "Draft story", live=False)
        cls.daily = nl.newsletter(send_time=time(0, 0))
        nl.subscriber("reader@example.org", cls.daily)

    def test_the_digest_has_new_published_stories_only_and_is_mailed(self):
        build_due_digests.call()
        issue = Issue.objects.get(newsletter=self.daily)
        self.assertEqual(issue.article_ids, [self.fresh.pk])
        self.assertEqual(len(mail.outbox), 1)
        body = mail.outbox[0].body
        self.assertIn("Fresh story", body)
        for hidden in ("Old story", "Embargoed story", "Draft story"):
            self.assertNotIn(hidden, body)
        build_due_digests.call()  # later the same day: nothing more
        self.assertEqual(len(mail.outbox), 1)

    def test_a_story_out_of_embargo_is_in_the_next_digest(self):
        since = timezone.now() - timedelta(hours=1)
        later = timezone.now() + timedelta(hours=6)
        ArticlePage.objects.filter(pk=self.embargoed.pk).update(embargo_until=later - timedelta(hours=1))
        self.assertNotIn(self.embargoed.pk, digest.new_stories(self.daily, since, timezone.now()))

    def test_a_day_with_nothing_new_is_skipped(self):
        ArticlePage.objects.filter(pk=self.fresh.pk).update(first_published_at=timezone.now() - timedelta(days=2))
        build_due_digests.call()
        issue = Issue.objects.get(newsletter=self.daily)
        self.assertTrue(issue.skipped)
        self.assertEqual(mail.outbox, [])

    def test_the_send_time_is_the_newsrooms_local_time(self):
        self.daily.send_time = time(9, 0)
        zone = ZoneInfo("Asia/Baghdad")  # UTC+3
        before = datetime(2026, 12, 3, 8, 30, tzinfo=zone)
        after = datetime(2026, 12, 3, 9, 0, tzinfo=zone)
        self.assertFalse(digest.is_due(self.daily, before.astimezone(ZoneInfo("UTC"))))
        self.assertTrue(digest.is_due(self.daily, after.astimezone(ZoneInfo("UTC"))))
        # 06:00 UTC is 09:00 in Baghdad: due, although it is before 09:00 UTC.
        self.assertTrue(digest.is_due(self.daily, datetime(2026, 12, 3, 6, 0, tzinfo=ZoneInfo("UTC"))))
        self.daily.send_time = time(1, 0)
        issue = digest.build_issue(self.daily, datetime(2026, 12, 3, 22, 30, tzinfo=ZoneInfo("UTC")))
        self.assertEqual(str(issue.day), "2026-12-04")  # 01:30 the next day in Baghdad

    @override_settings(KHABAR_DIGEST_MOST_READ="khabar.newsletters.tests.test_digest.stub_most_read")
    def test_most_read_comes_from_the_configured_function(self):
        STUB_CALLS.clear()
        build_due_digests.call()
        self.assertEqual(STUB_CALLS[0][0], "en")
        self.assertEqual(STUB_CALLS[0][2], digest.MOST_READ_LIMIT)
        self.assertIn("This week’s most read", mail.outbox[0].body)
        self.assertIn("Old story", mail.outbox[0].body)

    @override_settings(KHABAR_DIGEST_MOST_READ="khabar.mostread.not_there.most_read")
    def test_a_missing_most_read_app_leaves_the_part_out(self):
        build_due_digests.call()
        self.assertNotIn("most read", mail.outbox[0].body)

    def test_the_job_is_a_periodic_job_enqueueing_the_task(self):
        from django.conf import settings

        from khabar.newsletters.jobs import JOB_PATH, send_due_digests

        self.assertIn(JOB_PATH, [job["callable"] for job in settings.KHABAR_PERIODIC_JOBS])
        send_due_digests()
        self.assertEqual(len(mail.outbox), 1)

    def test_a_section_digest_has_only_the_readers_sections(self):
        business = testing.section("Business", slug="business")
        testing.article(business, "Market story", published=timezone.now() - timedelta(hours=1))
        sections = nl.newsletter(kind=Kind.SECTIONS, send_time=time(0, 0))
        reader = nl.subscriber("sections@example.org", sections)
        reader.sections.set([business])
        build_due_digests.call()
        mine = [m for m in mail.outbox if m.to == ["sections@example.org"]][0]
        self.assertIn("Market story", mine.body)
        self.assertNotIn("Fresh story", mine.body)
