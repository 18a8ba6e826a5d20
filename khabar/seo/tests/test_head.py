import json
from datetime import timedelta
from pathlib import Path

import jsonschema
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.db.models import prefetch_related_objects
from django.test import RequestFactory, TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from khabar import testing
from khabar.core.models import NewsImageRendition, NewsroomSettings
from khabar.news.models import ArticlePage, Correction
from khabar.seo import metadata
from khabar.seo.metadata import article_json_ld, json_ld


def clear_caches() -> None:
    """Every configured cache: Wagtail keeps renditions and site root paths there, shared on disk."""
    for alias in settings.CACHES:
        caches[alias].clear()


def head_of(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content, "html.parser").head


def json_ld_of(response) -> dict:
    scripts = head_of(response).find_all("script", type="application/ld+json")
    assert len(scripts) == 1, scripts
    return json.loads(scripts[0].string)


def meta(head, prop):
    return [
        tag["content"]
        for tag in head.find_all("meta", attrs={"property": prop}) + head.find_all("meta", attrs={"name": prop})
    ]


def hreflangs(head) -> dict:
    return {link["hreflang"]: link["href"] for link in head.find_all("link", rel="alternate", hreflang=True)}


class ArticleStructuredDataTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.room = testing.newsroom(articles_per_section=1)
        cls.story = cls.room.articles[0]
        cls.story.topics.add("Water", "Budget")
        testing.publish(cls.story)
        cls.first = Correction.objects.create(
            page=cls.story,
            text="An earlier version misnamed the minister.",
            noted_at=timezone.now() - timedelta(minutes=30),
        )
        cls.second = Correction.objects.create(page=cls.story, text="The vote was 140 to 90.", noted_at=timezone.now())
        cls.update = Correction.objects.create(page=cls.story, kind=Correction.UPDATE, text="Police released names.")
        newsroom = NewsroomSettings.load()
        newsroom.publisher_name = "Khabar Media"
        newsroom.logo = testing.image("Logo")
        newsroom.save()
        cls.plain = testing.article(cls.room.sections["business"], "No picture </script><script>alert(1)</script>")

    def setUp(self):
        # Wagtail caches renditions in the (shared, on-disk) default cache: start each test clean.
        clear_caches()

    def test_article_carries_a_complete_news_article(self):
        data = json_ld_of(self.client.get(self.story.url))
        url = "http://testserver" + self.story.url
        self.assertEqual(data["@context"], "https://schema.org")
        self.assertEqual(data["@type"], "NewsArticle")
        self.assertEqual(data["headline"], self.story.title)
        self.assertEqual(data["mainEntityOfPage"], {"@type": "WebPage", "@id": url})
        self.assertEqual(data["inLanguage"], "en")
        self.assertEqual(data["articleSection"], "Iraq News")
        self.assertEqual(data["datePublished"], self.story.first_published_at.isoformat())
        latest = ArticlePage.objects.get(pk=self.story.pk).last_updated
        self.assertEqual(data["dateModified"], latest.isoformat())
        self.assertEqual(sorted(data["keywords"]), ["Budget", "Water"])

    def test_it_has_the_shape_of_a_schema_org_news_article(self):
        schema = json.loads((Path(__file__).parent / "news_article.schema.json").read_text())
        data = json_ld_of(self.client.get(self.story.url))
        jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
        broken = {**data, "author": [{"@type": "Person", "name": "No URL"}]}
        with self.assertRaises(jsonschema.ValidationError):
            jsonschema.validate(broken, schema)

    def test_authors_are_people_with_urls_one_per_byline(self):
        data = json_ld_of(self.client.get(self.story.url))
        self.assertEqual(
            [(a["@type"], a["name"], a["url"]) for a in data["author"]],
            [
                ("Person", "Layla Hassan", "http://testserver" + self.room.authors[0].url),
                ("Person", "Omar Khalil", "http://testserver" + self.room.authors[1].url),
            ],
        )

    def test_images_in_three_aspect_ratios_as_absolute_urls(self):
        images = json_ld_of(self.client.get(self.story.url))["image"]
        ratios = [round(i["width"] / i["height"], 2) for i in images]
        self.assertEqual(ratios, [1.78, 1.33, 1.0])
        for image in images:
            self.assertEqual(image["@type"], "ImageObject")
            self.assertTrue(image["url"].startswith("http://testserver/media/images/"))
            name = image["url"].removeprefix("http://testserver/media/")
            rendition = NewsImageRendition.objects.get(file=name)
            self.assertTrue(rendition.file.storage.exists(rendition.file.name), name)

    def test_publisher_is_an_organization_with_a_logo(self):
        publisher = json_ld_of(self.client.get(self.story.url))["publisher"]
        self.assertEqual(publisher["@type"], "Organization")
        self.assertEqual(publisher["name"], "Khabar Media")
        self.assertEqual(publisher["logo"]["@type"], "ImageObject")
        self.assertTrue(publisher["logo"]["url"].startswith("http://testserver/media/images/"))
        self.assertLessEqual(publisher["logo"]["height"], 60)

    def test_a_new_publisher_name_shows_at_once(self):
        self.client.get(self.story.url)
        newsroom = NewsroomSettings.load()
        newsroom.publisher_name = "Khabar Daily"
        newsroom.save()
        self.assertEqual(json_ld_of(self.client.get(self.story.url))["publisher"]["name"], "Khabar Daily")

    def test_corrections_are_correction_comments_with_text_and_date(self):
        corrections = json_ld_of(self.client.get(self.story.url))["correction"]
        self.assertEqual(
            corrections,
            [
                {
                    "@type": "CorrectionComment",
                    "text": self.first.text,
                    "datePublished": self.first.noted_at.isoformat(),
                },
                {
                    "@type": "CorrectionComment",
                    "text": self.second.text,
                    "datePublished": self.second.noted_at.isoformat(),
                },
            ],
        )

    def test_article_without_image_or_corrections_omits_them_and_escapes_script_end(self):
        response = self.client.get(self.plain.url)
        self.assertNotContains(response, "</script><script>alert(1)")
        data = json_ld_of(response)
        self.assertEqual(data["headline"], self.plain.title)
        self.assertNotIn("image", data)
        self.assertNotIn("correction", data)
        self.assertEqual(data["dateModified"], data["datePublished"])

    def test_a_never_published_draft_in_preview_gets_json_ld_without_error(self):
        draft = ArticlePage.objects.get(pk=self.plain.pk)
        draft.first_published_at = None
        data = article_json_ld(draft, "http://testserver/preview/", None)
        self.assertEqual(data["datePublished"], data["dateModified"])

    def test_head_of_an_article_costs_two_queries_once_images_are_cached(self):
        request = RequestFactory().get(self.story.url)
        article = ArticlePage.objects.select_related("lead_image", "locale").get(pk=self.story.pk)
        prefetch_related_objects([article], "bylines__author", "corrections", "topics", "tagged_topics__tag")
        metadata.build({"page": article, "request": request})  # renditions are made and cached
        article.__dict__.pop("section", None)
        with CaptureQueriesContext(connection) as queries:
            head = metadata.build({"page": article, "request": request})
        # Language versions and the section (unless the news app caches it); the publisher is cached.
        self.assertLessEqual(len(queries), 2, [q["sql"][:120] for q in queries])
        self.assertIn("NewsArticle", head.json_ld)

    def test_json_ld_escaping_cannot_close_the_script_element(self):
        text = json_ld({"headline": "</script><!-- & -->"})
        self.assertNotIn("<", text)
        self.assertNotIn(">", text)
        self.assertEqual(json.loads(text), {"headline": "</script><!-- & -->"})

    def test_opengraph_and_twitter_tags_describe_the_article(self):
        head = head_of(self.client.get(self.story.url))
        url = "http://testserver" + self.story.url
        self.assertEqual(meta(head, "og:type"), ["article"])
        self.assertEqual(meta(head, "og:title"), [self.story.title])
        self.assertEqual(meta(head, "og:description"), [self.story.standfirst])
        self.assertEqual(meta(head, "og:url"), [url])
        self.assertEqual(meta(head, "og:locale"), ["en_US"])
        wide = json_ld_of(self.client.get(self.story.url))["image"][0]
        self.assertEqual(meta(head, "og:image:width"), [str(wide["width"])])
        self.assertEqual(meta(head, "og:image:height"), [str(wide["height"])])
        self.assertAlmostEqual(wide["width"] / wide["height"], 16 / 9, places=2)
        self.assertEqual(meta(head, "og:image:alt"), [self.story.lead_image.alt_text])
        self.assertTrue(meta(head, "og:image")[0].startswith("http://testserver/media/"))
        self.assertEqual(meta(head, "article:published_time"), [self.story.first_published_at.isoformat()])
        self.assertEqual(len(meta(head, "article:modified_time")), 1)
        self.assertEqual(meta(head, "article:section"), ["Iraq News"])
        self.assertEqual(sorted(meta(head, "article:tag")), ["Budget", "Water"])
        self.assertEqual(meta(head, "twitter:card"), ["summary_large_image"])
        self.assertEqual(meta(head, "twitter:image"), meta(head, "og:image"))
        self.assertEqual(head.find("link", rel="canonical")["href"], url)


class CanonicalAndHreflangTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.room = testing.newsroom(articles_per_section=1)
        ar = testing.arabic_locale()
        cls.iraq = cls.room.sections["iraq"]
        cls.iraq_ar = cls.iraq.copy_for_translation(ar)
        cls.iraq_ar.slug = "iraq"
        testing.publish(cls.iraq_ar)
        cls.story = cls.room.articles[0]
        cls.story_ar = cls.story.copy_for_translation(ar)
        cls.story_ar.title = "البرلمان يقر الميزانية"
        testing.publish(cls.story_ar)
        cls.story_ar.refresh_from_db()
        cls.author = cls.room.authors[0]
        cls.author_ar = cls.author.copy_for_translation(ar, copy_parents=True)
        testing.publish(cls.author_ar)
        cls.lonely = cls.room.articles[1]

    def test_home_section_author_and_article_have_hreflang_and_x_default(self):
        pairs = [
            ("/en/", "/ar/"),
            ("/en/iraq/", "/ar/iraq/"),
            (self.author.url, self.author_ar.url),
            (self.story.url, self.story_ar.url),
        ]
        for en, ar in pairs:
            for url in (en, ar):
                head = head_of(self.client.get(url))
                self.assertEqual(
                    hreflangs(head),
                    {
                        "en": "http://testserver" + en,
                        "ar": "http://testserver" + ar,
                        "x-default": "http://testserver" + en,
                    },
                    url,
                )
                self.assertEqual(head.find("link", rel="canonical")["href"], "http://testserver" + url)
        head = head_of(self.client.get(self.story_ar.url))
        self.assertEqual(meta(head, "og:locale"), ["ar_AR"])
        self.assertEqual(meta(head, "og:locale:alternate"), ["en_US"])

    def test_page_without_translation_has_canonical_but_no_hreflang(self):
        head = head_of(self.client.get(self.lonely.url))
        self.assertEqual(hreflangs(head), {})
        self.assertEqual(head.find("link", rel="canonical")["href"], "http://testserver" + self.lonely.url)

    def test_an_embargoed_translation_is_not_linked(self):
        ArticlePage.objects.filter(pk=self.story_ar.pk).update(embargo_until=timezone.now() + timedelta(hours=2))
        self.assertEqual(hreflangs(head_of(self.client.get(self.story.url))), {})
        self.assertEqual(self.client.get(self.story_ar.url).status_code, 404)

    def test_listing_pages_have_canonical_with_page_number_and_website_og(self):
        head = head_of(self.client.get("/en/iraq/"))
        self.assertEqual(meta(head, "og:type"), ["website"])
        self.assertEqual(meta(head, "twitter:card"), ["summary"])
        self.assertEqual(head.find_all("script", type="application/ld+json"), [])
        with self.settings(KHABAR_PAGE_SIZE=1):
            testing.article(self.iraq, "Second story")
            head = head_of(self.client.get("/en/iraq/?page=2"))
            self.assertEqual(head.find("link", rel="canonical")["href"], "http://testserver/en/iraq/?page=2")

    def test_topic_page_links_editions_that_cover_the_topic(self):
        self.story.topics.add("Oil")
        testing.publish(self.story)
        head = head_of(self.client.get("/en/topics/oil/"))
        self.assertEqual(head.find("link", rel="canonical")["href"], "http://testserver/en/topics/oil/")
        self.assertEqual(hreflangs(head), {})
        story_ar = ArticlePage.objects.get(pk=self.story_ar.pk)
        story_ar.topics.add("Oil")
        testing.publish(story_ar)
        self.assertEqual(
            hreflangs(head_of(self.client.get("/en/topics/oil/"))),
            {
                "en": "http://testserver/en/topics/oil/",
                "ar": "http://testserver/ar/topics/oil/",
                "x-default": "http://testserver/en/topics/oil/",
            },
        )

    def test_error_pages_carry_no_canonical(self):
        response = self.client.get("/en/no-such-page/")
        self.assertEqual(response.status_code, 404)
        self.assertNotContains(response, 'rel="canonical"', status_code=404)
