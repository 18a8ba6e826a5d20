from khabar import testing


class ReaderJourneyBrowserTests(testing.BrowserTestCase):
    def setUp(self):
        self.room = testing.newsroom(articles_per_section=2)

    def test_a_reader_goes_from_home_to_section_to_article_and_sees_the_credit(self):
        page = self.new_page()
        page.goto(self.live_server_url + "/en/")
        page.get_by_role("navigation", name="Sections").get_by_role("link", name="Iraq News").click()
        page.wait_for_url("**/en/iraq/")
        self.assertEqual(page.locator("h1").inner_text(), "Iraq News")
        page.locator(".card__headline a").first.click()
        caption = page.locator("figure.figure--wide figcaption")
        self.assertIn("Photo courtesy of the Basra Trade Office", caption.inner_text())
        self.assertEqual(page.locator("h1").count(), 1)
