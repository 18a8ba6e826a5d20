import json

from django.core.cache import cache

from khabar import testing
from khabar.news.models import Correction


class JsonLdUnderCspBrowserTests(testing.BrowserTestCase):
    def setUp(self):
        cache.clear()
        self.room = testing.newsroom(articles_per_section=1)
        self.story = self.room.articles[0]
        Correction.objects.create(page=self.story, text="A </script> in a correction stays text.")

    def test_the_browser_reports_no_csp_violation_and_reads_the_json_ld(self):
        page = self.new_page()
        messages = []
        page.on("console", lambda message: messages.append(message.text))
        page.goto(self.live_server_url + self.story.url)
        raw = page.locator('script[type="application/ld+json"]').text_content()
        data = json.loads(raw)
        self.assertEqual(data["headline"], self.story.title)
        self.assertEqual(data["correction"][0]["text"], "A </script> in a correction stays text.")
        # The element was not cut short by the "</script>" in the text: the page's body is intact.
        self.assertEqual(page.locator("h1.story__headline").inner_text(), self.story.title)
        self.assertEqual([m for m in messages if "Content Security Policy" in m], [])

        # The detector works: an inline script the policy forbids is reported on the console.
        page.evaluate(
            "() => { const s = document.createElement('script'); s.textContent = '1'; document.body.append(s); }"
        )
        page.wait_for_timeout(200)
        self.assertTrue(any("Content Security Policy" in m for m in messages), messages)
