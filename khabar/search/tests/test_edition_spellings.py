"""How Arabic, Persian and Sorani readers type, searched through the real page of each edition.

Each edition holds real article pages (indexed by the publish signal under the rules of
the article's language); the table below says, per edition, which spellings a reader
may type for a word, which stories they must find, and which they must NOT.
Run on whichever database is configured (SQLite FTS5 or PostgreSQL).
"""

import io
from contextlib import redirect_stderr
from dataclasses import dataclass
from importlib import import_module
from types import SimpleNamespace

from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.test import TestCase, override_settings

from khabar import testing
from khabar.search.models import SearchEntry

EDITIONS = [("en", "English"), ("ar", "العربية"), ("ckb", "کوردی"), ("fa", "فارسی")]
ZWNJ = "\u200c"
V_ABOVE = "\u065a"  # ARABIC VOWEL SIGN SMALL V ABOVE
CARON_BELOW = "\u032c"

# Per edition: key → (headline, body). Keys name the story in the table.
STORIES = {
    "ar": {
        "book": ("كتاب جديد عن الموصل", "صدر في عام ٢٠٢٤."),
        "ali": ("زيارة علي إلى البصرة", "وصل الوفد ببغداد مساء أمس."),
        "parliament": ("البرلمان يقر الموازنة", "صوّت الأعضاء."),
        "paper": ("ورقة عمل عن المياه", "قدمها خبراء."),
    },
    "fa": {
        "book": ("کتاب تازه در نمایشگاه", f"نویسنده گفت: می{ZWNJ}خواهم بیشتر بنویسم."),
        "iran": ("ایران و همسایگان", "سال ۱۴۰۳ سال انتخابات بود."),
        "market": ("بازار تهران", f"قیمت{ZWNJ}ها بالا رفت."),
        "harm": ("آزار کودکان", "گزارش تازه منتشر شد."),
        "tomorrow": ("فردا باران می‌بارد", "هوا سرد است."),
        "house": ("خانۀ فرهنگ باز شد", "مردم آمدند."),
    },
    "ckb": {
        "kurdistan": ("هەواڵی کوردستان", "ساڵی ٢٠٢٤ باران زۆر بوو."),
        "erbil": ("باران لە هەولێر", "شەقامەکان پڕ بوون لە ئاو."),
        "erbil_legacy": (f"کۆبوونەوە لە هه{ZWNJ}ولێر", "کۆبوونەوەکە درێژ بوو."),
        "boy": ("کوڕ و کچ لە قوتابخانە", "مامۆستا قسەی کرد."),
        "blind": ("پیاوێکی کور", "یارمەتی درا."),
        "flower": ("گوڵ لە باخچە", "بەهار هات."),
        "gul": ("ناوی گول", "ناوێکی کۆنە."),
        "village": ("ئاو گەیشتە دێ", "خەڵک دڵخۆش بوون."),
        "other": ("ئەوی دی هات", "دوای نیوەڕۆ."),
    },
}


@dataclass(frozen=True)
class Row:
    language: str
    spellings: tuple[str, ...]  # what a reader may type
    finds: tuple[str, ...]  # stories every spelling must find
    misses: tuple[str, ...] = ()  # stories no spelling may find


TABLE = [
    # Arabic: the existing rules, plus Persian/Kurdish keyboard letters and digits.
    Row("ar", ("كتاب", "کتاب", "الكتاب"), ("book",)),
    Row("ar", ("علي", "على", "علی"), ("ali",)),
    Row("ar", ("2024", "٢٠٢٤", "۲۰۲۴"), ("book",)),
    Row("ar", ("برلمان", "والبرلمان"), ("parliament",)),
    Row("ar", ("بغداد",), ("ali",)),  # body: "ببغداد" (a bare prefix, stripped on the index side)
    Row("ar", ("الرقة",), (), ("paper",)),  # "ورقة" is not و + "رقة"
    # Persian.
    Row("fa", ("کتاب", "كتاب"), ("book",)),
    Row("fa", ("ایران", "ايران", "إيران"), ("iran",)),
    Row("fa", (f"می{ZWNJ}خواهم", "میخواهم", "می خواهم", "ميخواهم"), ("book",)),
    Row("fa", ("۱۴۰۳", "1403", "١٤٠٣"), ("iran",)),
    Row("fa", ("قیمت", f"قیمت{ZWNJ}ها", "قیمتها"), ("market",)),  # the plural joined by ZWNJ
    Row("fa", ("خانه", "خانۀ", "خانهٔ"), ("house",)),  # ezafe ۀ / ه + hamza
    Row("fa", ("آزار", "ازار"), ("harm",), ("market",)),  # no Arabic ب stripped from "بازار"
    Row("fa", ("ردا",), (), ("tomorrow",)),  # no Arabic ف stripped from "فردا"
    Row("fa", ("بازار",), ("market",), ("harm",)),
    # Sorani.
    Row("ckb", ("کوردستان", "كوردستان"), ("kurdistan",)),
    Row("ckb", ("هەولێر", "ھەولێر", f"هه{ZWNJ}ولێر"), ("erbil", "erbil_legacy")),
    Row("ckb", ("کوڕ", f"کور{CARON_BELOW}"), ("boy",), ("blind",)),
    Row("ckb", ("کور",), ("blind",), ("boy",)),
    Row("ckb", ("گوڵ", f"گول{V_ABOVE}"), ("flower",), ("gul",)),
    Row("ckb", ("گول",), ("gul",), ("flower",)),
    Row("ckb", ("دێ", f"دی{V_ABOVE}", f"دي{V_ABOVE}"), ("village",), ("other",)),
    Row("ckb", ("دی", "دي", "دى"), ("other",), ("village",)),
    Row("ckb", ("کۆبوونەوە", f"کو{V_ABOVE}بوونەوە"), ("erbil_legacy",)),
    Row("ckb", ("2024", "٢٠٢٤", "۲۰۲۴"), ("kurdistan",)),
    Row("ckb", ("بەهار",), ("flower",)),
    Row("ckb", ("بههار",), (), ("flower",)),  # ە is a letter of its own, not ه
]


