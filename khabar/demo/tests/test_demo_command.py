"""`khabar demo`: the demo newsroom loads once into an empty site, and bulk articles on request."""

from io import StringIO

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase

from khabar.core.models import NewsImage
from khabar.news.models import ArticlePage


class DemoCommandTests(TestCase):
    def test_demo_fills_an_empty_site_once(self):
        out = StringIO()
        # Quiet: `make serve` shows the summary, not a log line per demo page published.
        with self.assertNoLogs("wagtail", level="INFO"):
            call_command("demo", stdout=out)
        self.assertIn("Demo content loaded", out.getvalue())
        english = ArticlePage.objects.filter(locale__language_code="en")
        self.assertGreaterEqual(english.count(), 60)
        self.assertTrue(ArticlePage.objects.filter(locale__language_code="ar").exists())
        self.assertGreaterEqual(english.values("bylines__author").distinct().count(), 8)
        self.assertFalse(NewsImage.objects.filter(credit="").exists())
        from khabar.comments.models import CommentSettings

        self.assertEqual(CommentSettings.load().policy_page.slug, "comment-policy")  # the form links to it
        again = StringIO()
        call_command("demo", stdout=again)
        self.assertIn("already has content", again.getvalue())
        self.assertEqual(ArticlePage.objects.filter(locale__language_code="en").count(), english.count())

    def test_demo_articles_adds_published_articles_in_bulk(self):
        call_command("demo", "--articles", "250", "--no-progress", stdout=StringIO())
        generated = ArticlePage.objects.filter(slug__startswith="generated-")
        self.assertEqual(generated.count(), 250)
        article = generated.first()
        self.assertEqual(self.client.get(article.url).status_code, 200)
        self.assertTrue(article.bylines.exists())

    def test_demo_with_a_bad_option_says_what_is_wrong(self):
        with self.assertRaises(CommandError) as caught:
            call_command("demo", "--articles", "lots")
        self.assertIn("--articles", str(caught.exception))
