"""The reader pages of four editions (en, ar, ckb, fa): each in its language and direction, the
corrections page per edition, valid HTML for the Nu Html Checker, no serious axe-core violations and
the direction Chromium computes."""

from urllib.parse import quote

from bs4 import BeautifulSoup
from django.test import TestCase, tag

from khabar import testing
from khabar.news.tests.four_editions import EDITIONS, RIGHT_TO_LEFT, build, four_editions, interface

NEW_EDITIONS = ["ckb", "fa"]


def reader_pages(edition) -> dict[str, str]:
    """Every kind of reader page of an edition: label -> URL."""
    word = edition.text["headline"].split()[0]
    return {
        "home": edition.home.url,
        "section": edition.section.url,
        "article": edition.article.url,
        "author": edition.author.url,
        "topic": edition.topic_url,
        "search": f"{edition.home.url}search/?q={quote(word)}",
        "corrections": f"{edition.home.url}corrections/",
    }


@four_editions
class ReaderPagesInEachEditionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editions = build()

    def test_every_reader_page_is_in_its_edition_s_language_and_direction(self):
        for code in EDITIONS:
            edition = self.editions[code]
            for kind, url in reader_pages(edition).items():
                with self.subTest(edition=code, page=kind):
                    response = self.client.get(url)
                    self.assertEqual(response.status_code, 200, url)
                    html = BeautifulSoup(response.content, "html.parser").html
                    self.assertEqual((html["lang"], html["dir"]), (code, edition.direction))

    def test_the_corrections_page_lists_only_its_edition_s_notes(self):
        for code in EDITIONS:
            edition = self.editions[code]
            with self.subTest(edition=code):
                page = BeautifulSoup(self.client.get(f"/{code}/corrections/").content, "html.parser")
                main = " ".join(page.find("main").get_text(" ").split())
                self.assertIn(interface(code, "Corrections and updates"), main)
                self.assertIn(edition.text["correction"], main)
                self.assertEqual(
                    [link["href"] for link in page.find("main").find_all("a", href=edition.article.url)][:1],
                    [edition.article.url],
                )
                for other in set(EDITIONS) - {code}:
                    self.assertNotIn(self.editions[other].text["correction"], main)

    def test_the_edition_switcher_offers_the_three_other_editions(self):
        for code in EDITIONS:
            with self.subTest(edition=code):
                page = self.client.get(self.editions[code].article.url).content.decode()
                for other in set(EDITIONS) - {code}:
                    # Every article is translated: the switcher goes to the translation.
                    self.assertIn(f'href="{self.editions[other].article.url}" lang="{other}" hreflang="{other}"', page)


@four_editions
@tag("slow")  # the Nu Html Checker runs in Java
class NewEditionsHtmlValidityTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editions = build()

    def test_the_reader_pages_of_ckb_and_fa_are_valid_html(self):
        pages = {}
        for code in NEW_EDITIONS:
            for kind, url in reader_pages(self.editions[code]).items():
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200, url)
                pages[f"{code} {kind}"] = response.content
        self.maxDiff = None
        self.assertEqual(testing.nu_html_errors(pages), [])  # one Java start for all fourteen pages


@four_editions
class NewEditionsBrowserTests(testing.BrowserTestCase):
    def setUp(self):
        self.editions = build()

    def test_the_reader_pages_of_ckb_and_fa_have_no_serious_axe_violations(self):
        problems = []
        page = self.new_page(bypass_csp=True)
        for code in NEW_EDITIONS:
            for kind, url in reader_pages(self.editions[code]).items():
                page.goto(self.live_server_url + url)
                problems += self.axe_problems(page, f"{code} {kind}")
        self.assertEqual(problems, [])

    def test_chromium_lays_each_edition_out_in_its_direction(self):
        page = self.new_page()
        for code in EDITIONS:
            expected = "rtl" if code in RIGHT_TO_LEFT else "ltr"
            for kind, url in reader_pages(self.editions[code]).items():
                with self.subTest(edition=code, page=kind):
                    page.goto(self.live_server_url + url)
                    found = page.evaluate(
                        "() => [document.documentElement, document.querySelector('main'),"
                        " document.querySelector('h1')].map(e => e && getComputedStyle(e).direction)"
                    )
                    self.assertEqual(found, [expected] * 3, url)