@override_settings(LANGUAGES=EDITIONS, WAGTAIL_CONTENT_LANGUAGES=EDITIONS, KHABAR_SEARCH_RATE_LIMIT=100000)
class EditionSpellingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.stories = {}
        for language, stories in STORIES.items():
            news = testing.section("News", language=language, slug="news")
            for key, (headline, body) in stories.items():
                page = testing.article(news, headline, standfirst="…", body=[testing.paragraph(body)])
                cls.stories[language, key] = page.title

    def setUp(self):
        cache.clear()

    def search(self, language, q):
        response = self.client.get(f"/{language}/search/", {"q": q})
        self.assertEqual(response.status_code, 200, q)
        return response

    def found(self, language, q):
        return {r["page"].title for r in self.search(language, q).context["results"]}

    def test_each_spelling_finds_the_stories_of_its_row_and_not_the_others(self):
        for row in TABLE:
            for spelling in row.spellings:
                with self.subTest(language=row.language, q=spelling):
                    found = self.found(row.language, spelling)
                    for key in row.finds:
                        self.assertIn(self.stories[row.language, key], found)
                    for key in row.misses:
                        self.assertNotIn(self.stories[row.language, key], found)

    def test_rows_that_must_find_nothing_find_nothing(self):
        # Guards the table itself: a miss-only row whose query matched anything else would hide a bug.
        for row in TABLE:
            if not row.finds:
                for spelling in row.spellings:
                    with self.subTest(language=row.language, q=spelling):
                        self.assertEqual(self.found(row.language, spelling), set())

    def test_each_edition_finds_only_its_own_stories(self):
        self.assertEqual(self.found("ar", "ایران"), set())
        self.assertEqual(self.found("ckb", "کتاب"), set())
        self.assertEqual(self.found("fa", "هەولێر"), set())

    def test_a_word_joined_by_zwnj_is_marked_whole(self):
        response = self.search("fa", "میخواهم")
        self.assertContains(response, f"نویسنده گفت: <mark>می{ZWNJ}خواهم</mark> بیشتر", html=False)
        response = self.search("fa", "می خواهم")
        self.assertContains(response, f"<mark>می{ZWNJ}خواهم</mark>", html=False)

    def test_a_part_of_a_zwnj_word_is_marked_alone(self):
        response = self.search("fa", "قیمت")
        self.assertContains(response, f"<mark>قیمت</mark>{ZWNJ}ها بالا", html=False)

    def test_kurdish_letters_are_marked_as_written(self):
        response = self.search("ckb", f"گول{V_ABOVE}")
        self.assertContains(response, "<mark>گوڵ</mark> لە باخچە", html=False)
        response = self.search("ckb", "هەولێر")
        self.assertContains(response, f"کۆبوونەوە لە <mark>هه{ZWNJ}ولێر</mark>", html=False)
        self.assertContains(response, "باران لە <mark>هەولێر</mark>", html=False)

    def test_the_upgrade_migration_rewrites_entries_made_under_the_old_rules(self):
        # Entries written before the Persian/Sorani rules held other terms; simulate one.
        SearchEntry.objects.update(title_terms="stale", body_terms="stale")
        self.assertEqual(self.found("fa", "میخواهم"), set())
        migration = import_module("khabar.search.migrations.0003_reindex_for_persian_and_kurdish")
        with redirect_stderr(io.StringIO()) as note:
            migration.reindex(apps, SimpleNamespace(connection=connection))
        self.assertIn("Search index rebuilt", note.getvalue())
        self.assertEqual(self.found("fa", "میخواهم"), {self.stories["fa", "book"]})
        self.assertFalse(SearchEntry.objects.filter(title_terms="stale").exists())

    def test_the_upgrade_migration_does_nothing_without_entries(self):
        SearchEntry.objects.all().delete()
        migration = import_module("khabar.search.migrations.0003_reindex_for_persian_and_kurdish")
        migration.reindex(apps, SimpleNamespace(connection=connection))
        self.assertFalse(SearchEntry.objects.exists())
