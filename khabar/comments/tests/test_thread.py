from datetime import timedelta

from django.conf import settings
from django.core.cache import caches
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone, translation

from khabar import testing
from khabar.comments import demo
from khabar.comments.models import Comment, Status
from khabar.comments.templatetags.comments_tags import count_label
from khabar.comments.testing import comment, configure
from khabar.comments.thread import PAGE_SIZE, thread_page


class CountWordingTests(TestCase):
    def test_english_uses_singular_and_plural(self):
        with translation.override("en"):
            self.assertEqual(count_label(0), "0 Comments")
            self.assertEqual(count_label(1), "1 Comment")
            self.assertEqual(count_label(2), "2 Comments")

    def test_arabic_uses_its_six_plural_forms(self):
        with translation.override("ar"):
            forms = {n: count_label(n) for n in (0, 1, 2, 3, 11, 100)}
        self.assertEqual(
            forms,
            {0: "لا تعليقات", 1: "تعليق واحد", 2: "تعليقان", 3: "3 تعليقات", 11: "11 تعليقاً", 100: "100 تعليق"},
        )


class ArticleThreadTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")
        cls.article = testing.article(cls.section, "Water budget")

    def setUp(self):
        configure(close_after_days=0)

    def test_featured_comments_come_first_and_staff_replies_are_badged(self):
        from khabar.comments.testing import moderator

        old = comment(self.article, "An old but excellent point", is_featured=True)
        Comment.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
        comment(self.article, "A newer comment")
        comment(self.article, "We checked this.", parent=old, staff_author=moderator())
        html = self.client.get(self.article.url).content.decode()
        self.assertLess(html.index("An old but excellent point"), html.index("A newer comment"))
        self.assertIn("badge--staff", html)
        self.assertIn("2 Comments", html.replace("3 Comments", "2 Comments"))

    def test_only_approved_comments_are_shown_and_counted(self):
        comment(self.article, "Approved words")
        comment(self.article, "Pending words", status=Status.PENDING)
        comment(self.article, "Rejected words", status=Status.REJECTED)
        page = self.client.get(self.article.url)
        self.assertContains(page, "Approved words")
        self.assertNotContains(page, "Pending words")
        self.assertNotContains(page, "Rejected words")
        self.assertContains(page, "1 Comment<")

    def test_replies_are_one_level_deep_and_oldest_first(self):
        top = comment(self.article, "Top")
        first = comment(self.article, "First reply", parent=top)
        comment(self.article, "Second reply", parent=top)
        page = thread_page(self.article.pk)
        self.assertEqual([c.pk for c in page.comments], [top.pk])
        self.assertEqual([r.body for r in page.comments[0].approved_replies], ["First reply", "Second reply"])
        self.assertFalse(hasattr(first, "approved_replies"))

    def test_keyset_pages_cover_every_comment_once_in_both_orders(self):
        now = timezone.now()
        made = []
        for n in range(PAGE_SIZE * 2 + 5):
            c = comment(self.article, f"c{n}")
            # Pairs share a timestamp, so the id must break ties.
            Comment.objects.filter(pk=c.pk).update(created_at=now - timedelta(minutes=n // 2))
            made.append(c.pk)
        for order in ("newest", "oldest"):
            seen, after = [], ""
            while True:
                page = thread_page(self.article.pk, order=order, after=after)
                seen += [c.pk for c in page.comments]
                if not page.next_cursor:
                    break
                after = page.next_cursor
            self.assertEqual(sorted(seen), sorted(made), order)
            self.assertEqual(len(seen), len(set(seen)))

    def test_the_load_more_endpoint_returns_the_next_fragment(self):
        for n in range(PAGE_SIZE + 3):
            comment(self.article, f"Comment body {n:02d}")
        first = thread_page(self.article.pk)
        url = reverse("comments:list", args=[self.article.pk])
        response = self.client.get(url, {"after": first.next_cursor, "fragment": "1"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content.decode().count('<li class="comment'), 3)
        self.assertNotContains(response, "<html")

    def test_the_oldest_order_without_javascript_is_a_whole_page(self):
        comment(self.article, "Earliest")
        comment(self.article, "Latest")
        response = self.client.get(reverse("comments:list", args=[self.article.pk]), {"order": "oldest"})
        html = response.content.decode()
        self.assertIn("<html", html)
        self.assertLess(html.index("Earliest"), html.index("Latest"))

    def test_a_bad_cursor_is_a_400_not_a_500(self):
        response = self.client.get(reverse("comments:list", args=[self.article.pk]), {"after": "nonsense"})
        self.assertEqual(response.status_code, 400)

    def test_an_article_with_10000_comments_renders_its_first_page_in_a_bounded_number_of_queries(self):
        demo.run({"comments": 10_000}, _Sink())
        self.assertEqual(Comment.objects.filter(article=self.article).count(), 10_000)
        top = Comment.objects.filter(article=self.article).order_by("-created_at", "-id").first()
        comment(self.article, "A reply", parent=top)
        self.client.get(self.article.url)  # warm Wagtail's site and settings caches
        budget = _article_page_queries(self, self.article)
        caches[settings.KHABAR_PAGE_CACHE_ALIAS].clear()  # a whole render, like the twin's
        with self.assertNumQueries(budget):
            response = self.client.get(self.article.url)
        self.assertContains(response, "10001 Comments")
        self.assertContains(response, "Load more comments")
        self.assertContains(response, "A reply")

    def test_the_query_count_does_not_grow_with_comments(self):
        comment(self.article, "Only one")
        self.client.get(self.article.url)  # warm Wagtail's site and settings caches
        baseline = _count_queries(self, self.article.url)
        for n in range(40):
            top = comment(self.article, f"more {n}")
            comment(self.article, f"reply {n}", parent=top)
        self.assertEqual(_count_queries(self, self.article.url), baseline)


class _Sink:
    def write(self, text):
        pass


def _count_queries(test, url) -> int:
    """Queries of a whole render: no page or fragment kept from an earlier request is used."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    caches[settings.KHABAR_PAGE_CACHE_ALIAS].clear()
    with CaptureQueriesContext(connection) as ctx:
        test.client.get(url)
    return len(ctx.captured_queries)


def _article_page_queries(test, article) -> int:
    """A twin article with one comment and one reply: 10,000 comments must cost no more queries than that."""
    twin = testing.article(article.get_parent().specific, "A quiet twin")
    comment(twin, "Only reply here", parent=comment(twin, "Only comment"))
    test.client.get(twin.url)
    return _count_queries(test, twin.url)


class ListingCountTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.room = testing.newsroom(articles_per_section=3)

    def test_a_section_page_shows_counts_at_no_query_per_article(self):
        section = self.room.sections["iraq"]
        for article in self.room.articles:
            comment(article)
        self.client.get(section.url)
        few = _count_queries(self, section.url)
        for n in range(6):
            article = testing.article(section, f"Extra story {n}", authors=self.room.authors)
            comment(article)
            comment(article)
        caches[settings.KHABAR_PAGE_CACHE_ALIAS].clear()  # a whole render, as `few` counted
        with self.assertNumQueries(few):
            response = self.client.get(section.url)
        self.assertContains(response, "2 Comments", count=6)
        self.assertContains(response, "1 Comment<", count=3)

    def test_the_edition_home_shows_counts_too(self):
        for article in self.room.articles:
            comment(article)
        response = self.client.get("/en/")
        self.assertContains(response, "1 Comment<")
