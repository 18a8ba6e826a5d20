"""The listing table never disagrees with ``published()``, and reading a page of it costs the same
whatever the size of the archive."""

from __future__ import annotations

from datetime import timedelta

from django.core.cache import cache
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase
from wagtail.models import Page, PageViewRestriction

from khabar import testing
from khabar.news import listing
from khabar.news.models import RESTRICTED_PATHS_KEY, ArticlePage, ListingEntry, public
from khabar.seo.metadata import language_versions

OPERATIONS = ["unpublish", "republish", "embargo_future", "embargo_past", "move", "delete", "restrict", "lift"]


def expected(queryset) -> list[int]:
    return list(ArticlePage.for_listing(queryset).values_list("pk", flat=True))


class ListingAgreesWithPublished(HypothesisTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.sections = [testing.section("Iraq News", slug="iraq"), testing.section("Business", slug="business")]
        cls.writer = testing.author("Noor Abdulrahman")
        now = timezone.now()
        cls.stories = [
            testing.article(cls.sections[n % 2], f"Story {n}", authors=[cls.writer], published=now - timedelta(hours=n))
            for n in range(6)
        ]
        for story in cls.stories[:3]:
            story.topics.add("Water")
            testing.publish(story)

    def assertAgrees(self):
        cache.delete(RESTRICTED_PATHS_KEY)
        home = testing.home()
        for section in self.sections:
            section.refresh_from_db()
            self.assertEqual(listing.for_section(section).ids(), expected(section.articles()), section.title)
        self.assertEqual(listing.for_edition(home).ids(), expected(home.articles()))
        self.assertEqual(listing.for_author(self.writer).ids(), expected(self.writer.articles()))
        self.assertEqual(listing.for_topic(home, "water").ids(), expected(home.articles().filter(topics__slug="water")))

    def apply(self, operation: str, story: ArticlePage) -> None:
        story = ArticlePage.objects.filter(pk=story.pk).first()
        if story is None:
            return
        if operation == "unpublish" and story.live:
            story.unpublish()
        elif operation == "republish":
            testing.publish(story)
        elif operation in ("embargo_future", "embargo_past"):
            delta = timedelta(hours=2) if operation == "embargo_future" else -timedelta(minutes=1)
            story.embargo_until = timezone.now() + delta
            testing.publish(story)
        elif operation == "move":
            target = next(s for s in self.sections if s.pk != story.get_parent().pk)
            story.move(target, pos="last-child")
        elif operation == "delete":
            story.delete()
        elif operation == "restrict":
            PageViewRestriction.objects.get_or_create(page=story, restriction_type=PageViewRestriction.LOGIN)
        elif operation == "lift":
            PageViewRestriction.objects.filter(page=story).delete()

    @hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(steps=st.lists(st.tuples(st.sampled_from(OPERATIONS), st.integers(0, 5)), min_size=1, max_size=6))
    def test_every_sequence_of_newsroom_actions_keeps_the_listing_equal_to_published(self, steps):
        for operation, index in steps:
            self.apply(operation, self.stories[index])
            self.assertAgrees()

    def test_a_section_page_lists_from_the_index_in_the_published_order(self):
        self.assertAgrees()
        self.assertEqual(ListingEntry.objects.count(), 6)

    def test_a_draft_has_no_row_and_an_unpublished_story_loses_its_row(self):
        draft = testing.article(self.sections[0], "Draft", live=False)
        draft.refresh_from_db()
        self.assertFalse(ListingEntry.objects.filter(article_id=draft.pk).exists())
        self.stories[0].unpublish()
        self.assertFalse(ListingEntry.objects.filter(article_id=self.stories[0].pk).exists())
        self.assertAgrees()

    def test_rebuild_restores_every_row(self):
        ListingEntry.objects.all().delete()
        self.assertEqual(listing.rebuild(), 6)
        self.assertAgrees()


class ListingCostDoesNotGrowWithTheArchive(TestCase):
    """The same page of a section costs the same queries with 5 or 60 stories in the archive,
    and the query the database runs reads the listing index, not the page tree."""

    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")

    def queries_for_section_page(self, page: int) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(f"{self.section.url}?page={page}")
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_query_count_of_a_listing_page_is_fixed(self):
        for n in range(5):
            testing.article(self.section, f"Early {n}")
        self.queries_for_section_page(1)  # fills the cached navigation
        small = self.queries_for_section_page(1)
        for n in range(60):
            testing.article(self.section, f"Later {n}")
        cache.clear()
        self.queries_for_section_page(1)
        self.assertEqual(self.queries_for_section_page(1), small)
        self.assertEqual(self.queries_for_section_page(3), small)

    def test_the_listing_query_uses_the_section_index(self):
        testing.article(self.section, "One")
        entries = listing.for_section(self.section).entries.values_list("article_id", flat=True)[:20]
        sql, params = entries.query.sql_with_params()
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
                plan = " ".join(str(row) for row in cursor.fetchall())
                self.assertIn("listing_section_newest", plan)
                self.assertNotIn("TEMP B-TREE", plan)  # no sort: rows come out of the index in order
            else:
                # A tiny test table: make the planner show what it does on a big one (where reading
                # the index in order wins); a sort would still appear if the index could not give the order.
                for switch in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
                    cursor.execute(f"SET LOCAL {switch} = off")
                cursor.execute("EXPLAIN " + sql, params)
                plan = " ".join(row[0] for row in cursor.fetchall())
                self.assertIn("listing_section_newest", plan)
                self.assertNotIn("Sort", plan)


class PublicPagesTests(TestCase):
    """``public()`` is Wagtail's rule (no page under a view restriction) read from the cached
    restricted paths: Wagtail's own read the restriction table on every call, and SQLite planned
    that as a scan of every page (15 ms a home page at 100,000 articles)."""

    @classmethod
    def setUpTestData(cls):
        cls.open_section = testing.section("Iraq News", slug="iraq")
        cls.closed_section = testing.section("Members", slug="members")
        cls.open_story = testing.article(cls.open_section, "Bridge reopened")
        cls.closed_story = testing.article(cls.closed_section, "Members briefing")
        PageViewRestriction.objects.create(page=cls.closed_section, restriction_type=PageViewRestriction.LOGIN)

    def test_pages_under_a_restriction_are_left_out_like_wagtails_public(self):
        ours = set(public(Page.objects.live()).values_list("pk", flat=True))
        self.assertEqual(ours, set(Page.objects.live().public().values_list("pk", flat=True)))
        self.assertNotIn(self.closed_section.pk, ours)
        self.assertNotIn(self.closed_story.pk, ours)
        self.assertIn(self.open_story.pk, ours)

    def test_it_reads_no_restriction_once_the_paths_are_cached(self):
        list(public(Page.objects.live()))  # fills the cached paths
        with CaptureQueriesContext(connection) as queries:
            list(public(Page.objects.live()))
        self.assertEqual(len(queries), 1)
        self.assertNotIn("pageviewrestriction", queries[0]["sql"])

    def test_a_pages_language_versions_read_no_restriction(self):
        list(language_versions(self.open_section))  # fills the cached paths
        with CaptureQueriesContext(connection) as queries:
            versions = language_versions(Page.objects.get(pk=self.open_section.pk))
        self.assertEqual([v.pk for v in versions], [self.open_section.pk])
        self.assertFalse([q for q in queries if "pageviewrestriction" in q["sql"]])
