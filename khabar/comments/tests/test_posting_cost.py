"""What one comment submission costs the database: a budget that catches a new query per post."""

from unittest import mock

from django.core.cache import cache
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from khabar import testing
from khabar.comments.models import Comment, CommentStats, Status
from khabar.comments.testing import comment, form_data

JSON = {"HTTP_ACCEPT": "application/json", "HTTP_SEC_FETCH_SITE": "same-origin"}
# Article; duplicate check; ban; repeated text; sender history; savepoint, insert, queue size, release.
HELD_COMMENT_QUERIES = 9


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
        self.assertEqual(len(queries), 2, "\n".join(q["sql"][:120] for q in queries))  # the article, the duplicate

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


class RepeatedTextLookupTests(TestCase):
    """The "repeated identical post" rule looks a text up by its hash in the last week. It must use
    the (body_hash, created_at) index: with only (status, created_at) to choose from, SQLite's
    planner walked every recent comment, 0.8 s a post at 300,000 comments (make bench)."""

    def test_the_repeated_text_query_uses_the_hash_index(self):
        from khabar.comments import rules
        from khabar.comments.models import CommentSettings

        article = testing.article(testing.section("Iraq News", slug="iraq"), "Bridge closed")
        for n in range(200):
            comment(article, f"Reader comment number {n}")
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("ANALYZE")  # the statistics that misled the planner
        draft = rules.Draft(
            article_id=article.pk,
            name="Huda",
            email="huda@example.org",
            body="Same text again",
            honeypot="",
            ip_hash="",
            submission=None,
        )
        with CaptureQueriesContext(connection) as queries:
            rules._text_rules(draft, CommentSettings.load())
        (sql,) = [q["sql"] for q in queries if "body_hash" in q["sql"]]
        self.assertIn("comments_repeats", query_plan(sql))
