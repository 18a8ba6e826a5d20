"""Lite pages live in the full-page cache under their full page: one publish purges both."""

from datetime import timedelta

from django.core.cache import caches
from django.utils import timezone

from khabar import testing
from khabar.core import pagecache
from khabar.core.tests.test_page_cache import PageCacheTestCase
from khabar.lite.links import lite_url


class LitePurgeTests(PageCacheTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")
        cls.story = testing.article(cls.section, "Dams reopen", standfirst="First version.")

    def setUp(self):
        super().setUp()
        caches["default"].clear()  # cached navigation and restricted paths of earlier tests

    def cached(self, url) -> str:
        self.client.get(url)
        with self.captureOnCommitCallbacks(execute=True):
            pass
        return self.client.get(url)["X-Cache"]

    def edit(self, **fields):
        story = type(self.story).objects.get(pk=self.story.pk)
        for name, value in fields.items():
            setattr(story, name, value)
        with self.captureOnCommitCallbacks(execute=True):
            story.save_revision().publish()
        return story

    def test_lite_pages_are_served_from_the_page_cache(self):
        self.assertEqual(self.cached(lite_url(self.story)), "HIT")
        self.assertEqual(self.cached("/en/lite/"), "HIT")

    def test_a_publish_purges_the_lite_story_the_lite_section_and_the_lite_home(self):
        for url in [lite_url(self.story), "/en/lite/iraq/", "/en/lite/"]:
            self.assertEqual(self.cached(url), "HIT")
        self.edit(title="Dams reopen after repairs")
        for url in [lite_url(self.story), "/en/lite/iraq/", "/en/lite/"]:
            response = self.client.get(url)
            self.assertNotEqual(response["X-Cache"], "HIT", url)
            self.assertIn("Dams reopen after repairs", response.content.decode(), url)

    def test_an_unpublished_story_is_gone_from_the_lite_edition_at_once(self):
        url = lite_url(self.story)
        self.assertEqual(self.cached(url), "HIT")
        with self.captureOnCommitCallbacks(execute=True):
            type(self.story).objects.get(pk=self.story.pk).unpublish()
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertNotIn("Dams reopen", self.client.get("/en/lite/").content.decode())

    def test_an_embargoed_story_is_gone_from_the_lite_edition_at_once(self):
        url = lite_url(self.story)
        self.assertEqual(self.cached(url), "HIT")
        self.edit(embargo_until=timezone.now() + timedelta(hours=2))
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertNotIn("Dams reopen", self.client.get("/en/lite/iraq/").content.decode())

    def test_frontend_caches_are_sent_the_lite_urls_too(self):
        self.assertIn("/en/lite/iraq/dams-reopen/", pagecache._renderings("/en/iraq/dams-reopen/"))
        self.assertEqual(pagecache.owner_tag("/en/lite/iraq/dams-reopen/"), "/en/iraq/dams-reopen/")
        self.assertEqual(pagecache.owner_tag("/en/lite/"), "/en/")
