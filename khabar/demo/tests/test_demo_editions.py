"""`khabar demo` builds every configured edition: Central Kurdish and Persian beside English and
Arabic, or without Arabic, in whatever order KHABAR_LANGUAGES lists them."""

from io import StringIO
from unittest import mock

from django.core.management import call_command
from django.test import TestCase, override_settings

from khabar.comments.models import CommentSettings
from khabar.demo import builder
from khabar.news.models import ArticlePage, AuthorPage, HomePage, SectionPage, StandardPage

NAMES = {"en": "English", "ar": "العربية", "ckb": "کوردی", "fa": "فارسی"}
REGIONAL = ("ckb", "fa")


def editions(*codes, default="en"):
    """The settings KHABAR_LANGUAGES=<codes> gives (Wagtail reads its own copy of the list)."""
    languages = [(code, NAMES[code]) for code in codes]
    return override_settings(
        LANGUAGES=languages,
        WAGTAIL_CONTENT_LANGUAGES=languages,
        WAGTAILADMIN_PERMITTED_LANGUAGES=languages,
        LANGUAGE_CODE=default,
    )


def load_demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def load_small_demo() -> str:
    """The demo with fewer generated English and Arabic stories (they are not what these tests are about)."""
    with (
        mock.patch.object(builder, "ENGLISH_ARTICLES", 9),
        mock.patch.object(builder, "ARABIC_TRANSLATIONS", 3),
        mock.patch.object(builder, "ARABIC_ONLY", 3),
    ):
        return load_demo()


class EditionChecks:
    """What every regional edition of the demo must have, whatever else is on."""

    codes: tuple[str, ...]

    def assert_edition_is_complete(self, code):
        home = HomePage.objects.get(locale__language_code=code)
        self.assertTrue(home.live)
        self.assertTrue(home.tagline)
        sections = SectionPage.objects.live().child_of(home)
        self.assertEqual({s.slug for s in sections}, {"iraq", "business", "culture"})
        articles = ArticlePage.objects.published().filter(locale__language_code=code)
        self.assertGreaterEqual(articles.count(), 6)
        for section in sections:
            self.assertTrue(articles.child_of(section).exists(), f"{code} {section.slug} has no story")
        self.assertGreaterEqual(AuthorPage.objects.live().filter(locale__language_code=code).count(), 3)
        for article in articles.select_related("lead_image"):
            self.assert_article_is_complete(article, code)

    def assert_article_is_complete(self, article, code):
        label = f"{code} {article.slug}"
        self.assertTrue(article.lead_image, label)
        self.assertTrue(article.caption and article.credit, label)
        self.assertTrue(article.lead_image.alt_text, label)
        self.assertTrue(article.standfirst and article.dateline, label)
        self.assertNotIn("{", article.title + article.standfirst, label)  # every place filled in
        bylines = list(article.bylines.select_related("author__locale"))
        self.assertTrue(bylines, label)
        self.assertEqual({b.author.locale.language_code for b in bylines}, {code}, label)
        self.assertTrue(article.topics.exists(), label)
        figures = [block.value for block in article.body if block.block_type == "image"]
        self.assertTrue(figures and all(f["caption"] and f["credit"] for f in figures), label)
        paragraphs = [block for block in article.body if block.block_type == "paragraph"]
        self.assertGreaterEqual(len(paragraphs), 3, label)

    def assert_served_in_its_language(self, code):
        for article in ArticlePage.objects.published().filter(locale__language_code=code):
            response = self.client.get(article.url)
            self.assertEqual(response.status_code, 200, article.url)
            self.assertContains(response, f'<html lang="{code}" dir="rtl">')
            self.assertContains(response, article.title)


