"""The lite edition in a real browser: its weight on the wire, reading offline, validators."""

from django.test import TestCase

from khabar import testing
from khabar.lite.links import lite_url
from khabar.lite.tests.builders import lite_site

ARTICLE_BUDGET = 30 * 1024
HOME_BUDGET = 20 * 1024


def lite_urls():
    room, story, section_ar, story_ar = lite_site()
    return story, [
        "/en/lite/",
        "/en/lite/iraq/",
        lite_url(story),
        "/en/lite/offline/",
        "/ar/lite/",
        "/ar/lite/iraq/",
        lite_url(story_ar),
        "/ar/lite/offline/",
    ]


class LiteHtmlValidityTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.story, cls.urls = lite_urls()

    def test_every_lite_page_is_valid_html_for_the_nu_html_checker(self):
        pages = {}
        for url in self.urls:
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            pages[url] = response.content
        self.assertEqual(testing.nu_html_errors(pages), [])


class LiteBrowserTests(testing.BrowserTestCase):
    def setUp(self):
        self.story, self.urls = lite_urls()

    def weigh(self, url: str) -> tuple[int, list[str]]:
        """Bytes on the wire for everything the browser fetches to show the page (headers and bodies)."""
        page = self.new_page(extra_http_headers={"Accept-Encoding": "gzip, deflate, br"})
        requests = []
        page.on("requestfinished", lambda request: requests.append(request))
        page.goto(self.live_server_url + url, wait_until="networkidle")
        total = 0
        for request in requests:
            sizes = request.sizes()
            total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        return total, [r.url for r in requests]

    def test_a_lite_story_and_the_lite_home_stay_within_their_weight_budget(self):
        article, fetched = self.weigh(lite_url(self.story))
        self.assertLessEqual(article, ARTICLE_BUDGET, fetched)
        home, fetched = self.weigh("/en/lite/")
        self.assertLessEqual(home, HOME_BUDGET, fetched)
        full, _fetched = self.weigh(self.story.url)
        self.assertLess(article, full)

    def test_lite_pages_are_right_to_left_in_arabic_and_have_no_serious_axe_violations(self):
        problems = []
        page = self.new_page(bypass_csp=True)
        for url in self.urls:
            page.goto(self.live_server_url + url)
            direction = page.evaluate("getComputedStyle(document.body).direction")
            self.assertEqual(direction, "rtl" if url.startswith("/ar/") else "ltr", url)
            problems += self.axe_problems(page, url)
        self.assertEqual(problems, [])

    def test_a_reader_who_opened_the_lite_edition_once_reads_the_latest_news_offline(self):
        context = self.browser.new_context()
        self.addCleanup(context.close)
        page = context.new_page()
        page.goto(self.live_server_url + "/en/lite/")
        page.wait_for_function(
            "navigator.serviceWorker.controller !== null || navigator.serviceWorker.ready", timeout=10000
        )
        page.evaluate("navigator.serviceWorker.ready")
        # The worker has saved the front page and the latest stories.
        page.wait_for_function(
            "(async () => { const names = await caches.keys(); if (!names.length) return false;"
            " const keys = await (await caches.open(names[0])).keys();"
            f" return keys.some(r => r.url.endsWith('{lite_url(self.story)}')); }})()",
            timeout=15000,
        )
        page.reload()  # controlled by the worker from now on
        context.set_offline(True)
        page.goto(self.live_server_url + lite_url(self.story))
        self.assertIn("The plant will serve 400,000 homes.", page.content())
        page.goto(self.live_server_url + "/en/lite/")
        self.assertIn(self.story.title, page.content())
        page.goto(self.live_server_url + "/en/lite/business/")  # never saved
        self.assertIn("You are offline", page.content())
        page.wait_for_selector("#saved-stories li a")
        self.assertIn(self.story.title, page.inner_text("#saved-stories"))

    def test_the_offline_reader_keeps_nothing_personal_or_outside_the_lite_edition(self):
        context = self.browser.new_context()
        self.addCleanup(context.close)
        page = context.new_page()
        page.goto(self.live_server_url + "/en/lite/")
        page.evaluate("navigator.serviceWorker.ready")
        page.wait_for_function("(async () => (await caches.keys()).length > 0)()", timeout=15000)
        page.goto(self.live_server_url + self.story.url)  # a full page, with its comment form
        page.goto(self.live_server_url + "/en/lite/")
        kept = page.evaluate(
            "(async () => { const out = []; for (const n of await caches.keys()) {"
            " for (const r of await (await caches.open(n)).keys()) out.push(new URL(r.url).pathname); } return out; })()"
        )
        self.assertTrue(kept)
        for path in kept:
            self.assertTrue(path.startswith("/en/lite/") or path.startswith("/static/lite/"), path)
