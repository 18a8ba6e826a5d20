import copy
from datetime import timedelta
from pathlib import Path
from xml.etree import ElementTree

import xmlschema
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from khabar import testing
from khabar.core.models import NewsroomSettings
from khabar.news.models import ArticlePage, Correction


def clear_caches() -> None:
    """Every configured cache: Wagtail keeps renditions and site root paths there, shared on disk."""
    for alias in settings.CACHES:
        caches[alias].clear()


SCHEMAS = Path(__file__).parent / "schemas"
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
}
DRIVER = """<?xml version="1.0"?>
<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:khabar:tests">
  <xsd:import namespace="http://www.sitemaps.org/schemas/sitemap/0.9" schemaLocation="sitemap.xsd"/>
  <xsd:import namespace="http://www.google.com/schemas/sitemap-news/0.9" schemaLocation="sitemap-news.xsd"/>
  <xsd:import namespace="http://www.w3.org/1999/xhtml" schemaLocation="xhtml-link.xsd"/>
</xsd:schema>"""

_schemas = {}


def parse_xml(content: bytes) -> ElementTree.Element:
    return ElementTree.fromstring(content)  # noqa: S314 (our own output, in a test)


def schema(name: str) -> xmlschema.XMLSchema:
    if name not in _schemas:
        if name == "driver":
            _schemas[name] = xmlschema.XMLSchema(DRIVER, base_url=str(SCHEMAS))
        else:
            _schemas[name] = xmlschema.XMLSchema(str(SCHEMAS / name))
    return _schemas[name]


def without_alternates(root: ElementTree.Element) -> ElementTree.Element:
    root = copy.deepcopy(root)
    for url in root.findall("sm:url", NS):
        for link in url.findall("xhtml:link", NS):
            url.remove(link)
    return root


