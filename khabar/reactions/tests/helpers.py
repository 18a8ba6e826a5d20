"""Shared set-up for the reaction tests: a section with articles in every state a vote can meet."""

from __future__ import annotations

from datetime import timedelta

from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from khabar import testing
from khabar.news.models import ArticlePage

JSON = {"HTTP_ACCEPT": "application/json", "HTTP_SEC_FETCH_SITE": "same-origin"}
FORM = {"HTTP_SEC_FETCH_SITE": "same-origin"}


class ReactionFixtures:
    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")
        cls.article = testing.article(cls.section, "Parliament passes the water budget")
        cls.other = testing.article(cls.section, "Basra port reopens")
        cls.switched_off = testing.article(cls.section, "Obituary: a poet of the marshes", reactions_enabled=False)
        cls.draft = testing.article(cls.section, "A story still in draft", live=False)
        ArticlePage.objects.filter(pk=cls.draft.pk).update(live=False)
        cls.embargoed = testing.article(
            cls.section, "Budget figures under embargo", embargo_until=timezone.now() + timedelta(days=1)
        )

    def setUp(self):
        cache.clear()  # rate-limit counters
        super().setUp()

    @staticmethod
    def url(article) -> str:
        return reverse("reaction", args=[article.pk])

    def vote(self, client: Client, article, value: str, **extra):
        return client.post(self.url(article), {"vote": value}, **{**JSON, **extra})

    def state(self, client: Client, article):
        return client.get(self.url(article), HTTP_ACCEPT="application/json")
