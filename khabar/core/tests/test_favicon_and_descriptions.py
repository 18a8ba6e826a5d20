"""Every page a browser opens asks for /favicon.ico, and search engines and link previews read the
meta description: neither may be missing on the reader pages."""

from django.core.cache import cache
from django.test import TestCase

from khabar import testing


class FaviconAndDescriptionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq", description="Politics and security in Iraq.")
        cls.story = testing.article(cls.section, "Dam report", authors=[testing.author("Noor")])
        cls.story.topics.add("Water")
        testing.publish(cls.story)

    def setUp(self):
        cache.clear()

    def test_favicon_ico_is_an_icon_not_a_404(self):
        response = self.client.get("/favicon.ico")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "image/x-icon")
        self.assertEqual(response.content[:4], b"\x00\x00\x01\x00")  # the ICO file signature
        self.assertIn("max-age", response["Cache-Control"])

    def test_pages_link_an_icon(self):
        self.assertContains(self.client.get("/en/"), 'rel="icon"')

    def test_home_section_topic_and_article_have_a_meta_description(self):
        for url, text in [
            ("/en/", "The latest news from"),
            (self.section.url, "Politics and security in Iraq."),
            ("/en/topics/water/", "Stories about Water"),
            (self.story.url, self.story.standfirst),
        ]:
            response = self.client.get(url)
            self.assertContains(response, '<meta name="description" content="', count=1, msg_prefix=url)
            self.assertContains(response, text, msg_prefix=url)

    def test_the_arabic_home_describes_itself_in_arabic(self):
        testing.home("ar")
        self.assertContains(self.client.get("/ar/"), "آخر الأخبار من")