def valid_sitemap(response) -> ElementTree.Element:
    """Strictly valid (with our xhtml:link declaration) and valid against sitemap.xsd alone without it."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/xml")
    root = parse_xml(response.content)
    schema("driver").validate(root)
    schema("sitemap.xsd").validate(without_alternates(root))
    return root


class SitemapTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.room = testing.newsroom(articles_per_section=2)
        cls.iraq = cls.room.sections["iraq"]
        cls.old = cls.room.articles[1]
        cls.corrected = cls.room.articles[0]
        cls.note = Correction.objects.create(
            page=cls.corrected,
            text="An earlier version misnamed the minister.",
            noted_at=timezone.now() + timedelta(minutes=5),
        )
        cls.embargoed = testing.article(cls.iraq, "Embargoed", embargo_until=timezone.now() + timedelta(hours=3))
        cls.draft = testing.article(cls.iraq, "Draft")
        ArticlePage.objects.filter(pk=cls.draft.pk).update(live=False)
        ar = testing.arabic_locale()
        cls.iraq_ar = cls.iraq.copy_for_translation(ar)
        cls.iraq_ar.title = "أخبار العراق"
        cls.iraq_ar.slug = "iraq"
        testing.publish(cls.iraq_ar)

    def setUp(self):
        clear_caches()

    def locations(self, root):
        return [loc.text for loc in root.iterfind("sm:url/sm:loc", NS)]

    def test_index_validates_and_names_each_edition_sitemap(self):
        response = self.client.get("/sitemap.xml")
        root = parse_xml(response.content)
        schema("siteindex.xsd").validate(root)
        locations = [loc.text for loc in root.iterfind("sm:sitemap/sm:loc", NS)]
        self.assertEqual(locations, ["http://testserver/sitemap-en.xml", "http://testserver/sitemap-ar.xml"])

    def test_edition_sitemap_validates_and_lists_published_pages_only(self):
        root = valid_sitemap(self.client.get("/sitemap-en.xml"))
        locations = self.locations(root)
        self.assertIn("http://testserver/en/", locations)
        self.assertIn("http://testserver/en/iraq/", locations)
        self.assertIn("http://testserver" + self.old.url, locations)
        self.assertIn("http://testserver" + self.room.authors[0].url, locations)
        self.assertNotIn("http://testserver" + self.embargoed.url, locations)
        self.assertNotIn("http://testserver" + self.draft.url, locations)
        self.assertFalse(any("/ar/" in loc for loc in locations))

    def lastmod(self, root, url):
        for entry in root.iterfind("sm:url", NS):
            if entry.findtext("sm:loc", namespaces=NS) == "http://testserver" + url:
                return parse_datetime(entry.findtext("sm:lastmod", namespaces=NS))
        raise AssertionError(f"{url} not in sitemap")

    def test_lastmod_is_the_last_real_update_never_now(self):
        root = valid_sitemap(self.client.get("/sitemap-en.xml"))
        self.assertEqual(self.lastmod(root, self.old.url), self.old.last_published_at)
        self.assertEqual(self.lastmod(root, self.corrected.url), self.note.noted_at)
        later = timezone.now() + timedelta(days=1)
        ArticlePage.objects.filter(pk=self.old.pk).update(updated_at=later)
        root = valid_sitemap(self.client.get("/sitemap-en.xml"))
        self.assertEqual(self.lastmod(root, self.old.url), later)

    def test_translated_pages_carry_hreflang_alternates_and_x_default(self):
        root = valid_sitemap(self.client.get("/sitemap-ar.xml"))
        entry = next(
            u for u in root.iterfind("sm:url", NS) if u.findtext("sm:loc", namespaces=NS).endswith("/ar/iraq/")
        )
        links = {link.get("hreflang"): link.get("href") for link in entry.iterfind("xhtml:link", NS)}
        self.assertEqual(
            links,
            {
                "en": "http://testserver/en/iraq/",
                "ar": "http://testserver/ar/iraq/",
                "x-default": "http://testserver/en/iraq/",
            },
        )
        # A page without a translation has none.
        en = valid_sitemap(self.client.get("/sitemap-en.xml"))
        article = next(
            u for u in en.iterfind("sm:url", NS) if u.findtext("sm:loc", namespaces=NS).endswith(self.old.url)
        )
        self.assertEqual(article.findall("xhtml:link", NS), [])

    @override_settings(KHABAR_SITEMAP_LIMIT=4)
    def test_a_large_edition_is_split_into_numbered_sitemaps(self):
        index = parse_xml(self.client.get("/sitemap.xml").content)
        locations = [loc.text for loc in index.iterfind("sm:sitemap/sm:loc", NS)]
        english = [loc for loc in locations if "sitemap-en" in loc]
        self.assertGreater(len(english), 1)
        seen = []
        for location in english:
            root = valid_sitemap(self.client.get(location.replace("http://testserver", "")))
            self.assertLessEqual(len(self.locations(root)), 4)
            seen += self.locations(root)
        self.assertEqual(len(seen), len(set(seen)))
        self.assertEqual(set(seen), set(self.locations(valid_sitemap_unlimited(self))))
        self.assertEqual(self.client.get("/sitemap-en.xml?p=99").status_code, 404)
        self.assertEqual(self.client.get("/sitemap-en.xml?p=abc").status_code, 404)
        self.assertEqual(self.client.get("/sitemap-xx.xml").status_code, 404)

    def test_edition_sitemap_costs_a_fixed_number_of_queries(self):
        def count():
            clear_caches()
            self.client.get("/sitemap-en.xml")
            with CaptureQueriesContext(connection) as queries:
                self.client.get("/sitemap-en.xml")
            return len(queries)

        before = count()
        for n in range(4):
            testing.article(self.iraq, f"Another {n}")
        clear_caches()
        self.client.get("/sitemap-en.xml")
        with self.assertNumQueries(before):
            self.client.get("/sitemap-en.xml")

    def test_robots_txt_names_both_sitemaps_and_disallows_the_admin(self):
        response = self.client.get("/robots.txt")
        self.assertEqual(response["Content-Type"], "text/plain; charset=utf-8")
        lines = response.content.decode().splitlines()
        self.assertIn("Disallow: /admin/", lines)
        self.assertIn("Sitemap: http://testserver/sitemap.xml", lines)
        self.assertIn("Sitemap: http://testserver/news-sitemap.xml", lines)


def valid_sitemap_unlimited(test):
    with override_settings(KHABAR_SITEMAP_LIMIT=50_000):
        return valid_sitemap(test.client.get("/sitemap-en.xml"))


class NewsSitemapTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        now = timezone.now()
        cls.section = testing.section("Iraq News", slug="iraq")
        cls.fresh = testing.article(cls.section, "Fresh & <new>", published=now - timedelta(hours=2))
        cls.edge = testing.article(cls.section, "Forty-seven hours", published=now - timedelta(hours=47))
        cls.stale = testing.article(cls.section, "Three days old", published=now - timedelta(hours=72))
        cls.embargoed = testing.article(cls.section, "Under embargo", embargo_until=now + timedelta(hours=1))
        arabic = testing.section("العراق", language="ar", slug="iraq-ar")
        cls.arabic = testing.article(arabic, "خبر جديد", published=now - timedelta(hours=1))
        settings = NewsroomSettings.load()
        settings.publisher_name = "Khabar News"
        settings.save()

    def get_root(self):
        response = self.client.get("/news-sitemap.xml")
        self.assertEqual(response.status_code, 200)
        root = parse_xml(response.content)
        schema("driver").validate(root)
        return root

    def test_it_validates_and_lists_articles_of_the_last_48_hours_only(self):
        root = self.get_root()
        titles = [t.text for t in root.iterfind("sm:url/news:news/news:title", NS)]
        self.assertEqual(titles, ["خبر جديد", "Fresh & <new>", "Forty-seven hours"])

    def test_each_entry_has_the_required_news_elements(self):
        root = self.get_root()
        for url in root.iterfind("sm:url", NS):
            news = url.find("news:news", NS)
            self.assertEqual(news.findtext("news:publication/news:name", namespaces=NS), "Khabar News")
            self.assertIn(news.findtext("news:publication/news:language", namespaces=NS), {"en", "ar"})
            self.assertIsNotNone(parse_datetime(news.findtext("news:publication_date", namespaces=NS)))
            self.assertTrue(news.findtext("news:title", namespaces=NS))
        first = root.find("sm:url", NS)
        self.assertEqual(first.findtext("sm:loc", namespaces=NS), "http://testserver" + self.arabic.url)
        self.assertEqual(first.findtext("news:news/news:publication/news:language", namespaces=NS), "ar")
        self.assertEqual(
            parse_datetime(first.findtext("news:news/news:publication_date", namespaces=NS)),
            self.arabic.first_published_at,
        )

    def test_embargoed_article_is_absent(self):
        self.assertNotContains(self.client.get("/news-sitemap.xml"), "Under embargo")

    def test_at_most_1000_urls(self):
        from khabar.feeds import sitemaps

        original = sitemaps.NEWS_LIMIT
        sitemaps.NEWS_LIMIT = 2
        try:
            self.assertEqual(len(self.get_root().findall("sm:url", NS)), 2)
        finally:
            sitemaps.NEWS_LIMIT = original
        self.assertEqual(original, 1000)
