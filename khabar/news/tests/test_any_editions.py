"""Any set of editions by settings alone: en, ar, ckb and fa side by side (issue #17).

Routing from `/`, the language switcher, hreflang and OpenGraph alternates, sitemaps, the admin's
Translate action and dates in each edition's month names, digits and calendar."""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime

from django.conf import settings
from django.test import TestCase, override_settings
from wagtail.models import Locale

from khabar import testing
from khabar.core import fastpath
from khabar.news import listing
from khabar.news.models import ArticlePage

FOUR = testing.editions_settings(*testing.FOUR_EDITIONS)
NOWRUZ_1403 = datetime(2024, 3, 20, 12, 0, tzinfo=UTC)


def published_on(page: ArticlePage, moment: datetime) -> ArticlePage:
    ArticlePage.objects.filter(pk=page.pk).update(first_published_at=moment, last_published_at=moment)
    listing.refresh([page.pk])
    page.refresh_from_db()
    return page


class FourEditionsTestCase(TestCase):
    """A story in all four editions (``everywhere``) and one published in English and Sorani only, with a
    Persian draft (``partial``)."""

    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")
        cls.sections = {"en": cls.section}
        for code, title in [("ar", "أخبار العراق"), ("ckb", "هەواڵی عێراق"), ("fa", "اخبار عراق")]:
            cls.sections[code] = testing.translation_of(cls.section, code, title)
        everywhere = published_on(testing.article(cls.section, "Parliament passes the water budget"), NOWRUZ_1403)
        cls.everywhere = {"en": everywhere}
        for code, title in [("ar", "البرلمان يقرّ موازنة المياه"), ("ckb", "پەرلەمان بودجەی ئاو پەسەند دەکات"),
                            ("fa", "مجلس بودجه آب را تصویب کرد")]:  # fmt: skip
            cls.everywhere[code] = published_on(testing.translation_of(everywhere, code, title), NOWRUZ_1403)
        cls.partial = testing.article(cls.section, "A dam opens in the north")
        cls.partial_ckb = testing.translation_of(cls.partial, "ckb", "بەنداوێک لە باکوور دەکرێتەوە")
        cls.partial_fa_draft = cls.partial.copy_for_translation(Locale.objects.get(language_code="fa"))


