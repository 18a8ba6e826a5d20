"""Feeds, sitemaps, the Google News sitemap and the read API in each of four editions (en, ar, ckb, fa)."""

from urllib.parse import quote

import feedparser
from django.conf import settings
from django.core.cache import caches
from django.test import TestCase

from khabar.feeds.tests.test_sitemaps import NS, parse_xml, schema, valid_sitemap
from khabar.news.tests.four_editions import EDITIONS, build, four_editions, interface


def clear_caches() -> None:
    """Every configured cache: Wagtail keeps renditions and site root paths there, shared on disk."""
    for alias in settings.CACHES:
        caches[alias].clear()


def parse(response):
    assert response.status_code == 200, (response.status_code, response.request["PATH_INFO"])
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    return feed


@four_editions
class EditionTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editions = build()

    def setUp(self):
        clear_caches()

    def each_edition(self):
        return [self.editions[code] for code in EDITIONS]


class FeedsInEachEditionTests(EditionTestCase):
    def feeds_of(self, edition):
        """Every feed of the edition: its own, its section's, its author's and its topic's, RSS and Atom."""
        links = [edition.home.url, edition.section.url, edition.author.url, edition.topic_url]
        for link in links:
            for suffix in ("feed/", "feed/atom/"):
                yield link + suffix

    def test_every_feed_of_an_edition_names_its_language_and_holds_only_its_story(self):
        for edition in self.each_edition():
            with self.subTest(edition=edition.code):
                for url in self.feeds_of(edition):
                    feed = parse(self.client.get(url))
                    self.assertEqual(feed.feed.language, edition.code, url)
                    self.assertEqual([entry.title for entry in feed.entries], [edition.text["headline"]], url)
                    self.assertTrue(feed.entries[0].link.endswith(edition.article.url), url)

    def test_an_rss_item_carries_the_edition_s_standfirst_byline_and_correction(self):
        for edition in self.each_edition():
            with self.subTest(edition=edition.code):
                entry = parse(self.client.get(edition.home.url + "feed/")).entries[0]
                self.assertIn(edition.text["standfirst"], entry.summary)
                self.assertIn(edition.text["correction"], entry.summary)
                self.assertEqual(entry.author, edition.text["author"])
                self.assertIn(edition.text["section"], [tag.term for tag in entry.tags])

    def test_the_full_text_feed_has_the_edition_s_body(self):
        for edition in self.each_edition():
            with self.subTest(edition=edition.code):
                entry = parse(self.client.get(edition.home.url + "feed/atom/?full=1")).entries[0]
                self.assertIn(edition.text["body"], entry.content[0].value)

    def test_the_correction_label_is_in_the_edition_s_language(self):
        for edition in self.each_edition():
            with self.subTest(edition=edition.code):
                entry = parse(self.client.get(edition.home.url + "feed/")).entries[0]
                self.assertIn(interface(edition.code, "Correction:"), entry.summary)

    def test_every_reader_page_advertises_its_own_edition_s_feeds(self):
        for edition in self.each_edition():
            with self.subTest(edition=edition.code):
                page = self.client.get(edition.article.url).content.decode()
                self.assertIn(f'href="{edition.home.url}feed/"', page)
                for other in set(EDITIONS) - {edition.code}:
                    self.assertNotIn(f'href="/{other}/feed/"', page)


