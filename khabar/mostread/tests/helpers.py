"""Shared set-up: an edition with articles in every state a page view can meet."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from khabar import testing
from khabar.mostread import jobs
from khabar.mostread.models import ArticleViewsHour
from khabar.news.models import ArticlePage

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
BEACON = {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_USER_AGENT": BROWSER, "REMOTE_ADDR": "192.0.2.10"}


class ViewFixtures:
    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")
        cls.sport = testing.section("Sport", slug="sport")
        cls.article = testing.article(cls.section, "Parliament passes the water budget")
        cls.other = testing.article(cls.section, "Basra port reopens")
        cls.match = testing.article(cls.sport, "Erbil win the cup")
        cls.draft = testing.article(cls.section, "A story still in draft", live=False)
        ArticlePage.objects.filter(pk=cls.draft.pk).update(live=False)
        cls.embargoed = testing.article(
            cls.section, "Budget figures under embargo", embargo_until=timezone.now() + timedelta(days=1)
        )

    def beacon(self, article_id, **extra):
        return self.client.post(
            reverse("mostread_beacon"),
            f"article={article_id}",
            content_type="application/x-www-form-urlencoded",
            **{**BEACON, **extra},
        )

    def flushed(self, article) -> int:
        jobs.flush_views()
        return sum(ArticleViewsHour.objects.filter(article=article).values_list("views", flat=True))
