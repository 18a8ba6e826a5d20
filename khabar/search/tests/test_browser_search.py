from pathlib import Path

from django.conf import settings
from django.test import override_settings

from khabar import testing


@override_settings(KHABAR_SEARCH_RATE_LIMIT=1000)
class SearchBrowserTests(testing.BrowserTestCase):
    def setUp(self):
        section = testing.section("أخبار العراق", language="ar", slug="iraq")
        self.article = testing.article(
            section,
            "البرلمان يقرّ موازنة المياه",
            standfirst="أقرّ النواب خطة الإنفاق بعد ليلة من النقاش.",
            body=[testing.paragraph("صوّت أعضاء البرلمان بعد منتصف الليل.")],
        )

    def test_a_reader_searches_from_the_masthead_and_opens_a_highlighted_result(self):
        page = self.new_page(viewport={"width": 1024, "height": 900})
        page.goto(self.live_server_url + "/ar/")
        page.get_by_role("searchbox").first.fill("برلمان")
        page.get_by_role("searchbox").first.press("Enter")
        page.wait_for_url("**/ar/search/?q=*")
        self.assertEqual(page.evaluate("getComputedStyle(document.body).direction"), "rtl")
        self.assertIn("نتيجة واحدة", page.locator("#search-status").inner_text())
        self.assertEqual(page.locator(".search-result__headline mark").first.inner_text(), "البرلمان")
        # The page's own form is labelled and keeps the query.
        self.assertEqual(page.get_by_label("كلمات البحث").last.input_value(), "برلمان")
        shots = Path(settings.BASE_DIR) / "var" / "screenshots"
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots / "arabic-search.png"), full_page=True)
        page.locator(".search-result__headline a").first.click()
        page.wait_for_url("**/ar/iraq/**")
        self.assertEqual(page.locator("h1").inner_text(), self.article.title)
