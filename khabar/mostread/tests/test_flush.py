from datetime import UTC, datetime, timedelta
from unittest import mock

from django.test import TestCase
from django.utils import timezone

from khabar.mostread import counters, jobs
from khabar.mostread.models import ArticleViewsDay, ArticleViewsHour
from khabar.mostread.tests.helpers import ViewFixtures


class FlushTests(ViewFixtures, TestCase):
    def test_the_flush_adds_counts_per_hour_and_empties_the_counters(self):
        now = timezone.now()
        earlier = now - timedelta(hours=2)
        for _ in range(3):
            counters.count_view(self.article.pk, now)
        counters.count_view(self.article.pk, earlier)
        jobs.flush_views()
        counters.count_view(self.article.pk, now)
        jobs.flush_views()
        jobs.flush_views()  # nothing new: nothing added
        rows = dict(ArticleViewsHour.objects.filter(article=self.article).values_list("hour", "views"))
        hour = datetime.fromtimestamp(counters.hour_of(now), tz=UTC)
        self.assertEqual(rows, {hour: 4, hour - timedelta(hours=2): 1})

    def test_views_of_an_article_unpublished_before_the_flush_are_dropped(self):
        counters.count_view(self.embargoed.pk, timezone.now())
        jobs.flush_views()
        self.assertFalse(ArticleViewsHour.objects.exists())

    def test_old_hourly_detail_is_rolled_up_per_day_and_dropped(self):
        old = datetime(2026, 1, 5, 10, tzinfo=UTC)
        ArticleViewsHour.objects.create(article=self.article, hour=old, views=4)
        ArticleViewsHour.objects.create(article=self.article, hour=old + timedelta(hours=3), views=6)
        recent = timezone.now().replace(minute=0, second=0, microsecond=0)
        ArticleViewsHour.objects.create(article=self.article, hour=recent, views=2)
        jobs.flush_views()
        self.assertEqual(list(ArticleViewsHour.objects.values_list("hour", "views")), [(recent, 2)])
        self.assertEqual(list(ArticleViewsDay.objects.values_list("day", "views")), [(old.date(), 10)])

    def test_a_failed_write_gives_the_views_back(self):
        counters.count_view(self.article.pk, timezone.now())
        with mock.patch.object(jobs, "_upsert", side_effect=RuntimeError("database away")):
            with self.assertRaises(RuntimeError):
                jobs.flush_views()
        self.assertEqual(self.flushed(self.article), 1)
