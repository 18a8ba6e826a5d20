import uuid
from datetime import timedelta

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from khabar import testing
from khabar.mostread.models import ArticleViewsHour
from khabar.mostread.ranking import most_read
from khabar.mostread.tests.helpers import ViewFixtures


def _hours_ago(hours: int):
    return timezone.now().replace(minute=0, second=0, microsecond=0) - timedelta(hours=hours)


class MostReadBlockTests(ViewFixtures, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        arabic = testing.section("أخبار العراق", language="ar", slug="iraq-ar")
        cls.arabic = testing.article(arabic, "البرلمان يقر موازنة المياه")
        for article, views, hours in (
            (cls.other, 50, 1),
            (cls.match, 30, 2),
            (cls.article, 10, 3),
            (cls.arabic, 99, 1),
            (cls.article, 500, 30),  # older than 24 hours: does not count
        ):
            ArticleViewsHour.objects.create(article=article, hour=_hours_ago(hours), views=views)

    def render(self, page, request=None) -> str:
        request = request or RequestFactory().get("/")
        return Template("{% load mostread_tags %}{% most_read page %}").render(
            Context({"page": page, "request": request})
        )

    def test_the_edition_block_lists_the_most_read_of_the_last_24_hours_of_that_edition(self):
        html = self.render(testing.home())
        self.assertIn("Most read", html)
        titles = [self.other.title, self.match.title, self.article.title]
        positions = [html.index(title) for title in titles]
        self.assertEqual(positions, sorted(positions))
        self.assertNotIn(self.arabic.title, html)
        self.assertIn(self.arabic.title, self.render(testing.home("ar")))

    def test_the_arabic_edition_reads_its_own_heading_from_its_page(self):
        response = self.client.get(testing.home("ar").url)
        self.assertContains(response, "الأكثر قراءة")
        self.assertContains(response, self.arabic.title)
        self.assertNotContains(response, self.other.title)

    def test_the_section_block_lists_only_that_sections_articles(self):
        html = self.render(self.section)
        self.assertIn("Most read in Iraq News", html)
        self.assertIn(self.other.title, html)
        self.assertNotIn(self.match.title, html)

    def test_an_edition_without_views_shows_nothing(self):
        ArticleViewsHour.objects.all().delete()
        self.assertNotIn("Most read", self.render(testing.home()))

    def test_unpublished_articles_leave_the_ranking(self):
        self.other.unpublish()
        self.assertEqual(most_read("en", _hours_ago(24), 5), [self.match.specific, self.article.specific])

    def test_the_block_costs_the_same_queries_whatever_the_number_of_articles_and_none_when_kept(self):
        more = [testing.article(self.section, f"Story {n}") for n in range(6)]
        for story in more:
            ArticleViewsHour.objects.create(article=story, hour=_hours_ago(1), views=5)
        home = testing.home()
        request = RequestFactory().get("/")
        self.render(home, request)  # the request's site and locale lookups, made once per request anyway
        costs = {}
        for limit in (2, 9):
            caches["pages"].clear()
            with override_settings(KHABAR_MOSTREAD_LIMIT=limit), CaptureQueriesContext(connection) as queries:
                html = self.render(home, request)
            self.assertEqual(html.count("<li>"), limit)
            costs[limit] = len(queries)
        self.assertEqual(costs[2], costs[9])
        self.assertLessEqual(costs[9], 2)  # the ranking and the articles
        with override_settings(KHABAR_MOSTREAD_LIMIT=9), self.assertNumQueries(0):
            self.assertEqual(self.render(home, request), html)

    def test_the_beacon_is_only_on_articles_and_carries_only_the_article_id(self):
        html = self.render(self.article)
        self.assertIn(f'data-mostread-article="{self.article.pk}"', html)
        self.assertRegex(html, r'<script src="[^"]*mostread/beacon[.\w]*js" defer></script>')
        self.assertNotIn("data-mostread-article", self.render(self.section))


def _page_cache():
    caches = dict(settings.CACHES)
    caches["pages"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": uuid.uuid4().hex}
    return override_settings(CACHES=caches, KHABAR_PAGE_CACHE=True, KHABAR_PAGE_CACHE_SECONDS=300)


@_page_cache()
class CachedPageTests(ViewFixtures, TestCase):
    def test_the_cached_article_is_the_same_bytes_for_two_different_readers(self):
        ArticleViewsHour.objects.create(article=self.other, hour=_hours_ago(1), views=7)
        first = self.client.get(self.article.url, REMOTE_ADDR="192.0.2.1", HTTP_USER_AGENT="Reader A")
        self.client.cookies["khabar_reader"] = "someone"
        second = self.client.get(self.article.url, REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Reader B")
        self.assertEqual(second["X-Cache"], "HIT")
        self.assertEqual(first.content, second.content)
        self.assertIn(b"Most read", first.content)
        self.assertIn(f'data-mostread-article="{self.article.pk}"'.encode(), first.content)
        self.assertNotIn("Set-Cookie", first)

    def test_a_counted_view_does_not_purge_the_cached_page(self):
        self.client.get(self.article.url)
        self.beacon(self.article.pk)
        self.assertEqual(self.client.get(self.article.url)["X-Cache"], "HIT")
