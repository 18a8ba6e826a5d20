"""Scheduled publishing: the loop publishes and unpublishes what is due; the health check
reports whatever is overdue; the page cache hears about embargoes that end."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO
from unittest import mock

from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings
from django.utils import timezone
from wagtail.models import Revision

from khabar import testing
from khabar.news import listing
from khabar.news.models import ArticlePage
from khabar.newsroom import scheduler
from khabar.newsroom.testing import draft, embargoed, person


def schedule(page, go_live_in: timedelta, user) -> Revision:
    """What an editor does: set a go-live time and press Publish (Wagtail then waits)."""
    page.go_live_at = timezone.now() + timedelta(hours=1)
    revision = page.save_revision(user=user)
    revision.publish(user=user)
    # Move the clock instead of waiting: the approved time and the revision's own go-live agree.
    when = timezone.now() + go_live_in
    revision.refresh_from_db()
    revision.content["go_live_at"] = when.isoformat()
    revision.approved_go_live_at = when
    revision.save(update_fields=["content", "approved_go_live_at"])
    return revision


class SchedulerTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")
        cls.editor = person("Editor")

    def test_an_approved_schedule_is_waiting_not_live(self):
        story = draft(self.section, "Budget vote at noon", self.editor)
        schedule(story, timedelta(minutes=30), self.editor)
        story.refresh_from_db()
        self.assertFalse(story.live)
        self.assertEqual(scheduler.run_due(force=True).published, 0)

    def test_the_scheduler_publishes_a_due_article(self):
        story = draft(self.section, "Budget vote at noon", self.editor)
        schedule(story, timedelta(seconds=-5), self.editor)
        report = scheduler.run_due(force=True)
        self.assertEqual(report.published, 1)
        story.refresh_from_db()
        self.assertTrue(story.live)
        self.assertFalse(Revision.objects.filter(approved_go_live_at__isnull=False).exists())
        self.assertEqual(self.client.get(story.url).status_code, 200)

    def test_the_scheduler_unpublishes_an_expired_article(self):
        story = testing.article(self.section, "Road closures this weekend")
        ArticlePage.objects.filter(pk=story.pk).update(expire_at=timezone.now() - timedelta(seconds=5))
        self.assertEqual(scheduler.run_due(force=True).unpublished, 1)
        story.refresh_from_db()
        self.assertFalse(story.live)
        self.assertTrue(story.expired)

    def test_a_second_process_skips_a_turn_another_just_took(self):
        scheduler.run_due()
        self.assertTrue(scheduler.run_due().skipped)
        later = timezone.now() + timedelta(seconds=scheduler.interval_seconds())
        self.assertFalse(scheduler.run_due(now=later).skipped)

    def test_a_failing_publish_is_logged_and_the_loop_goes_on(self):
        story = draft(self.section, "Budget vote at noon", self.editor)
        schedule(story, timedelta(seconds=-5), self.editor)
        with (
            mock.patch.object(scheduler, "call_command", side_effect=RuntimeError("database gone")),
            self.assertLogs("khabar.newsroom.scheduler", "ERROR"),
        ):
            report = scheduler.run_due(force=True)
        self.assertEqual(report.errors, ["publish_scheduled: database gone"])


class EmbargoEndPurgeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")

    @override_settings(KHABAR_PAGE_CACHE=True)
    def test_an_ended_embargo_purges_the_article_and_every_page_that_shows_it_once(self):
        story = embargoed(self.section, "Central bank cuts rates", hours=1)
        scheduler.run_due(force=True)  # first run: remembers when it ran
        ArticlePage.objects.filter(pk=story.pk).update(embargo_until=timezone.now() + timedelta(seconds=1))
        listing.refresh([story.pk])  # the test moves the embargo by rewriting it; a publish would refresh
        with mock.patch("khabar.core.signal_handlers._purge_dependencies") as purge_article:
            report = scheduler.run_due(now=timezone.now() + timedelta(minutes=1), force=True)
            self.assertEqual(report.embargoes_lifted, [story.pk])
            # The page cache's article purge: the story, its section, its edition home, its authors,
            # topics, feeds and sitemaps (ArticlePage.cache_dependencies).
            self.assertEqual([c.args[0].pk for c in purge_article.call_args_list], [story.pk])
            # Once only: the next run does not purge it again.
            purge_article.reset_mock()
            scheduler.run_due(now=timezone.now() + timedelta(minutes=2), force=True)
            purge_article.assert_not_called()

    def test_ended_embargoes_have_one_purge_path_and_scheduling_one_entry_point(self):
        from django.conf import settings

        from khabar.core import signal_handlers
        from khabar.newsroom.jobs import JOB_PATH

        # Other apps add their own jobs (e.g. newsletters); scheduled publishing is there exactly once.
        self.assertEqual([job["callable"] for job in settings.KHABAR_PERIODIC_JOBS].count(JOB_PATH), 1)
        self.assertEqual(
            [j for j in settings.KHABAR_PERIODIC_JOBS if j["callable"].startswith("khabar.newsroom.")],
            [{"callable": JOB_PATH, "every": settings.KHABAR_SCHEDULER_SECONDS}],
        )
        self.assertFalse(hasattr(signal_handlers, "purge_lifted_embargoes"))
        for gone in ("run_forever", "start_scheduler_thread", "stop_scheduler_thread"):
            self.assertFalse(hasattr(scheduler, gone), gone)
        with self.assertRaises(CommandError):
            call_command("scheduler", "--once")


class HealthCheckTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")
        cls.editor = person("Editor")

    def test_nothing_overdue_is_healthy(self):
        self.assertEqual(scheduler.overdue_schedules(), [])
        call_command("check_schedules", stdout=StringIO())
        response = self.client.get("/healthz/schedule")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["status"], "ok")
        self.assertEqual(response["Cache-Control"], "no-store")

    def test_a_go_live_missed_by_more_than_two_minutes_is_reported(self):
        story = draft(self.section, "Embargoed report on the dam", self.editor)
        schedule(story, timedelta(minutes=-3), self.editor)
        overdue = scheduler.overdue_schedules()
        self.assertEqual([(o.kind, o.object_id) for o in overdue], [("publish", str(story.pk))])
        out = StringIO()
        with self.assertRaisesMessage(CommandError, "1 scheduled change(s) overdue"):
            call_command("check_schedules", stdout=out)
        self.assertIn("Embargoed report on the dam", out.getvalue())
        response = self.client.get("/healthz/schedule")
        self.assertEqual(response.status_code, 503)
        body = json.loads(response.content)
        self.assertEqual((body["status"], body["overdue_publish"]), ("overdue", 1))
        self.assertNotIn("dam", response.content.decode())  # no headlines on a public URL
        scheduler.run_due(force=True)
        self.assertEqual(scheduler.overdue_schedules(), [])
        self.assertEqual(self.client.get("/healthz/schedule").status_code, 200)

    def test_a_go_live_due_a_minute_ago_is_not_yet_overdue(self):
        story = draft(self.section, "Budget vote", self.editor)
        schedule(story, timedelta(minutes=-1), self.editor)
        self.assertEqual(scheduler.overdue_schedules(), [])

    def test_a_page_still_live_after_its_expiry_is_reported(self):
        story = testing.article(self.section, "Weekend road closures")
        ArticlePage.objects.filter(pk=story.pk).update(expire_at=timezone.now() - timedelta(minutes=5))
        self.assertEqual([o.kind for o in scheduler.overdue_schedules()], ["expire"])
        self.assertEqual(self.client.get("/healthz/schedule").json()["overdue_expire"], 1)


class PeriodicJobTests(TestCase):
    def test_scheduled_publishing_is_registered_as_a_periodic_job(self):
        from django.conf import settings

        from khabar.newsroom.jobs import JOB_PATH

        self.assertIn(JOB_PATH, [job["callable"] for job in settings.KHABAR_PERIODIC_JOBS])

    def test_the_system_check_warns_when_the_job_is_missing(self):
        from khabar.newsroom.checks import scheduler_is_a_periodic_job

        self.assertEqual(scheduler_is_a_periodic_job(None), [])
        with override_settings(KHABAR_PERIODIC_JOBS=[]):
            self.assertEqual([w.id for w in scheduler_is_a_periodic_job(None)], ["newsroom.W001"])
        with override_settings(KHABAR_PERIODIC_JOBS=[], KHABAR_SCHEDULER=False):
            self.assertEqual(scheduler_is_a_periodic_job(None), [])

    def test_the_job_publishes_what_is_due(self):
        from khabar.newsroom import jobs

        section = testing.section("Iraq News", slug="iraq")
        editor = person("Editor")
        story = draft(section, "Budget vote at noon", editor)
        schedule(story, timedelta(seconds=-5), editor)
        jobs.publish_due()
        story.refresh_from_db()
        self.assertTrue(story.live)
