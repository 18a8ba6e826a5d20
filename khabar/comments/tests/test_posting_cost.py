"""What one comment submission costs the database: a budget that catches a new query per post."""

from datetime import timedelta
from unittest import mock

from django.core.cache import cache
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from khabar import testing
from khabar.comments import rules
from khabar.comments.models import BannedCommenter, Comment, CommentStats, Status
from khabar.comments.testing import comment, form_data
from khabar.news.models import ArticlePage

JSON = {"HTTP_ACCEPT": "application/json", "HTTP_SEC_FETCH_SITE": "same-origin"}
# Duplicate check; sender facts (ban, history, repeated text); savepoint, insert, queue size, release.
# The article itself is remembered under the "published" version (khabar.news.views.published_article).
HELD_COMMENT_QUERIES = 6


def query_plan(sql: str) -> str:
    """The database's plan for ``sql``, with sequential scans discouraged on PostgreSQL (a tiny test
    table would otherwise be scanned whatever the indexes)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            return " ".join(str(row) for row in cursor.fetchall())
        for switch in ("enable_seqscan", "enable_bitmapscan"):
            cursor.execute(f"SET LOCAL {switch} = off")
        cursor.execute("EXPLAIN " + sql)
        return " ".join(row[0] for row in cursor.fetchall())


class PostingCostTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.article = testing.article(testing.section("Iraq News", slug="iraq"), "Bridge closed")
        comment(cls.article, email="huda@example.org")  # a sender with history

    def setUp(self):
        cache.clear()
        self.url = reverse("comments:post", args=[self.article.pk])
        self.client.post(self.url, form_data(body="A first post warms the settings cache."), **JSON)

    def test_a_held_comment_costs_at_most_its_query_budget(self):
        with CaptureQueriesContext(connection) as queries:
            response = self.client.post(self.url, form_data(key="one-click"), **JSON)
        self.assertEqual(response.json()["status"], "pending")
        self.assertLessEqual(len(queries), HELD_COMMENT_QUERIES, "\n".join(q["sql"][:120] for q in queries))

    def test_a_resubmission_is_found_with_one_query(self):
        self.client.post(self.url, form_data(key="double-click"), **JSON)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.post(self.url, form_data(key="double-click"), **JSON)
        self.assertEqual(response.json()["status"], "pending")
        self.assertEqual(Comment.objects.filter(submission_key="double-click").count(), 1)
        self.assertEqual(len(queries), 1, "\n".join(q["sql"][:120] for q in queries))  # the duplicate

    def test_the_duplicate_check_reads_indexes_not_every_comment(self):
        # As one OR of the key and the text, SQLite scanned the whole table: a quarter of a second
        # a post at 1,000,000 comments (make bench), once ANALYZE had seen a realistic table.
        for n in range(200):
            comment(self.article, f"Reader comment number {n}", email=f"reader-{n}@example.org")
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("ANALYZE")
        with CaptureQueriesContext(connection) as queries:
            self.client.post(self.url, form_data(key="fresh-key"), **JSON)
        (sql,) = [q["sql"] for q in queries if "fresh-key" in q["sql"] and not q["sql"].startswith("INSERT")]
        plan = query_plan(sql)
        self.assertNotRegex(plan, r"SCAN comments_comment\b|Seq Scan on comments_comment")

    def test_a_held_comment_leaves_the_article_page_and_its_count_alone(self):
        with mock.patch("khabar.comments.moderation.page_changed") as purge:
            with self.captureOnCommitCallbacks(execute=True):
                self.client.post(self.url, form_data(body="Held, so readers see no change."), **JSON)
        purge.assert_not_called()
        self.assertEqual(CommentStats.objects.get(article_id=self.article.pk).approved, 1)


class EmailLookupTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.article = testing.article(testing.section("Iraq News", slug="iraq"), "Bridge closed")
        comment(cls.article, email="Huda.Salem@Example.org", status=Status.REJECTED)

    def test_a_senders_comments_are_found_whatever_the_case_of_the_email(self):
        self.assertEqual(Comment.objects.for_email("huda.salem@example.ORG").count(), 1)
        self.assertEqual(Comment.objects.for_email("someone.else@example.org").count(), 0)

    def test_the_email_lookup_uses_an_index_not_a_scan_of_every_comment(self):
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET enable_seqscan = off")  # a tiny table would otherwise be scanned anyway
            try:
                plan = Comment.objects.for_email("huda.salem@example.org").explain()
            finally:
                if connection.vendor == "postgresql":
                    cursor.execute("RESET enable_seqscan")
        self.assertIn("comments_email_lower", plan)


class SenderFactsTests(TestCase):
    """Ban, sender history and repeated text are one query; each part must read its index. With
    only (status, created_at) to choose from, SQLite's planner once walked every recent comment for
    the repeated text, 0.8 s a post at 300,000 comments (make bench)."""

    @classmethod
    def setUpTestData(cls):
        cls.article = testing.article(testing.section("Iraq News", slug="iraq"), "Bridge closed")

    def draft(self, email="huda@example.org", body="Same text again"):
        return rules.Draft(self.article.pk, "Huda", email, body, honeypot="", ip_hash="", submission=None)

    def test_the_facts_query_reads_indexes_not_every_comment(self):
        for n in range(200):
            comment(self.article, f"Reader comment number {n}", email=f"reader-{n}@example.org")
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("ANALYZE")  # the statistics that misled the planner
        with CaptureQueriesContext(connection) as queries:
            rules.sender_facts(self.draft())
        (sql,) = [q["sql"] for q in queries]
        plan = query_plan(sql)
        self.assertIn("comments_repeats", plan)
        self.assertIn("comments_email_lower", plan)
        self.assertNotRegex(plan, r"SCAN comments_comment\b|Seq Scan on comments_comment")

    def test_the_facts_count_the_senders_decisions_whatever_the_case_of_the_email(self):
        comment(self.article, "Fine words", email="Huda@Example.org", status=Status.APPROVED)
        comment(self.article, "Rude words", email="huda@example.org", status=Status.REJECTED)
        comment(self.article, "Buy now", email="HUDA@example.org", status=Status.SPAM)
        comment(self.article, "Waiting", email="huda@example.org", status=Status.PENDING)
        comment(self.article, "Someone else", email="other@example.org", status=Status.REJECTED)
        facts = rules.sender_facts(self.draft(email="huda@EXAMPLE.org"))
        self.assertEqual((facts.approved, facts.refused, facts.ban_reason), (1, 2, None))

    def test_the_facts_see_an_active_ban_and_not_an_expired_one(self):
        BannedCommenter.objects.create(email="huda@example.org", reason="Threats")
        BannedCommenter.objects.create(
            email="old@example.org", reason="Spam", expires_at=timezone.now() - timedelta(days=1)
        )
        self.assertEqual(rules.sender_facts(self.draft(email="Huda@example.org")).ban_reason, "Threats")
        self.assertIsNone(rules.sender_facts(self.draft(email="old@example.org")).ban_reason)

    def test_the_facts_see_the_same_text_within_a_week_only(self):
        old = comment(self.article, "Copied text", email="a@example.org")
        Comment.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
        self.assertFalse(rules.sender_facts(self.draft(body="Copied text")).repeated)
        comment(self.article, "Copied text", email="b@example.org")
        self.assertTrue(rules.sender_facts(self.draft(body="Copied text")).repeated)


class ArticleLookupTests(TestCase):
    """The article a comment is for is remembered between posts; what readers may no longer see
    is refused at once all the same."""

    @classmethod
    def setUpTestData(cls):
        cls.article = testing.article(testing.section("Iraq News", slug="iraq"), "Bridge closed")

    def setUp(self):
        cache.clear()
        self.url = reverse("comments:post", args=[self.article.pk])

    def post(self, n):
        return self.client.post(self.url, form_data(body=f"Comment number {n}", key=f"k{n}"), **JSON)

    def test_the_article_is_looked_up_once_not_on_every_post(self):
        self.post(1)
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.post(2).status_code, 200)
        self.assertFalse([q for q in queries if "wagtailcore_page" in q["sql"]])

    def test_an_unpublished_article_is_refused_right_after_posts_were_accepted(self):
        self.assertEqual(self.post(1).status_code, 200)
        self.article.unpublish()
        response = self.post(2)
        self.assertEqual(response.status_code, 404)
        self.assertEqual(Comment.objects.count(), 1)

    def test_an_article_under_embargo_is_refused_until_its_time_though_it_is_remembered(self):
        ArticlePage.objects.filter(pk=self.article.pk).update(embargo_until=timezone.now() + timedelta(hours=1))
        self.assertEqual(self.post(1).status_code, 404)
        self.assertEqual(self.post(2).status_code, 404)  # remembered: the clock decides, every time
        later = timezone.now() + timedelta(hours=2)
        with mock.patch("django.utils.timezone.now", return_value=later):
            self.assertEqual(self.post(3).status_code, 200)
        self.assertEqual(Comment.objects.count(), 1)
