import json
import re

from django.conf import settings
from django.core.cache import caches
from django.test import TestCase

from khabar import testing
from khabar.news.models import Correction


def clear_caches() -> None:
    """Every configured cache: Wagtail keeps renditions and site root paths there, shared on disk."""
    for alias in settings.CACHES:
        caches[alias].clear()


ORIGIN = "http://khabar.test"


class JsonLdUnderCspBrowserTests(TestCase):
    """Chromium loads the article with Khabar's real response (CSP header included).

    The page and its static files are fetched with Django's test client first, then served to
    the browser through Playwright's routing: no live server (and no database flush that would
    disturb the other browser tests) is needed, and the ORM is never called from Playwright's loop.
    """

    @classmethod
    def setUpTestData(cls):
        cls.room = testing.newsroom(articles_per_section=1)
        cls.story = cls.room.articles[0]
        Correction.objects.create(page=cls.story, text="A </script> in a correction stays text.")

    def setUp(self):
        clear_caches()

    def _fetch(self, path: str) -> dict:
        response = self.client.get(path, headers={"host": "khabar.test"})
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return {"status": response.status_code, "headers": dict(response.headers.items()), "body": body}

    def _responses(self, path: str) -> dict:
        with self.settings(ALLOWED_HOSTS=["khabar.test"]):
            page = self._fetch(path)
            assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', page["body"].decode())
            return {path: page} | {asset: self._fetch(asset) for asset in assets}

    def test_the_browser_reports_no_csp_violation_and_reads_the_json_ld(self):
        responses = self._responses(self.story.url)
        missing = {"status": 404, "headers": {}, "body": b""}
        # Started only now, after every database query: Playwright's event loop must not see the ORM.
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        self.addCleanup(playwright.stop)
        browser = playwright.chromium.launch(executable_path=testing.CHROMIUM, args=testing.CHROMIUM_ARGS)
        self.addCleanup(browser.close)
        context = browser.new_context()
        self.addCleanup(context.close)
        context.route(
            f"{ORIGIN}/**",
            lambda route: route.fulfill(**responses.get(route.request.url.removeprefix(ORIGIN), missing)),
        )
        page = context.new_page()
        messages = []
        page.on("console", lambda message: messages.append(message.text))
        response = page.goto(ORIGIN + self.story.url)
        self.assertIn("script-src", response.headers["content-security-policy"])
        raw = page.locator('script[type="application/ld+json"]').text_content()
        data = json.loads(raw)
        self.assertEqual(data["headline"], self.story.title)
        self.assertEqual(data["correction"][0]["text"], "A </script> in a correction stays text.")
        # The element was not cut short by the "</script>" in the text: the page is intact.
        self.assertEqual(page.locator("h1.story__headline").inner_text(), self.story.title)
        self.assertEqual([m for m in messages if "Content Security Policy" in m], [])

        # The detector works: an inline script, which the policy forbids, is reported on the console.
        page.evaluate(
            "() => { const s = document.createElement('script'); s.textContent = '1'; document.body.append(s); }"
        )
        page.wait_for_timeout(200)
        self.assertTrue(any("Content Security Policy" in m for m in messages), messages)
