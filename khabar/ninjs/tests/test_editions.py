"""ninjs in the Central Kurdish and Persian editions: exports say `ckb` / `fa` (valid ninjs 2.2), imports
land in the edition of their language (also under its other tags), and a language without an edition is
refused by name."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test import SimpleTestCase, TestCase, override_settings

from khabar import testing
from khabar.news.models import ArticlePage
from khabar.ninjs.exporter import to_ninjs
from khabar.ninjs.importer import snapshot
from khabar.ninjs.mapping import edition_code
from khabar.ninjs.tests.helpers import PictureServer, item, run_import, write
from khabar.ninjs.tests.test_export import official_validator

FOUR = [("en", "English"), ("ar", "العربية"), ("ckb", "کوردی"), ("fa", "فارسی")]
FOUR_EDITIONS = override_settings(LANGUAGES=FOUR, WAGTAIL_CONTENT_LANGUAGES=FOUR, WAGTAILADMIN_PERMITTED_LANGUAGES=FOUR)

STORIES = {
    "ckb": {
        "section": ("هەواڵی عێراق", "iraq"),
        "author": "شیلان عومەر",
        "headline": "ئاستی ئاوی دەریاچەی دوکان بەرز بووەتەوە",
        "standfirst": "ئاوی کۆگاکراو بەشی هاوینێکی تەواو دەکات.",
        "paragraph": "ئەندازیارانی بەنداوەکە دەڵێن ئاوەکە بەشی کێڵگەکانی خوارەوە دەکات.",
        "dateline": "سلێمانی",
        "caption": "دەریاچەی دوکان لە بەیانییەکی بەهاردا",
        "credit": "وێنە: ئاژانسی خەبەر",
        "topic": "ئاو",
    },
    "fa": {
        "section": ("اخبار عراق", "iraq"),
        "author": "مریم رضایی",
        "headline": "کربلا برای زائران ایستگاه‌های تازه‌ی آب برپا می‌کند",
        "standfirst": "بیش از صد ایستگاه در مسیر پیاده‌روی فعال می‌شود.",
        "paragraph": "ایستگاه‌ها شبانه‌روزی کار می‌کنند.",
        "dateline": "کربلا",
        "caption": "زائران در مسیر پیاده‌روی به سوی کربلا",
        "credit": "عکس: خبرگزاری خبر",
        "topic": "زیارت",
    },
}


def regional_article(language: str) -> ArticlePage:
    story = STORIES[language]
    title, slug = story["section"]
    section = testing.section(title, language=language, slug=slug)
    figure = testing.image(story["caption"], credit=story["credit"], caption=story["caption"])
    body = [
        testing.paragraph(story["paragraph"]),
        {"type": "image", "value": {"image": figure.pk, "caption": "", "credit": ""}},
    ]
    page = testing.article(
        section, story["headline"], authors=[testing.author(story["author"], language=language)], body=body,
        standfirst=story["standfirst"], dateline=story["dateline"],
        lead_image=testing.image(story["caption"], credit=story["credit"], caption=story["caption"]),
    )  # fmt: skip
    page.topics.add(story["topic"])
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@FOUR_EDITIONS
class RegionalExports(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.articles = {language: regional_article(language) for language in STORIES}

    def test_an_export_says_its_language_and_is_valid_ninjs_2_2(self):
        validator = official_validator()
        for language, article in self.articles.items():
            with self.subTest(language):
                exported = to_ninjs(article, "https://news.example")
                self.assertEqual(exported["language"], language)
                self.assertEqual([f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(exported)], [])

    def test_the_export_command_limits_to_the_edition(self):
        for language, article in self.articles.items():
            with self.subTest(language):
                out = io.StringIO()
                call_command("export", "--format", "ninjs", "--language", language, stdout=out, stderr=io.StringIO())
                lines = [json.loads(line) for line in out.getvalue().splitlines()]
                self.assertEqual([(line["language"], line["headlines"][0]["value"]) for line in lines],
                                 [(language, article.title)])  # fmt: skip

    def test_the_edition_api_serves_its_items(self):
        for language, article in self.articles.items():
            with self.subTest(language):
                self.assertEqual(self.client.get(f"/{language}/ninjs/{article.pk}/").json()["language"], language)
                listing = self.client.get(f"/api/ninjs/?language={language}").json()
                self.assertEqual([i["language"] for i in listing["items"]], [language])

    def test_export_then_import_gives_back_the_same_article_in_the_same_edition(self):
        media = Path(settings.MEDIA_ROOT)
        for language, original in self.articles.items():
            with self.subTest(language), PictureServer(media.parent) as server:
                text = json.dumps(to_ninjs(original, "https://news.example"), ensure_ascii=False)
                exported = json.loads(text.replace("https://news.example/media", server.url + "/" + media.name))
                exported["uri"] = f"urn:partner:{language}-copy"
                with tempfile.TemporaryDirectory() as folder:
                    out, _err, code = run_import(write(Path(folder), "a.json", exported), "--publish")
                self.assertEqual(code, 0, out)
                copy = ArticlePage.objects.get(source_uri=exported["uri"])
                self.assertEqual(copy.locale.language_code, language)
                self.assertEqual(copy.get_parent().pk, original.get_parent().pk)  # its section, by slug
                self.assertEqual(snapshot(copy), snapshot(original))
                self.assertEqual(self.client.get(copy.url).status_code, 200)


@FOUR_EDITIONS
class RegionalImports(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.sections = {language: testing.section(STORIES[language]["section"][0], language=language, slug="iraq")
                        for language in STORIES}  # fmt: skip

    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self._tmp.cleanup)
        self.dir = Path(self._tmp.name)

    def test_an_item_lands_in_the_edition_of_its_language_under_any_of_its_tags(self):
        for n, (tag, edition) in enumerate(
            [("ckb", "ckb"), ("ckb-IQ", "ckb"), ("ku-Arab", "ckb"), ("ku-Arab-IQ", "ckb"), ("fa", "fa"),
             ("fa-IR", "fa")]
        ):  # fmt: skip
            with self.subTest(tag):
                doc = item(uri=f"urn:wire:{n}", language=tag, headlines=[{"value": STORIES[edition]["headline"]}],
                           subjects=[{"name": "iraq", "rel": "section"}])  # fmt: skip
                out, _err, code = run_import(write(self.dir, f"{n}.json", doc))
                self.assertEqual(code, 0, out)
                page = ArticlePage.objects.get(source_uri=f"urn:wire:{n}")
                self.assertEqual(page.locale.language_code, edition)
                self.assertEqual(page.get_parent().pk, self.sections[edition].pk)

    def test_kurdish_in_latin_script_is_not_sorani(self):
        out, _err, code = run_import(write(self.dir, "ku.json", item(language="ku-Latn")))
        self.assertEqual(code, 0)
        self.assertIn("language ku-Latn has no edition here (editions: ar, ckb, en, fa)", out)
        self.assertFalse(ArticlePage.objects.filter(source_uri=item()["uri"]).exists())


class EditionsOff(TestCase):
    """With the default editions (en, ar) a Sorani or Persian item is refused, by name."""

    def test_an_item_in_a_language_with_no_edition_is_refused_naming_it(self):
        with tempfile.TemporaryDirectory() as folder:
            for tag in ("ckb", "fa-IR"):
                with self.subTest(tag):
                    out, _err, code = run_import(write(Path(folder), f"{tag}.json", item(language=tag)))
                    self.assertIn(f"skipped {folder}/{tag}.json: language {tag} has no edition here", out)
                    self.assertIn("0 created", out)
        self.assertFalse(ArticlePage.objects.exists())

    def test_export_and_api_refuse_a_language_with_no_edition(self):
        from django.core.management.base import CommandError

        with self.assertRaisesMessage(CommandError, "No ckb edition"):
            call_command("export", "--format", "ninjs", "--language", "ckb", stdout=io.StringIO())
        self.assertEqual(self.client.get("/api/ninjs/?language=fa").status_code, 400)


class EditionCodes(SimpleTestCase):
    def test_tags_map_to_the_edition_code(self):
        cases = {
            "ckb": "ckb", "ckb-IQ": "ckb", "ckb-Arab-IQ": "ckb", "ku-Arab": "ckb", "KU-arab-IR": "ckb",
            "ku": "ku", "ku-Latn": "ku", "fa": "fa", "fa-IR": "fa", "pes": "fa", "ar_IQ": "ar", "en-GB": "en",
        }  # fmt: skip
        self.assertEqual({tag: edition_code(tag) for tag in cases}, cases)
