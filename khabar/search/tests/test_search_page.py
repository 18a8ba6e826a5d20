"""Real searches through /<lang>/search/?q= on the configured database (SQLite FTS5 or PostgreSQL)."""

from datetime import timedelta

from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from khabar import testing
from khabar.lib.arabic import query_words
from khabar.news.models import ArticlePage
from khabar.search.models import SearchEntry
from khabar.search.query import SearchResults

NO_LIMIT = {"KHABAR_SEARCH_RATE_LIMIT": 100000}


def headlines(response) -> list[str]:
    return [r["page"].title for r in response.context["results"]]


@override_settings(**NO_LIMIT)
class ArabicSearchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        now = timezone.now()
        iraq = testing.section("أخبار العراق", language="ar", slug="iraq")
        writer = testing.author("ليلى حسن", language="ar")

        def story(title, text, hours_ago=1, **fields):
            return testing.article(
                iraq,
                title,
                authors=[writer],
                standfirst=fields.pop("standfirst", "خبر من بغداد."),
                body=[testing.paragraph(text)],
                published=now - timedelta(hours=hours_ago),
                **fields,
            )

        cls.budget = story("البرلمان يقر موازنة المياه", "صوّت الأعضاء بعد منتصف الليل.", 1)
        cls.new_parliament = story("برلمان جديد في الإقليم", "انتخابات مبكرة.", 2)
        cls.ahmad = story("أحمد يفوز بالجائزة", "فاز الكاتب بجائزة الرواية.", 3)
        cls.muhammad = story("عودة محمد", "وصل الوفد ببغداد مساء أمس.", 4)
        cls.voweled = story("لقاء مع مُحَمَّد الأحمد", "حديث طويل.", 5)
        cls.school = story("افتتاح مدرسه في الموصل", "عام ٢٠٢٤ شهد افتتاحها.", 6)
        cls.hospital = story("مستشفى الموصل يستقبل الجرحى", "نقل المصابون.", 7)
        cls.session = story("جلسة طارئة", "ناقش البرلمان الأزمة.", 10)
        cls.paper = story("ورقة عمل عن المياه", "قدمها خبراء.", 8)
        cls.dangerous = story("<script>alert(1)</script> تقرير البرلمان", "نص <b>عريض</b> عن البرلمان.", 9)
        cls.draft = testing.article(iraq, "البرلمان في مسودة", live=False)
        cls.embargoed = story("البرلمان تحت الحظر", "لا ينشر بعد.", 0, embargo_until=now + timedelta(days=1))
        en_section = testing.section("Iraq News", slug="iraq")
        cls.english = testing.article(en_section, "Parliament passes the water budget")

    def setUp(self):
        cache.clear()

    def search(self, q, lang="ar", **params):
        return self.client.get(f"/{lang}/search/", {"q": q, **params})

    def test_bare_word_finds_the_word_with_the_article(self):
        response = self.search("برلمان")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.budget.title, headlines(response))
        self.assertIn(self.new_parliament.title, headlines(response))

    def test_word_with_conjunction_and_article_finds_the_bare_word(self):
        found = headlines(self.search("والبرلمان"))
        self.assertIn(self.new_parliament.title, found)
        self.assertIn(self.budget.title, found)

    def test_plain_alef_finds_hamza_alef(self):
        found = headlines(self.search("احمد"))
        self.assertIn(self.ahmad.title, found)
        self.assertIn(self.voweled.title, found)  # "الأحمد": article and hamza

    def test_voweled_query_finds_unvoweled_text_and_back(self):
        self.assertIn(self.muhammad.title, headlines(self.search("مُحَمَّد")))
        self.assertIn(self.voweled.title, headlines(self.search("محمد")))

    def test_tatweel_ta_marbuta_alef_maksura_and_digits(self):
        self.assertIn(self.muhammad.title, headlines(self.search("بغـــداد")))  # body has "ببغداد"
        self.assertIn(self.school.title, headlines(self.search("مدرسة")))
        self.assertIn(self.hospital.title, headlines(self.search("مستشفي")))
        self.assertIn(self.school.title, headlines(self.search("2024")))

    def test_ambiguous_prefixes_do_not_bring_false_positives(self):
        self.assertNotIn(self.paper.title, headlines(self.search("الرقة")))

    def test_every_word_of_the_query_is_required(self):
        found = headlines(self.search("البرلمان المياه"))
        self.assertEqual(found, [self.budget.title])

    def test_headline_matches_rank_first_then_newest(self):
        found = headlines(self.search("برلمان"))
        # Headline matches before the story that only mentions it in its body.
        self.assertEqual(found[-1], self.session.title)
        # Two headlines of the same length and one match each: the newer first.
        self.assertLess(found.index(self.budget.title), found.index(self.new_parliament.title))

    def test_unpublished_and_embargoed_articles_never_show(self):
        found = headlines(self.search("البرلمان"))
        self.assertNotIn(self.draft.title, found)
        self.assertNotIn(self.embargoed.title, found)

    def test_embargoed_article_appears_once_its_embargo_passes_without_reindexing(self):
        ArticlePage.objects.filter(pk=self.embargoed.pk).update(embargo_until=timezone.now() - timedelta(minutes=1))
        self.assertIn(self.embargoed.title, headlines(self.search("الحظر")))

    def test_search_stays_within_the_edition(self):
        self.assertEqual(headlines(self.search("parliament")), [])
        self.assertEqual(headlines(self.search("parliament", lang="en")), [self.english.title])
        self.assertEqual(headlines(self.search("البرلمان", lang="en")), [])

    def test_matches_are_highlighted_on_the_original_text(self):
        response = self.search("محمد")
        self.assertContains(response, "لقاء مع <mark>مُحَمَّد</mark> الأحمد", html=False)
        response = self.search("برلمان")
        self.assertContains(response, "<mark>البرلمان</mark> يقر موازنة المياه", html=False)

    def test_snippet_marks_matches_in_the_body(self):
        response = self.search("ببغداد")
        self.assertContains(response, "<mark>ببغداد</mark>", html=False)
        response = self.search("بغداد")
        self.assertContains(response, "وصل الوفد <mark>ببغداد</mark> مساء أمس.", html=False)

    def test_markup_in_a_headline_or_body_is_shown_escaped(self):
        response = self.search("تقرير")
        self.assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt; <mark>تقرير</mark>", html=False)
        self.assertNotContains(response, "<script>alert(1)")

    def test_query_is_echoed_escaped(self):
        response = self.search('<img src=x onerror="alert(1)"> البرلمان')
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "<img src=x")
        self.assertContains(response, "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; البرلمان")

    def test_result_count_uses_arabic_plural_forms(self):
        response = self.search("البرلمان")
        self.assertEqual(response.context["total"], 4)
        self.assertContains(response, "4 نتائج")
        response = self.search("مستشفى")
        self.assertContains(response, "نتيجة واحدة")
        response = self.search("لا-توجد-كلمة-كهذه")
        self.assertContains(response, "لا نتائج")

    def test_page_is_noindex_and_never_cached(self):
        response = self.search("البرلمان")
        self.assertContains(response, '<meta name="robots" content="noindex">', html=False)
        self.assertIn("no-store", response["Cache-Control"])
        self.assertIn("private", response["Cache-Control"])
        self.assertEqual(response["X-Robots-Tag"], "noindex")

    def test_form_has_a_label_and_the_masthead_links_to_search(self):
        response = self.search("")
        self.assertContains(response, '<label for="search-query">', html=False)
        self.assertContains(response, 'role="search"')
        home = self.client.get("/ar/")
        self.assertContains(home, 'action="/ar/search/"')

    def test_results_page_runs_a_fixed_number_of_queries(self):
        self.search("البرلمان")  # warm the caches (site root paths, navigation)
        with CaptureQueriesContext(connection) as one:
            self.assertEqual(self.search("مستشفى").context["total"], 1)
        # Ours: edition, count, one page of results, their articles, their sections, the site;
        # the shared page furniture (e.g. the breaking-news banner) may add one or two.
        self.assertLessEqual(len(one.captured_queries), 8)
        with self.assertNumQueries(len(one.captured_queries)):
            response = self.search("خبر")  # every article: a full page of results
        self.assertEqual(len(response.context["results"]), 10)

    def test_published_signal_indexes_and_unpublish_removes(self):
        page = self.hospital
        page.title = "مستشفى البصرة يستقبل الجرحى"
        testing.publish(page)
        self.assertIn(page.title, headlines(self.search("البصرة")))
        page.unpublish()
        self.assertFalse(SearchEntry.objects.filter(page=page).exists())
        self.assertEqual(headlines(self.search("البصرة")), [])

    def test_deleting_an_article_deletes_its_entry(self):
        pk = self.paper.pk
        ArticlePage.objects.get(pk=pk).delete()
        self.assertFalse(SearchEntry.objects.filter(page_id=pk).exists())
        self.assertEqual(headlines(self.search("ورقة")), [])

    def test_reindex_command_rebuilds_the_index_for_bulk_created_content(self):
        SearchEntry.objects.all().delete()
        self.assertEqual(headlines(self.search("البرلمان")), [])
        call_command("reindex_search", "--no-progress", verbosity=0)
        self.assertEqual(SearchEntry.objects.count(), ArticlePage.objects.live().count())
        self.assertIn(self.budget.title, headlines(self.search("البرلمان")))


