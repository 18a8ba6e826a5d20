from django.conf import settings
from django.test import override_settings

from khabar import testing
from khabar.mostread import jobs
from khabar.mostread.models import ArticleViewsHour
from khabar.mostread.tests.helpers import BROWSER

# The live server serves static files by their source names (see reactions/tests/test_browser.py).
PLAIN_STATIC = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


@override_settings(STORAGES=PLAIN_STATIC)
class BeaconBrowserTests(testing.BrowserTestCase):
    def setUp(self):
        section = testing.section("Iraq News", slug="iraq")
        self.article = testing.article(section, "Parliament passes the water budget")

    def test_loading_an_article_sends_one_beacon_and_the_count_goes_up(self):
        # Headless Chromium says "HeadlessChrome", which is not counted: speak as a reader's Chrome.
        page = self.new_page(user_agent=BROWSER)
        with page.expect_request(lambda request: request.url.endswith("/views/")) as sent:
            page.goto(self.live_server_url + self.article.url)
        beacon = sent.value
        self.assertEqual(beacon.method, "POST")
        self.assertEqual(beacon.post_data, f"article={self.article.pk}")
        self.assertEqual(beacon.response().status, 204)
        self.assertNotIn("set-cookie", beacon.response().headers)
        jobs.flush_views()
        self.assertEqual(ArticleViewsHour.objects.get(article=self.article).views, 1)
