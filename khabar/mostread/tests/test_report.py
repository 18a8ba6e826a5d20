from datetime import UTC, datetime

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from khabar import testing
from khabar.mostread.models import ArticleViewsDay, ArticleViewsHour
from khabar.mostread.tests.helpers import ViewFixtures


class MostReadReportTests(ViewFixtures, TestCase):
    def test_editors_see_views_per_article_over_24_hours_7_days_and_in_all(self):
        now = timezone.now().replace(minute=0, second=0, microsecond=0)
        ArticleViewsHour.objects.create(article=self.article, hour=now, views=5)
        ArticleViewsHour.objects.create(article=self.article, hour=now - timezone.timedelta(days=3), views=7)
        ArticleViewsDay.objects.create(article=self.article, day=datetime(2026, 1, 2, tzinfo=UTC).date(), views=100)
        ArticleViewsHour.objects.create(article=self.other, hour=now, views=2)
        self.client.force_login(testing.user("chief", superuser=True))
        response = self.client.get(reverse("mostread_report"))
        self.assertEqual(response.status_code, 200)
        rows = {row.title: (row.day_views, row.week_views, row.all_views) for row in response.context["object_list"]}
        self.assertEqual(rows, {self.article.title: (5, 12, 112), self.other.title: (2, 2, 2)})
        export = self.client.get(reverse("mostread_report") + "?export=csv")
        csv = b"".join(export.streaming_content).decode()
        self.assertIn("Views, last 24 hours", csv)

    def test_the_report_is_refused_without_the_permission(self):
        self.client.force_login(testing.user("reporter", groups=["Reporters"]))
        self.assertIn(self.client.get(reverse("mostread_report")).status_code, (302, 403))