@override_settings(**NO_LIMIT, KHABAR_SEARCH_PAGE_SIZE=2)
class PaginationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        section = testing.section("Business", slug="business")
        now = timezone.now()
        cls.stories = [
            testing.article(section, f"Oil exports story {n}", published=now - timedelta(hours=n)) for n in range(5)
        ]

    def setUp(self):
        cache.clear()

    def test_pages_follow_each_other_and_keep_the_query(self):
        first = self.client.get("/en/search/", {"q": "oil"})
        self.assertEqual(first.context["total"], 5)
        self.assertEqual(len(first.context["results"]), 2)
        self.assertContains(first, "?q=oil&amp;page=2")
        third = self.client.get("/en/search/", {"q": "oil", "page": "3"})
        self.assertEqual(headlines(third), ["Oil exports story 4"])
        seen = (
            headlines(first) + headlines(self.client.get("/en/search/", {"q": "oil", "page": "2"})) + headlines(third)
        )
        self.assertEqual(sorted(seen), sorted(s.title for s in self.stories))

    def test_out_of_range_or_bad_page_is_a_404_with_the_form(self):
        for page in ("4", "0", "-1", "abc", "٢", "9" * 40):
            response = self.client.get("/en/search/", {"q": "oil", "page": page})
            self.assertEqual(response.status_code, 404, page)
            self.assertContains(response, "There is no such page of results", status_code=404)
            self.assertContains(response, 'name="q"', status_code=404)

    @override_settings(KHABAR_SEARCH_MAX_PAGES=2)
    def test_pages_beyond_the_cap_are_not_served(self):
        response = self.client.get("/en/search/", {"q": "oil", "page": "3"})
        self.assertEqual(response.status_code, 404)
        response = self.client.get("/en/search/", {"q": "oil", "page": "2"})
        self.assertContains(response, "Only the first pages of results are shown")


