from pathlib import Path

from django.conf import settings

from khabar import testing


class ArabicArticleBrowserTests(testing.BrowserTestCase):
    def setUp(self):
        section = testing.section("أخبار العراق", language="ar", slug="iraq")
        writer = testing.author("ليلى حسن", language="ar")
        self.article = testing.article(
            section,
            "البرلمان يقرّ موازنة المياه",
            authors=[writer],
            lead_image=testing.image(),
            standfirst="أقرّ النواب خطة الإنفاق بعد ليلة من النقاش.",
            body=[testing.paragraph("صوّت النواب بعد منتصف الليل على الموازنة.")],
        )

    def test_an_arabic_article_reads_right_to_left_and_is_captured(self):
        page = self.new_page(viewport={"width": 1024, "height": 900})
        page.goto(self.live_server_url + self.article.url)
        self.assertEqual(page.evaluate("getComputedStyle(document.body).direction"), "rtl")
        self.assertEqual(page.evaluate("getComputedStyle(document.querySelector('.story__body')).direction"), "rtl")
        self.assertEqual(page.locator("html").get_attribute("lang"), "ar")
        # The headline starts at the right edge of its column, as Arabic readers expect.
        box = page.locator("h1").bounding_box()
        column = page.locator("article.story").bounding_box()
        self.assertGreater(box["x"] + box["width"], column["x"] + column["width"] - 40)
        shots = Path(settings.BASE_DIR) / "var" / "screenshots"
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots / "arabic-article.png"), full_page=True)
        self.assertTrue((shots / "arabic-article.png").stat().st_size > 10_000)
