"""Reader pages checked by third-party validators: the Nu Html Checker and axe-core in Chromium."""

from django.test import TestCase, tag

from khabar import testing


def reader_site():
    room = testing.newsroom(articles_per_section=2)
    testing.plain_page("About us", intro="Who we are.")
    section_ar = testing.section("أخبار العراق", language="ar", slug="iraq")
    writer_ar = testing.author("ليلى حسن", language="ar")
    article_ar = testing.article(
        section_ar,
        "البرلمان يقرّ موازنة المياه",
        authors=[writer_ar],
        lead_image=testing.image(),
        body=[
            testing.paragraph("صوّت النواب بعد منتصف الليل."),
            {"type": "subheading", "value": "ردود الفعل"},
            {"type": "pull_quote", "value": {"quote": "سنتابع التنفيذ.", "speaker": "هدى كريم", "role": "نائبة"}},
        ],
    )
    article = room.articles[0]
    article.topics.add("Water")
    testing.publish(article)
    return [
        "/en/",
        room.sections["iraq"].url,
        article.url,
        room.authors[0].url,
        "/en/topics/water/",
        "/en/about-us/",
        "/ar/",
        section_ar.url,
        article_ar.url,
        "/en/no-such-page/",
    ]


@tag("slow")  # the Nu Html Checker runs in Java
class HtmlValidityTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.urls = reader_site()

    def test_reader_pages_are_valid_html_for_the_nu_html_checker(self):
        errors = testing.nu_html_errors({url: self.client.get(url).content for url in self.urls})
        self.maxDiff = None
        self.assertEqual(errors, [])


class AccessibilityBrowserTests(testing.BrowserTestCase):
    def setUp(self):
        self.urls = reader_site()

    def test_reader_pages_have_no_serious_axe_violations(self):
        problems = []
        page = self.new_page(bypass_csp=True)
        for url in self.urls:
            page.goto(self.live_server_url + url)
            problems += self.axe_problems(page, url)
        self.assertEqual(problems, [])
