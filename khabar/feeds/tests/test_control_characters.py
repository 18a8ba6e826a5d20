"""A control character in a story (U+000B pasted from a word processor) never breaks a feed."""

from __future__ import annotations

from xml.etree import ElementTree

from django.test import TestCase

from khabar import testing
from khabar.news.models import ArticlePage

FEEDS = ["/en/feed/", "/en/feed/atom/", "/en/iraq/feed/"]


class ControlCharacterTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")
        cls.story = testing.article(cls.section, "Bridge reopens")

    def test_saving_a_page_strips_control_characters_from_its_text(self):
        story = ArticlePage.objects.get(pk=self.story.pk)
        story.title = "Bridge\x0b reopens\x00"
        story.standfirst = "Traffic\x0b flows again.\tAt last\x1f.\nMore\x7f."
        story.full_clean()
        self.assertEqual(story.title, "Bridge reopens")
        self.assertEqual(story.standfirst, "Traffic flows again.\tAt last.\nMore.")

    def test_a_published_revision_carries_no_control_characters(self):
        story = ArticlePage.objects.get(pk=self.story.pk)
        story.standfirst = "Traffic\x0b flows again."
        story.save_revision().publish()
        self.assertEqual(ArticlePage.objects.get(pk=story.pk).standfirst, "Traffic flows again.")

    def test_every_feed_answers_even_with_a_control_character_stored(self):
        # Stored behind the page's back (an import, an old row): the feed must still be valid XML.
        ArticlePage.objects.filter(pk=self.story.pk).update(standfirst="Traffic\x0b flows again.", title="A\x0cB")
        for url in FEEDS:
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            ElementTree.fromstring(response.content)  # noqa: S314 (our own feed) well-formed
            self.assertNotIn(b"\x0b", response.content, url)
            self.assertIn(b"Traffic flows again.", response.content, url)