class SitemapsInEachEditionTests(EditionTestCase):
    def test_the_index_names_one_sitemap_per_edition_in_settings_order(self):
        root = parse_xml(self.client.get("/sitemap.xml").content)
        schema("siteindex.xsd").validate(root)
        locations = [loc.text for loc in root.findall("sm:sitemap/sm:loc", NS)]
        self.assertEqual([loc.rsplit("/", 1)[1] for loc in locations], [f"sitemap-{code}.xml" for code in EDITIONS])

    def test_each_edition_sitemap_is_valid_and_lists_only_that_edition(self):
        for edition in self.each_edition():
            with self.subTest(edition=edition.code):
                root = valid_sitemap(self.client.get(f"/sitemap-{edition.code}.xml"))
                paths = [loc.text.removeprefix("http://testserver") for loc in root.findall("sm:url/sm:loc", NS)]
                self.assertIn(edition.home.url, paths)
                self.assertIn(edition.section.url, paths)
                self.assertIn(edition.article.url, paths)
                self.assertIn(edition.author.url, paths)
                self.assertTrue(all(path.startswith(f"/{edition.code}/") for path in paths), paths)

    def test_a_translated_page_lists_all_four_language_versions_and_the_default(self):
        for edition in self.each_edition():
            with self.subTest(edition=edition.code):
                root = valid_sitemap(self.client.get(f"/sitemap-{edition.code}.xml"))
                for page in (edition.home, edition.section, edition.article):
                    url = next(u for u in root.findall("sm:url", NS) if u.find("sm:loc", NS).text.endswith(page.url))
                    links = {link.get("hreflang"): link.get("href") for link in url.findall("xhtml:link", NS)}
                    self.assertEqual(set(links), {*EDITIONS, "x-default"}, page.url)
                    for code in EDITIONS:
                        self.assertTrue(links[code].startswith(f"http://testserver/{code}/"), links)
                    self.assertEqual(links["x-default"], links[settings.LANGUAGE_CODE])

    def test_an_untranslated_page_has_no_alternates(self):
        # Each edition's author page is its own (no translation key shared): no alternates.
        for edition in self.each_edition():
            with self.subTest(edition=edition.code):
                root = valid_sitemap(self.client.get(f"/sitemap-{edition.code}.xml"))
                url = next(
                    u for u in root.findall("sm:url", NS) if u.find("sm:loc", NS).text.endswith(edition.author.url)
                )
                self.assertEqual(url.findall("xhtml:link", NS), [])

    def test_the_news_sitemap_gives_each_story_its_edition_s_language(self):
        response = self.client.get("/news-sitemap.xml")
        self.assertEqual(response.status_code, 200)
        root = parse_xml(response.content)
        schema("driver").validate(root)  # sitemap-news.xsd: news:language is an ISO 639 code of 2 or 3 letters
        languages = {}
        for url in root.findall("sm:url", NS):
            path = url.find("sm:loc", NS).text.removeprefix("http://testserver")
            languages[path] = url.find("news:news/news:publication/news:language", NS).text
            self.assertTrue(url.find("news:news/news:title", NS).text)
        expected = {self.editions[code].article.url: code for code in EDITIONS}
        self.assertEqual(languages, expected)

    def test_the_news_sitemap_titles_are_the_edition_s_headlines(self):
        root = parse_xml(self.client.get("/news-sitemap.xml").content)
        titles = {url.find("news:news/news:title", NS).text for url in root.findall("sm:url", NS)}
        self.assertEqual(titles, {self.editions[code].text["headline"] for code in EDITIONS})


class ReadAPIInEachEditionTests(EditionTestCase):
    def get(self, url):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, response.content[:500])
        return response.json()

    def test_locale_filters_each_edition_s_articles(self):
        for edition in self.each_edition():
            with self.subTest(edition=edition.code):
                data = self.get(f"/api/v2/pages/?type=news.ArticlePage&locale={edition.code}&fields=standfirst,bylines")
                self.assertEqual([item["title"] for item in data["items"]], [edition.text["headline"]])
                item = data["items"][0]
                self.assertEqual(item["meta"]["locale"], edition.code)
                self.assertEqual(item["standfirst"], edition.text["standfirst"])
                self.assertEqual(item["bylines"][0]["name"], edition.text["author"])
                self.assertTrue(item["meta"]["html_url"].endswith(edition.article.url))

    def test_an_article_s_detail_has_its_edition_s_section_and_correction(self):
        for edition in self.each_edition():
            with self.subTest(edition=edition.code):
                data = self.get(f"/api/v2/pages/{edition.article.pk}/")
                self.assertEqual(data["meta"]["locale"], edition.code)
                self.assertEqual(data["section"], {"id": edition.section.pk, "title": edition.text["section"]})
                self.assertEqual([note["text"] for note in data["corrections"]], [edition.text["correction"]])

    def test_translation_of_finds_the_other_three_editions(self):
        english = self.editions["en"].article
        data = self.get(f"/api/v2/pages/?type=news.ArticlePage&translation_of={english.pk}")
        self.assertEqual(sorted(item["meta"]["locale"] for item in data["items"]), sorted(set(EDITIONS) - {"en"}))

    def test_a_section_slug_is_found_in_the_edition_asked_for(self):
        for edition in self.each_edition():
            with self.subTest(edition=edition.code):
                data = self.get(f"/api/v2/pages/?type=news.ArticlePage&section=iraq&locale={edition.code}")
                self.assertEqual([item["id"] for item in data["items"]], [edition.article.pk])

    def test_a_topic_in_its_own_script_finds_the_edition_s_story(self):
        for edition in self.each_edition():
            with self.subTest(edition=edition.code):
                data = self.get(f"/api/v2/pages/?type=news.ArticlePage&topic={quote(edition.topic.slug)}")
                self.assertEqual([item["id"] for item in data["items"]], [edition.article.pk])