@editions("en", "ar", "ckb", "fa")
class DemoInFourEditionsTests(EditionChecks, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.summary = load_demo()

    def test_the_summary_names_every_edition(self):
        for name in ("English", "Arabic", "Central Kurdish", "Persian"):
            self.assertIn(name, self.summary)

    def test_central_kurdish_and_persian_have_sections_stories_pictures_and_writers(self):
        for code in REGIONAL:
            with self.subTest(code):
                self.assert_edition_is_complete(code)

    def test_their_stories_are_served_right_to_left_in_their_language(self):
        for code in REGIONAL:
            with self.subTest(code):
                self.assert_served_in_its_language(code)

    def test_english_and_arabic_are_the_usual_demo(self):
        self.assertGreaterEqual(ArticlePage.objects.filter(locale__language_code="en").count(), 60)
        self.assertEqual(ArticlePage.objects.filter(locale__language_code="ar").count(), 24)

    def test_sections_writers_index_and_plain_pages_are_translations_of_each_other(self):
        for model, slug in [(SectionPage, "iraq"), (SectionPage, "culture"), (StandardPage, "comment-policy")]:
            pages = model.objects.filter(slug=slug, depth=3)
            self.assertEqual({p.locale.language_code for p in pages}, set(NAMES), slug)
            self.assertEqual(len({p.translation_key for p in pages}), 1, slug)

    def test_a_translated_story_is_linked_to_its_english_source_and_shown_in_the_switcher(self):
        for code in REGIONAL:
            with self.subTest(code):
                linked = [
                    a
                    for a in ArticlePage.objects.filter(locale__language_code=code)
                    if a.get_translations().filter(locale__language_code="en").exists()
                ]
                self.assertEqual(len(linked), 2)  # the flood defences and the book fair
                english = ArticlePage.objects.get(translation_key=linked[0].translation_key, locale__language_code="en")
                response = self.client.get(linked[0].url)
                self.assertContains(response, f'hreflang="en" href="http://testserver{english.url}"')
                other = "fa" if code == "ckb" else "ckb"
                self.assertContains(response, f'hreflang="{other}"')

    def test_each_edition_links_its_comment_policy(self):
        policy = CommentSettings.load().policy_page
        self.assertEqual(
            {p.locale.language_code for p in policy.get_translations(inclusive=True)}, {"en", "ar", "ckb", "fa"}
        )

    def test_loading_again_changes_nothing(self):
        before = ArticlePage.objects.count()
        self.assertIn("already has content", load_demo())
        self.assertEqual(ArticlePage.objects.count(), before)


@editions("ckb", "en")
class DemoWithoutArabicTests(EditionChecks, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.summary = load_small_demo()

    def test_english_and_central_kurdish_only(self):
        self.assertEqual(set(HomePage.objects.values_list("locale__language_code", flat=True)), {"en", "ckb"})
        self.assertFalse(ArticlePage.objects.filter(locale__language_code="ar").exists())
        self.assertNotIn("Arabic", self.summary)
        self.assert_edition_is_complete("ckb")
        self.assert_served_in_its_language("ckb")


@editions("fa", "ar", default="fa")
class DemoWithoutEnglishTests(EditionChecks, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.summary = load_small_demo()

    def test_persian_is_the_default_edition_and_arabic_stands_on_its_own(self):
        self.assertEqual(set(HomePage.objects.values_list("locale__language_code", flat=True)), {"fa", "ar"})
        self.assert_edition_is_complete("fa")  # (served in their language: DemoInFourEditionsTests)
        arabic = ArticlePage.objects.published().filter(locale__language_code="ar")
        self.assertTrue(arabic.exists())
        self.assertEqual(self.client.get(arabic.first().url).status_code, 200)

    def test_bulk_articles_in_a_regional_edition_are_written_in_its_language(self):
        call_command("demo", "--articles", "12", "--no-progress", stdout=StringIO())
        generated = ArticlePage.objects.filter(slug__startswith="generated-", locale__language_code="fa")
        self.assertTrue(generated.exists())
        own_headlines = {story.headline.split("{")[0][:12] for story in builder.REGIONAL_EDITIONS["fa"].stories}
        for article in generated:
            self.assertIn(article.title[:12], own_headlines)
            self.assertEqual(self.client.get(article.url).status_code, 200)