@override_settings(**FOUR)
class RoutingTests(FourEditionsTestCase):
    def test_root_sends_each_reader_to_their_edition(self):
        cases = {
            "": "/en/",
            "ar,en;q=0.5": "/ar/",
            "ckb-IQ,ar;q=0.8": "/ckb/",
            "ku-IQ": "/ckb/",
            "fa-IR,fa;q=0.9,en;q=0.5": "/fa/",
            "prs": "/fa/",
            "de;q=1, fa;q=0.2": "/fa/",
            "q=;;,*": "/en/",
        }
        for header, location in cases.items():
            with self.subTest(header=header):
                response = self.client.get("/", headers={"accept-language": header} if header else {})
                self.assertRedirects(response, location, fetch_redirect_response=False)
                self.assertIn("Accept-Language", response["Vary"])

    def test_root_is_never_answered_from_the_page_cache(self):
        caches = {**settings.CACHES, "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                                "LOCATION": uuid.uuid4().hex}}  # fmt: skip
        with override_settings(CACHES=caches, KHABAR_PAGE_CACHE=True, KHABAR_PAGE_CACHE_SECONDS=300):
            for header, location in [("fa", "/fa/"), ("ckb", "/ckb/"), ("fa", "/fa/"), ("ar", "/ar/")]:
                environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/", "HTTP_ACCEPT_LANGUAGE": header}
                self.assertIsNone(fastpath.answer(environ))
                response = self.client.get("/", headers={"accept-language": header})
                self.assertRedirects(response, location, fetch_redirect_response=False)
                self.assertNotIn("X-Cache", response)

    def test_each_edition_home_has_its_title_language_and_direction(self):
        for code, title, direction in [("en", "Khabar", "ltr"), ("ar", "خبر", "rtl"), ("ckb", "خەبەر", "rtl"),
                                       ("fa", "خبر", "rtl")]:  # fmt: skip
            with self.subTest(code=code):
                response = self.client.get(f"/{code}/")
                self.assertContains(response, f'<html lang="{code}" dir="{direction}">')
                self.assertContains(response, f'class="masthead__name" href="/{code}/">{title}</a>')


def switcher_links(html: str) -> dict[str, str]:
    nav = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group(0)
    return {code: href for href, code in re.findall(r'<a href="([^"]+)" lang="([^"]+)"', nav)}


def alternates(html: str) -> dict[str, str]:
    return {code: href for code, href in re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"', html)}


@override_settings(**FOUR)
class SwitcherAndAlternatesTests(FourEditionsTestCase):
    def test_the_switcher_lists_every_other_edition_and_goes_to_each_translation(self):
        for code, page in self.everywhere.items():
            with self.subTest(code=code):
                links = switcher_links(self.client.get(page.url).content.decode())
                expected = {other: self.everywhere[other].url for other in testing.FOUR_EDITIONS if other != code}
                self.assertEqual(links, expected)

    def test_the_switcher_goes_to_an_editions_home_where_nothing_is_published(self):
        links = switcher_links(self.client.get(self.partial.url).content.decode())
        self.assertEqual(links, {"ar": "/ar/", "ckb": self.partial_ckb.url, "fa": "/fa/"})

    def test_hreflang_lists_every_published_translation_and_x_default(self):
        links = alternates(self.client.get(self.everywhere["ckb"].url).content.decode())
        self.assertEqual(set(links), {"en", "ar", "ckb", "fa", "x-default"})
        self.assertTrue(links["fa"].endswith(self.everywhere["fa"].url))
        self.assertEqual(links["x-default"], links["en"])
        partial = alternates(self.client.get(self.partial_ckb.url).content.decode())
        self.assertEqual(set(partial), {"en", "ckb", "x-default"})  # the Persian draft is not linked

    def test_opengraph_locales_of_each_edition(self):
        html = self.client.get(self.everywhere["ckb"].url).content.decode()
        self.assertIn('<meta property="og:locale" content="cb_IQ">', html)
        for locale in ["en_US", "ar_AR", "fa_IR"]:
            self.assertIn(f'<meta property="og:locale:alternate" content="{locale}">', html)

    def test_sitemaps_carry_the_alternates_of_all_editions(self):
        response = self.client.get("/sitemap-fa.xml")
        self.assertEqual(response.status_code, 200)
        entry = re.search(
            rf"<url><loc>[^<]*{re.escape(self.everywhere['fa'].url)}</loc>.*?</url>", response.content.decode()
        )
        codes = re.findall(r'hreflang="([^"]+)"', entry.group(0))
        self.assertEqual(sorted(codes), ["ar", "ckb", "en", "fa", "x-default"])
        index = self.client.get("/sitemap.xml").content.decode()
        for code in testing.FOUR_EDITIONS:
            self.assertIn(f"/sitemap-{code}.xml", index)


@override_settings(**FOUR)
class TranslateActionTests(FourEditionsTestCase):
    def test_translate_offers_every_other_edition(self):
        story = testing.article(self.section, "Only in English so far")
        self.client.force_login(testing.user("chief", superuser=True))
        response = self.client.get(f"/admin/translation/submit/page/{story.pk}/")
        self.assertEqual(response.status_code, 200)
        offered = {locale.language_code for locale in response.context["form"].fields["locales"].queryset}
        self.assertEqual(offered, {"ar", "ckb", "fa"})
        fa = Locale.objects.get(language_code="fa")
        self.client.post(f"/admin/translation/submit/page/{story.pk}/", {"locales": [fa.pk]})
        self.assertTrue(ArticlePage.objects.filter(locale=fa, translation_key=story.translation_key).exists())
        edit = self.client.get(f"/admin/pages/{self.everywhere['ckb'].pk}/edit/")
        self.assertContains(edit, 'data-khabar-content-dir="rtl" data-khabar-content-lang="ckb"')


def shown_date(html: str) -> tuple[str, str]:
    """(the datetime attribute, the text) of the article's "Published" time."""
    found = re.search(r'<time datetime="([^"]+)">([^<]+)</time>', html.split('class="story__dates"', 1)[-1])
    return found.group(1), found.group(2)


@override_settings(**FOUR, KHABAR_DIGITS={}, KHABAR_CALENDAR={})
class DatesTests(FourEditionsTestCase):
    def test_each_edition_shows_its_month_names_and_digits(self):
        expected = {"en": "20 March 2024", "ar": "20 مارس 2024", "ckb": "٢٠ ئازار ٢٠٢٤", "fa": "۲۰ مارس ۲۰۲۴"}
        for code, text in expected.items():
            with self.subTest(code=code):
                _machine, shown = shown_date(self.client.get(self.everywhere[code].url).content.decode())
                self.assertTrue(shown.startswith(text), shown)

    @override_settings(KHABAR_CALENDAR={"fa": "solar-hijri"})
    def test_persian_dates_in_the_solar_hijri_calendar_when_chosen(self):
        machine, shown = shown_date(self.client.get(self.everywhere["fa"].url).content.decode())
        self.assertTrue(shown.startswith("۱ فروردین ۱۴۰۳"), shown)
        self.assertEqual(machine, "2024-03-20T12:00:00+00:00")  # machines still read Gregorian ISO 8601
        ckb_machine, ckb_shown = shown_date(self.client.get(self.everywhere["ckb"].url).content.decode())
        self.assertTrue(ckb_shown.startswith("٢٠ ئازار ٢٠٢٤"), ckb_shown)  # the setting is per language

    @override_settings(KHABAR_CALENDAR={"fa": "solar-hijri"}, KHABAR_DIGITS={"fa": "western", "ckb": "western"})
    def test_digits_follow_the_newsroom_setting(self):
        _machine, shown = shown_date(self.client.get(self.everywhere["fa"].url).content.decode())
        self.assertTrue(shown.startswith("1 فروردین 1403"), shown)
        _machine, shown = shown_date(self.client.get(self.everywhere["ckb"].url).content.decode())
        self.assertTrue(shown.startswith("20 ئازار 2024"), shown)

    @override_settings(KHABAR_CALENDAR={"fa": "solar-hijri"})
    def test_json_ld_dates_stay_gregorian(self):
        html = self.client.get(self.everywhere["fa"].url).content.decode()
        data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
        self.assertEqual(data["datePublished"], "2024-03-20T12:00:00+00:00")
        self.assertEqual(data["inLanguage"], "fa")


class FragmentKeyTests(TestCase):
    """Kept fragments (a comment block shows dates) are not reused after the newsroom changes digits or calendar."""

    def test_the_key_names_the_editions_digits_and_calendar(self):
        from django.test import RequestFactory
        from django.utils import translation

        from khabar.core import fragments

        request = RequestFactory().get("/fa/iraq/story/")
        with translation.override("fa"):
            keys = set()
            for digits, calendar in [({}, {}), ({"fa": "western"}, {}), ({}, {"fa": "solar-hijri"})]:
                with self.settings(KHABAR_DIGITS=digits, KHABAR_CALENDAR=calendar):
                    keys.add(fragments._key(request, "comments", (1, "v")))
        self.assertEqual(len(keys), 3)
