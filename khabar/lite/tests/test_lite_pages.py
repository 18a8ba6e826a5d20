"""The lite edition: the same stories as the full site, in small pages that need no script and no pictures."""

import time
from datetime import timedelta
from html.parser import HTMLParser
from unittest import mock

from django.conf import settings
from django.core.cache import caches
from django.test import TestCase, override_settings
from django.utils import timezone
from wagtail.models import PageViewRestriction

from khabar import testing
from khabar.lite.links import lite_url
from khabar.lite.tests.builders import lite_site


class Tags(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def named(self, name: str) -> list[dict]:
        return [attrs for tag, attrs in self.tags if tag == name]


class LitePageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.room, cls.story, cls.section_ar, cls.story_ar = lite_site()

    def setUp(self):
        caches[settings.KHABAR_PAGE_CACHE_ALIAS].clear()
        caches["default"].clear()  # cached navigation and restricted paths of earlier tests

    def get(self, url, status=200):
        response = self.client.get(url)
        self.assertEqual(response.status_code, status, url)
        return response.content.decode()

    def test_the_lite_home_lists_headlines_dates_and_standfirsts_linking_to_lite_stories(self):
        html = self.get("/en/lite/")
        self.assertIn(self.story.title, html)
        self.assertIn(self.story.standfirst, html)
        self.assertIn(f'href="{lite_url(self.story)}"', html)
        self.assertIn("<time datetime=", html)
        self.assertIn('href="/en/lite/iraq/"', html)  # the sections, lite too

    def test_a_lite_section_lists_its_stories(self):
        html = self.get("/en/lite/iraq/")
        self.assertIn(self.story.title, html)
        self.assertNotIn(self.room.sections["business"].get_children().first().title, html)

    def test_a_lite_story_carries_the_whole_story_without_pictures(self):
        html = self.get(lite_url(self.story))
        for text in [
            "BASRA",
            "Layla Hassan",
            "400,000 homes",
            "What residents say",
            "We waited years.",
            "Huda Karim",
            "In numbers",
            "Two years",
            "misspelled the plant",
            "The minister cut the ribbon.",
            "New pipes",
            "[Photo via the ministry]",
            "[Photo courtesy of Basra Water]",
            "Storm warning for the south",
        ]:
            self.assertIn(text, html)
        tags = Tags(html)
        self.assertEqual(tags.named("img"), [])
        self.assertEqual(tags.named("picture"), [])
        self.assertEqual(tags.named("iframe"), [])
        self.assertEqual([s.get("src", "") for s in tags.named("script")], [s["src"] for s in tags.named("script")])
        self.assertEqual(len(tags.named("script")), 1)  # the offline reader, deferred; nothing inline
        self.assertTrue(tags.named("script")[0]["src"].startswith("/static/lite/lite."))
        self.assertEqual(len([link for link in tags.named("link") if link.get("rel") == "stylesheet"]), 1)
        self.assertNotIn("<style", html)
        self.assertNotIn("style=", html)

    def test_a_picture_loads_only_when_the_reader_asks_for_it(self):
        tags = Tags(self.get(lite_url(self.story)))
        links = [a["href"] for a in tags.named("a") if "/lite/picture/" in a.get("href", "")]
        self.assertEqual(len(links), 2)
        response = self.client.get(links[0])
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(settings.MEDIA_URL + "images/"))

    def test_a_forged_picture_link_is_a_404(self):
        self.get("/en/lite/picture/1/", status=404)
        self.get("/en/lite/picture/not-a-token/", status=404)
        self.get("/en/lite/picture/1:forged-signature/", status=404)

    def test_comments_and_reactions_are_read_only_with_a_link_to_the_full_page(self):
        html = self.get(lite_url(self.story))
        self.assertEqual(Tags(html).named("form"), [])
        self.assertIn("0 Comments", html)
        self.assertIn(f'href="{self.story.url}#comments"', html)

    def test_arabic_lite_pages_are_right_to_left(self):
        html = self.get(lite_url(self.story_ar))
        self.assertIn('<html lang="ar" dir="rtl">', html)
        self.assertIn("تخدم المحطة", html)
        self.assertIn('<html lang="ar" dir="rtl">', self.get("/ar/lite/"))

    def test_every_full_page_links_to_its_lite_version_and_the_lite_page_back(self):
        for full, lite in [
            ("/en/", "/en/lite/"),
            ("/en/iraq/", "/en/lite/iraq/"),
            (self.story.url, lite_url(self.story)),
        ]:
            tags = Tags(self.get(full))
            self.assertIn(lite, [link["href"] for link in tags.named("link") if link.get("rel") == "alternate"], full)
            self.assertIn(lite, [a["href"] for a in tags.named("a")], full)
            lite_tags = Tags(self.get(lite))
            canonical = [link["href"] for link in lite_tags.named("link") if link.get("rel") == "canonical"]
            self.assertEqual(canonical, [settings.BASE_URL + full])
            self.assertIn(full, [a["href"] for a in lite_tags.named("a")])

    def test_pages_without_a_lite_version_link_to_the_lite_front_page(self):
        tags = Tags(self.get(self.room.authors[0].url))
        self.assertIn("/en/lite/", [a["href"] for a in tags.named("a")])
        self.assertNotIn(
            "alternate", [link.get("rel") for link in tags.named("link") if "lite" in link.get("href", "")]
        )

    def test_feeds_and_sitemaps_keep_listing_only_full_pages(self):
        for url in ["/en/feed/", "/sitemap-en.xml", "/news-sitemap.xml"]:
            self.assertNotIn("/lite/", self.get(url), url)

    def test_a_story_the_full_site_hides_is_not_in_the_lite_edition(self):
        hidden = [
            testing.article(self.room.sections["iraq"], "A draft", live=False),
            testing.article(
                self.room.sections["iraq"], "Under embargo", embargo_until=timezone.now() + timedelta(hours=3)
            ),
        ]
        private = testing.article(self.room.sections["iraq"], "Members only")
        PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
        caches["default"].clear()  # the cached list of restricted paths
        for page in [*hidden, private]:
            self.get(lite_path_of(page), status=404)
            self.assertNotIn(page.title, self.get("/en/lite/"))
            self.assertNotIn(page.title, self.get("/en/lite/iraq/"))

    def test_unknown_lite_paths_are_404s(self):
        self.get("/en/lite/no-such-section/", status=404)
        self.get("/en/lite/iraq/no-such-story/", status=404)
        self.get("/en/lite/a/b/c/", status=404)

    def test_lite_pages_are_the_same_bytes_for_every_reader(self):
        url = lite_url(self.story)
        first = self.client.get(url)
        self.client.cookies["csrftoken"] = "x" * 32
        self.client.cookies["khabar_reader"] = "someone"
        later = time.time() + 5  # a second render a few seconds later (signatures must not carry the time)
        with mock.patch("time.time", return_value=later):
            second = self.client.get(url)
        self.assertEqual(first.content, second.content)
        self.assertNotIn(b"csrfmiddlewaretoken", first.content)
        self.assertFalse(first.cookies)


