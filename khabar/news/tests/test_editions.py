"""Bilingual editions: right-to-left Arabic, linked translations, the switcher, the admin."""

from datetime import UTC, datetime

from django.test import TestCase, override_settings
from wagtail.models import Locale

from khabar import testing
from khabar.news.models import ArticlePage


class EditionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")
        cls.writer = testing.author("Layla Hassan")
        cls.article = testing.article(cls.section, "Parliament passes the water budget", authors=[cls.writer])
        cls.lonely = testing.article(cls.section, "A story told only in English", authors=[cls.writer])
        arabic = Locale.objects.get(language_code="ar")
        cls.section_ar = cls.section.copy_for_translation(arabic)
        cls.section_ar.title = "أخبار العراق"
        cls.section_ar.save()
        testing.publish(cls.section_ar)
        cls.writer_ar = testing.author("ليلى حسن", language="ar")
        cls.article_ar = testing.article(
            cls.section_ar,
            "البرلمان يقرّ موازنة المياه",
            authors=[cls.writer_ar],
            translation_key=cls.article.translation_key,
            slug=cls.article.slug,
            standfirst="أقرّ النواب خطة الإنفاق بعد ليلة من النقاش.",
            published=datetime(2026, 3, 15, 9, 30, tzinfo=UTC),
        )

    def test_arabic_pages_are_right_to_left_with_lang_set(self):
        response = self.client.get(self.article_ar.url)
        self.assertContains(response, '<html lang="ar" dir="rtl">')
        self.assertContains(response, "بقلم")
        english = self.client.get(self.article.url)
        self.assertContains(english, '<html lang="en" dir="ltr">')

    def test_arabic_dates_use_arabic_month_names(self):
        response = self.client.get(self.article_ar.url)
        self.assertContains(response, "15 مارس 2026")
        self.assertNotContains(response, "March")

    @override_settings(KHABAR_DIGITS={"ar": "arabic-indic"})
    def test_arabic_indic_digits_by_setting(self):
        response = self.client.get(self.article_ar.url)
        year = str(self.article_ar.first_published_at.year).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
        self.assertContains(response, year)

    def test_names_and_user_text_are_direction_isolated(self):
        response = self.client.get(self.article_ar.url)
        self.assertContains(response, "<bdi>ليلى حسن</bdi>")

    def test_switcher_goes_to_the_translation_when_it_exists(self):
        response = self.client.get(self.article.url)
        self.assertContains(response, f'href="{self.article_ar.url}" lang="ar" hreflang="ar"')
        back = self.client.get(self.article_ar.url)
        self.assertContains(back, f'href="{self.article.url}" lang="en" hreflang="en"')

    def test_switcher_goes_to_the_other_edition_home_without_a_translation(self):
        response = self.client.get(self.lonely.url)
        self.assertContains(response, 'href="/ar/" lang="ar" hreflang="ar"')

    def test_each_edition_has_its_own_sections_in_the_masthead(self):
        response = self.client.get("/ar/")
        self.assertContains(response, "أخبار العراق")
        self.assertNotContains(response, ">Iraq News<")

    def test_articles_are_listed_only_in_their_own_edition(self):
        response = self.client.get(self.section_ar.url)
        self.assertContains(response, "البرلمان يقرّ موازنة المياه")
        self.assertNotContains(response, "A story told only in English")


class EditorialAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")
        cls.writer = testing.author("Layla Hassan")
        cls.article = testing.article(cls.section, "Parliament passes the water budget", authors=[cls.writer])
        cls.editor = testing.user("chief", superuser=True)

    def setUp(self):
        self.client.force_login(self.editor)

    def test_translate_creates_a_linked_draft_in_the_arabic_edition(self):
        arabic = Locale.objects.get(language_code="ar")
        section_url = f"/admin/translation/submit/page/{self.section.pk}/"
        self.client.post(section_url, {"locales": [arabic.pk]})
        response = self.client.post(f"/admin/translation/submit/page/{self.article.pk}/", {"locales": [arabic.pk]})
        self.assertEqual(response.status_code, 302)
        translated = ArticlePage.objects.get(locale=arabic, translation_key=self.article.translation_key)
        self.assertFalse(translated.live)
        self.assertEqual(translated.get_parent().translation_key, self.section.translation_key)

    def test_the_body_editor_writes_arabic_pages_right_to_left(self):
        arabic = Locale.objects.get(language_code="ar")
        self.client.post(f"/admin/translation/submit/page/{self.section.pk}/", {"locales": [arabic.pk]})
        self.client.post(f"/admin/translation/submit/page/{self.article.pk}/", {"locales": [arabic.pk]})
        translated = ArticlePage.objects.get(locale=arabic, translation_key=self.article.translation_key)
        response = self.client.get(f"/admin/pages/{translated.pk}/edit/")
        self.assertContains(response, 'data-khabar-content-dir="rtl"')
        self.assertContains(response, "core/admin-direction")
        english = self.client.get(f"/admin/pages/{self.article.pk}/edit/")
        self.assertContains(english, 'data-khabar-content-dir="ltr"')

    def test_editors_can_work_in_an_arabic_right_to_left_admin(self):
        from wagtail.users.models import UserProfile

        profile = UserProfile.get_for_user(self.editor)
        profile.preferred_language = "ar"
        profile.save()
        response = self.client.get("/admin/")
        self.assertContains(response, 'dir="rtl"')
        self.assertContains(response, 'lang="ar"')


