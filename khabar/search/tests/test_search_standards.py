"""The search pages checked by the Nu Html Checker and axe-core, like the other reader pages."""

from django.test import TestCase, override_settings, tag

from khabar import testing

URLS = [
    "/ar/search/?q=%D8%A8%D8%B1%D9%84%D9%85%D8%A7%D9%86",  # برلمان: results with <mark>
    "/en/search/?q=water",
    "/en/search/?q=nothing-like-this",
    "/en/search/",
    "/en/search/?q=...",
    "/en/search/?q=water&page=9",
    "/en/search/?q=%FF",
]


def search_site() -> None:
    section_ar = testing.section("أخبار العراق", language="ar", slug="iraq")
    testing.article(section_ar, "البرلمان يقرّ موازنة المياه", body=[testing.paragraph("صوّت البرلمان ليلًا.")])
    section = testing.section("Iraq News", slug="iraq")
    testing.article(section, "Parliament passes the <water> budget")


@override_settings(KHABAR_SEARCH_RATE_LIMIT=1000)
@tag("slow")  # the Nu Html Checker runs in Java
class SearchHtmlValidityTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        search_site()

    def test_search_pages_are_valid_html(self):
        errors = testing.nu_html_errors({url: self.client.get(url).content for url in URLS})
        self.maxDiff = None
        self.assertEqual(errors, [])


@override_settings(KHABAR_SEARCH_RATE_LIMIT=1000)
class SearchAccessibilityBrowserTests(testing.BrowserTestCase):
    def setUp(self):
        search_site()

    def test_search_pages_have_no_serious_axe_violations(self):
        problems = []
        page = self.new_page(bypass_csp=True)
        for url in URLS[:3]:
            page.goto(self.live_server_url + url)
            problems += self.axe_problems(page, url)
        self.assertEqual(problems, [])
