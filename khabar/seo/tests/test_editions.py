"""Search-engine metadata in each of four editions (en, ar, ckb, fa): lang and dir, JSON-LD inLanguage,
hreflang alternates, OpenGraph locales."""

from django.conf import settings
from django.test import TestCase

from khabar.news.tests.four_editions import EDITIONS, build, four_editions
from khabar.seo.tests.test_head import clear_caches, head_of, hreflangs, json_ld_of, meta

# OpenGraph's own locale names (Facebook's list: Sorani Kurdish is cb_IQ).
OG_LOCALES = {"en": "en_US", "ar": "ar_AR", "ckb": "cb_IQ", "fa": "fa_IR"}


@four_editions
class MetadataInEachEditionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editions = build()

    def setUp(self):
        clear_caches()

    def each_edition(self):
        return [self.editions[code] for code in EDITIONS]

    def test_the_article_page_declares_the_edition_s_language_and_direction(self):
        for edition in self.each_edition():
            with self.subTest(edition=edition.code):
                response = self.client.get(edition.article.url)
                self.assertContains(response, f'<html lang="{edition.code}" dir="{edition.direction}">')

    def test_json_ld_names_the_edition_s_language_and_its_own_texts(self):
        for edition in self.each_edition():
            with self.subTest(edition=edition.code):
                data = json_ld_of(self.client.get(edition.article.url))
                self.assertEqual(data["inLanguage"], edition.code)
                self.assertEqual(data["headline"], edition.text["headline"])
                self.assertEqual(data["description"], edition.text["standfirst"])
                self.assertEqual(data["articleSection"], edition.text["section"])
                self.assertEqual([person["name"] for person in data["author"]], [edition.text["author"]])
                self.assertEqual(data["keywords"], [edition.text["topic"]])
                self.assertEqual([note["text"] for note in data["correction"]], [edition.text["correction"]])
                self.assertTrue(data["url"].endswith(edition.article.url))

    def test_every_translated_page_links_all_four_versions_and_the_default(self):
        for edition in self.each_edition():
            with self.subTest(edition=edition.code):
                for kind in ("home", "section", "article"):
                    links = hreflangs(head_of(self.client.get(getattr(edition, kind).url)))
                    versions = {code: "http://testserver" + getattr(self.editions[code], kind).url for code in EDITIONS}
                    default = versions[settings.LANGUAGE_CODE]
                    self.assertEqual(links, {**versions, "x-default": default}, kind)

    def test_a_topic_only_one_edition_writes_about_has_no_alternates(self):
        # Each edition's topic is named in its own script: no other edition has stories on it.
        for edition in self.each_edition():
            with self.subTest(edition=edition.code):
                self.assertEqual(hreflangs(head_of(self.client.get(edition.topic_url))), {})

    def test_opengraph_gives_the_edition_s_locale_and_the_other_three_as_alternates(self):
        for edition in self.each_edition():
            with self.subTest(edition=edition.code):
                head = head_of(self.client.get(edition.article.url))
                self.assertEqual(meta(head, "og:locale"), [OG_LOCALES[edition.code]])
                others = {OG_LOCALES[code] for code in EDITIONS if code != edition.code}
                self.assertEqual(set(meta(head, "og:locale:alternate")), others)
                self.assertEqual(meta(head, "og:title"), [edition.text["headline"]])