class TranslatedLinksTests(TestCase):
    """A translation made from a story keeps its bylines and related stories, but a reader of the
    Arabic edition is sent to the Arabic author and story pages wherever they exist."""

    @classmethod
    def setUpTestData(cls):
        arabic = testing.arabic_locale()
        cls.section = testing.section("Iraq News", slug="iraq")
        cls.writer = testing.author("Ahmed Mahdi")
        cls.guest = testing.author("Only English Guest")
        cls.background = testing.article(cls.section, "How the dam was built")
        cls.story = testing.article(cls.section, "Dam opens", authors=[cls.writer, cls.guest])
        cls.story.related_links.create(article=cls.background)
        testing.publish(cls.story)
        section_ar = cls.section.copy_for_translation(arabic)
        section_ar.slug = "iraq"
        testing.publish(section_ar)
        cls.writer_ar = cls.writer.copy_for_translation(arabic, copy_parents=True)
        cls.writer_ar.title = "أحمد مهدي"
        testing.publish(cls.writer_ar)
        cls.background_ar = cls.background.copy_for_translation(arabic)
        cls.background_ar.title = "كيف بني السد"
        testing.publish(cls.background_ar)
        cls.story_ar = cls.story.copy_for_translation(arabic)
        cls.story_ar.title = "افتتاح السد"
        testing.publish(cls.story_ar)

    def test_a_translations_byline_links_to_the_authors_page_in_its_edition(self):
        html = self.client.get(self.story_ar.url).content.decode()
        self.assertIn(f'href="{self.writer_ar.url}"', html)
        self.assertIn("أحمد مهدي", html)
        self.assertNotIn(f'href="{self.writer.url}"', html)

    def test_an_author_with_no_page_in_this_edition_keeps_the_other_editions_page(self):
        html = self.client.get(self.story_ar.url).content.decode()
        self.assertIn(f'href="{self.guest.url}"', html)

    def test_a_translations_related_story_is_the_one_in_its_edition(self):
        html = self.client.get(self.story_ar.url).content.decode()
        self.assertIn(self.background_ar.url, html)
        self.assertNotIn(self.background.url, html)

    def test_the_original_keeps_its_own_editions_links(self):
        html = self.client.get(self.story.url).content.decode()
        self.assertIn(f'href="{self.writer.url}"', html)
        self.assertIn(self.background.url, html)

    def test_the_section_link_of_a_translation_is_its_editions_section(self):
        html = self.client.get(self.story_ar.url).content.decode()
        self.assertIn('href="/ar/iraq/"', html)


class TranslationSlugAndDirectionTests(TestCase):
    """A translation takes its own slug from its own headline until first published, and English
    copy left in an Arabic story reads left to right."""

    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")
        cls.story = testing.article(cls.section, "Dam opens", slug="dam-opens", authors=[testing.author()])
        cls.section_ar = cls.section.copy_for_translation(testing.arabic_locale())
        testing.publish(cls.section_ar)

    def translate(self):
        copy = self.story.copy_for_translation(testing.arabic_locale())
        self.assertEqual(copy.slug, "dam-opens")  # a copy starts with the source's slug
        return copy

    def test_the_translation_gets_an_arabic_slug_from_its_headline_before_first_publication(self):
        copy = self.translate()
        copy.title = "افتتاح السد"
        copy.save_revision().publish()
        copy.refresh_from_db()
        self.assertEqual(copy.slug, "افتتاح-السد")
        self.assertEqual(self.client.get(copy.url).status_code, 200)

    def test_autosaves_while_the_headline_is_typed_end_with_the_whole_headline_as_slug(self):
        from django.urls import reverse

        from khabar.newsroom.testing import person
        from khabar.newsroom.tests.test_article_form import form_data

        copy = self.translate()
        self.client.force_login(person("Editor"))
        url = reverse("wagtailadmin_pages:edit", args=(copy.pk,))
        for typed in ("افت", "افتتاح", "افتتاح السد"):
            # What the editor's autosave posts as the headline is typed (the slug field unchanged).
            copy.refresh_from_db()
            response = self.client.post(url, form_data(copy, title=typed), HTTP_ACCEPT="application/json")
            self.assertEqual(response.status_code, 200, response.content[:300])
        copy.refresh_from_db()
        self.assertEqual(copy.slug, "افتتاح-السد")

    def test_once_published_the_translations_address_stays(self):
        copy = self.translate()
        copy.title = "افتتاح السد"
        copy.save_revision().publish()
        copy.refresh_from_db()
        copy.title = "السد يفتح أبوابه"
        copy.save_revision().publish()
        copy.refresh_from_db()
        self.assertEqual(copy.slug, "افتتاح-السد")

    def test_a_slug_an_editor_chose_is_kept(self):
        copy = self.translate()
        copy.slug = "iftitah-al-sadd"
        copy.title = "افتتاح السد"
        copy.save_revision().publish()
        copy.refresh_from_db()
        self.assertEqual(copy.slug, "iftitah-al-sadd")

    def test_english_copy_left_in_an_arabic_story_is_marked_left_to_right(self):
        story = testing.article(
            self.section_ar,
            "افتتاح السد",
            body=[
                testing.paragraph("قال المهندس إن الحقن سيوقف الصوت."),
                testing.paragraph("The engineer said the grouting will stop the sound."),
                testing.paragraph("BBC قالت إن الحقن سيوقف الصوت في السد."),
            ],
        )
        from bs4 import BeautifulSoup

        html = BeautifulSoup(self.client.get(story.url).content, "html.parser")
        marked = [(div["dir"], div.get_text(strip=True)) for div in html.select(".block-other-direction")]
        self.assertEqual(marked, [("ltr", "The engineer said the grouting will stop the sound.")])
        self.assertEqual(html.html["dir"], "rtl")