# A day-long window: a fixed window that rolled over mid-test would reset the count.
@override_settings(KHABAR_SEARCH_RATE_LIMIT=3, KHABAR_SEARCH_RATE_WINDOW=86400)
class RateLimitTests(TestCase):
    def setUp(self):
        cache.clear()

    def test_too_many_searches_get_429_with_retry_after(self):
        for _ in range(3):
            self.assertEqual(self.client.get("/en/search/", {"q": "oil"}, REMOTE_ADDR="203.0.113.9").status_code, 200)
        response = self.client.get("/en/search/", {"q": "oil"}, REMOTE_ADDR="203.0.113.9")
        self.assertEqual(response.status_code, 429)
        self.assertGreaterEqual(int(response["Retry-After"]), 1)
        self.assertContains(response, "Please slow down", status_code=429)
        # Another reader is not affected.
        self.assertEqual(self.client.get("/en/search/", {"q": "oil"}, REMOTE_ADDR="203.0.113.10").status_code, 200)

    def test_the_empty_form_is_not_counted(self):
        for _ in range(6):
            self.assertEqual(self.client.get("/en/search/", REMOTE_ADDR="203.0.113.11").status_code, 200)


@override_settings(**NO_LIMIT)
class BadInputTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        section = testing.section("أخبار العراق", language="ar", slug="iraq")
        cls.story = testing.article(section, "البرلمان يقر الموازنة", standfirst="خبر.")

    def setUp(self):
        cache.clear()

    def get(self, query_string: str):
        return self.client.get(f"/ar/search/?{query_string}")

    def test_empty_query_shows_the_form(self):
        for qs in ("", "q=", "q=%20%20"):
            response = self.get(qs)
            self.assertEqual(response.status_code, 200)
            self.assertNotIn("results", response.context)

    def test_only_punctuation_or_diacritics_says_there_is_nothing_to_search(self):
        for q in ("...!؟", "%D9%8E%D9%8F%D9%90", "%D9%80%D9%80", "%22*%5E%3A-"):
            response = self.get(f"q={q}")
            self.assertEqual(response.status_code, 200, q)
            self.assertTrue(response.context["nothing_to_search"], q)

    def test_very_long_query_is_cut_with_a_note(self):
        response = self.client.get("/ar/search/", {"q": "البرلمان " + "كلمة " * 400})
        self.assertEqual(response.status_code, 200)
        self.assertLessEqual(len(response.context["query"]), 200)
        self.assertContains(response, "200")
        self.assertTrue(response.context["notes"])

    def test_many_words_are_limited(self):
        response = self.client.get("/ar/search/", {"q": " ".join(f"w{n}" for n in range(30))})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["total"], 0)

    def test_invalid_utf8_in_the_address_is_a_400_with_a_message(self):
        for qs in ("q=%FF", "q=%D8", "q=abc%C3%28", "q=%ED%A0%80"):
            response = self.get(qs)
            self.assertEqual(response.status_code, 400, qs)
            self.assertContains(response, 'name="q"', status_code=400)

    def test_nul_and_control_characters_are_dropped(self):
        response = self.get("q=%00%D8%A7%D9%84%D8%A8%D8%B1%D9%84%D9%85%D8%A7%D9%86%00%07")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["query"], "البرلمان")
        self.assertEqual(response.context["total"], 1)
        self.assertNotIn("\x00", response.content.decode())

    def test_search_engine_syntax_is_never_passed_raw(self):
        for q in (
            '"',
            '""',
            "*",
            "البرلمان*",
            "NEAR(a b)",
            "a AND",
            "OR",
            "NOT البرلمان",
            "-البرلمان",
            "^البرلمان",
            "title_terms:البرلمان",
            "body_terms : x",
            "(((",
            "a & b | !c",
            "'; DROP TABLE search_searchentry; --",
            "البرلمان:*",
            "<->",
            "\\",
            "{}[]",
        ):
            response = self.client.get("/ar/search/", {"q": q})
            self.assertEqual(response.status_code, 200, q)
        self.assertTrue(SearchEntry.objects.exists())
        # Operators are words like any other: "NOT" is looked for, it does not exclude.
        self.assertEqual(self.client.get("/ar/search/", {"q": "NOT البرلمان"}).context["total"], 0)
        self.assertEqual(self.client.get("/ar/search/", {"q": "البرلمان*"}).context["total"], 1)

    def test_mixed_scripts_are_searched_as_words(self):
        for q in ("البرلمان parliament", "Iraqالعراق", "البرلمان 😀", "ΑΒΓ البرلمان", "\u202eالبرلمان"):
            response = self.client.get("/ar/search/", {"q": q})
            self.assertEqual(response.status_code, 200, q)
        self.assertEqual(self.client.get("/ar/search/", {"q": "\u202eالبرلمان\u200f"}).context["total"], 1)

    def test_repeated_q_and_unknown_parameters_are_harmless(self):
        response = self.get("q=x&q=%D8%A7%D9%84%D8%A8%D8%B1%D9%84%D9%85%D8%A7%D9%86&foo=bar")
        self.assertEqual(response.status_code, 200)


