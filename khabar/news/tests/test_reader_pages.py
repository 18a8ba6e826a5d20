from django.test import TestCase

from khabar import testing
from khabar.core.blocks import StoryBodyBlock  # noqa: F401  (imported to fail fast if blocks break)


class ReaderPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.room = testing.newsroom()
        cls.about = testing.plain_page("About us")

    def test_home_shows_lead_story_and_sections(self):
        response = self.client.get("/en/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Iraq News")
        self.assertContains(response, self.room.articles[0].title)

    def test_article_shows_headline_byline_and_figure_credit(self):
        article = self.room.articles[0]
        response = self.client.get(article.url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, f'<h1 class="story__headline">{article.title}</h1>', html=False)
        self.assertContains(response, "Layla Hassan")
        self.assertContains(response, "Photo courtesy of the Basra Trade Office")

    def test_section_lists_articles(self):
        response = self.client.get(self.room.sections["iraq"].url)
        self.assertContains(response, "Iraq News story 1")

    def test_unknown_url_gets_styled_404(self):
        response = self.client.get("/en/no-such-page/")
        self.assertEqual(response.status_code, 404)
        self.assertContains(response, "We could not find that page", status_code=404)

    def test_page_number_out_of_range_is_404(self):
        response = self.client.get(self.room.sections["iraq"].url + "?page=999")
        self.assertEqual(response.status_code, 404)
        response = self.client.get(self.room.sections["iraq"].url + "?page=abc")
        self.assertEqual(response.status_code, 404)

    def test_root_redirects_by_accept_language(self):
        self.assertRedirects(self.client.get("/"), "/en/", fetch_redirect_response=False)
        response = self.client.get("/", HTTP_ACCEPT_LANGUAGE="ar,en;q=0.5")
        self.assertRedirects(response, "/ar/", fetch_redirect_response=False)