def lite_path_of(page) -> str:
    from khabar.lite.links import lite_path

    return lite_path(page.url_path)


class LatestStoriesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.room, cls.story, cls.section_ar, cls.story_ar = lite_site()

    def setUp(self):
        caches["default"].clear()  # cached navigation and restricted paths of earlier tests

    @override_settings(KHABAR_LITE_OFFLINE_ARTICLES=2)
    def test_the_offline_list_has_the_newest_published_stories_of_the_edition(self):
        testing.article(self.room.sections["iraq"], "Under embargo", embargo_until=timezone.now() + timedelta(hours=3))
        data = self.client.get("/en/lite/latest.json").json()
        self.assertEqual(data["home"], "/en/lite/")
        self.assertEqual(len(data["articles"]), 2)
        self.assertEqual(data["articles"][0], {"url": lite_url(self.story), "title": self.story.title})
        self.assertNotIn("Under embargo", str(data))
        self.assertNotIn(self.story_ar.title, str(data))

    def test_the_service_worker_is_served_under_the_lite_scope_and_never_kept_stale(self):
        response = self.client.get("/ar/lite/sw.js")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/javascript; charset=utf-8")
        self.assertEqual(response["Cache-Control"], "no-cache")
        body = response.content.decode()
        self.assertIn('const SCOPE = "/ar/lite/"', body)
        self.assertIn('credentials: "omit"', body)

    def test_the_service_worker_version_changes_with_the_number_of_saved_stories(self):
        first = self.client.get("/en/lite/sw.js").content
        with override_settings(KHABAR_LITE_OFFLINE_ARTICLES=5):
            second = self.client.get("/en/lite/sw.js").content
        self.assertNotEqual(first, second)

    def test_the_offline_page_explains_in_the_readers_language(self):
        self.assertIn("You are offline", self.client.get("/en/lite/offline/").content.decode())
        self.assertIn('lang="ar"', self.client.get("/ar/lite/offline/").content.decode())
