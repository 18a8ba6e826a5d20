"""The comment block is rendered once per change to the article's comments, not on every render."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from khabar.comments import moderation
from khabar.comments.models import ModerationDecision, Status
from khabar.comments.testing import OneArticleTestCase, comment, moderator

Action = ModerationDecision.Action


def _comment_queries(captured) -> int:
    return sum('FROM "comments_comment"' in query["sql"] for query in captured)


class CommentBlockCacheTests(OneArticleTestCase):
    def render(self):
        with CaptureQueriesContext(connection) as captured:
            html = self.client.get(self.article.url).content.decode()
        return html, _comment_queries(captured.captured_queries)

    def test_a_second_render_reuses_the_block_without_reading_the_comments(self):
        comment(self.article, "The first comment")
        first, queries = self.render()
        self.assertGreater(queries, 0)
        second, queries = self.render()
        self.assertEqual(queries, 0)
        self.assertEqual(first, second)
        self.assertIn("The first comment", second)

    def test_an_approved_comment_shows_on_the_next_render(self):
        waiting = comment(self.article, "Waiting for a moderator", status=Status.PENDING)
        self.assertNotIn("Waiting for a moderator", self.render()[0])
        with self.captureOnCommitCallbacks(execute=True):
            moderation.decide([waiting], Action.APPROVE, user=moderator())
        self.assertIn("Waiting for a moderator", self.render()[0])

    def test_a_comment_taken_down_or_erased_disappears_on_the_next_render(self):
        gone = comment(self.article, "To be rejected")
        erased = comment(self.article, "To be erased")
        self.assertIn("To be rejected", self.render()[0])
        with self.captureOnCommitCallbacks(execute=True):
            moderation.decide([gone], Action.REJECT, user=moderator())
        html = self.render()[0]
        self.assertNotIn("To be rejected", html)
        self.assertIn("To be erased", html)
        with self.captureOnCommitCallbacks(execute=True):
            moderation.erase([erased], reason="asked by its author")
        self.assertNotIn("To be erased", self.render()[0])