class IndexStructureTests(TestCase):
    def test_full_text_structures_exist_for_this_database(self):
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'search_entry_%'")
                self.assertEqual(
                    {row[0] for row in cursor.fetchall()}, {"search_entry_ai", "search_entry_ad", "search_entry_au"}
                )
                cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'search_entry_fts'")
                self.assertEqual(cursor.fetchone()[0], 1)
            else:
                self.assertEqual(connection.vendor, "postgresql")
                cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'search_entry_vector_gin'")
                self.assertIn("gin", cursor.fetchone()[0].lower())


class IndexingFailureTests(TestCase):
    def test_publishing_still_works_when_the_index_cannot_be_written(self):
        from unittest import mock

        section = testing.section("Business", slug="business")
        with (
            mock.patch("khabar.search.indexing.build_entry", side_effect=RuntimeError("disk full")),
            self.assertLogs("khabar.search.signal_handlers", "ERROR") as logs,
        ):
            story = testing.article(section, "Oil exports rise")
        self.assertTrue(ArticlePage.objects.get(pk=story.pk).live)
        self.assertIn("reindex_search", logs.output[0])
        self.assertFalse(SearchEntry.objects.filter(page=story).exists())


@override_settings(**NO_LIMIT)
class BulkContentTests(TestCase):
    def test_demo_bulk_articles_are_searchable(self):
        call_command("demo", "--articles", "30", "--no-progress", stdout=__import__("io").StringIO())
        live = ArticlePage.objects.live()
        self.assertEqual(SearchEntry.objects.filter(page__in=live).count(), live.count())
        sample = live.order_by("-pk").first()
        hits = SearchResults(query_words(sample.title), sample.locale_id)[0:1000]
        self.assertIn(sample.pk, [h.page_id for h in hits])

    def test_reindex_missing_only_adds_what_is_absent(self):
        section = testing.section("Business", slug="business")
        kept = testing.article(section, "Oil exports rise")
        lost = testing.article(section, "Gas exports fall")
        SearchEntry.objects.filter(page=lost).delete()
        before = SearchEntry.objects.get(page=kept).indexed_at
        call_command("reindex_search", "--missing", "--no-progress", verbosity=0)
        self.assertTrue(SearchEntry.objects.filter(page=lost).exists())
        self.assertEqual(SearchEntry.objects.get(page=kept).indexed_at, before)


class MethodTests(TestCase):
    def test_only_get_and_head_are_answered(self):
        self.assertEqual(self.client.post("/en/search/", {"q": "oil"}).status_code, 405)
        self.assertEqual(self.client.head("/en/search/?q=oil").status_code, 200)
