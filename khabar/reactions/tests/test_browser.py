from django.conf import settings
from django.core.cache import cache
from django.test import override_settings

from khabar import testing
from khabar.reactions.models import Reaction, ReactionTotals

# The live server's static handler serves files by their source names, not the hashed names of the
# manifest storage, so the page must ask for plain names to get its JavaScript and CSS.
PLAIN_STATIC = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


@override_settings(STORAGES=PLAIN_STATIC)
class ReactionBrowserTests(testing.BrowserTestCase):
    def setUp(self):
        cache.clear()
        section = testing.section("Iraq News", slug="iraq")
        self.article = testing.article(section, "Parliament passes the water budget")
        self.url = self.live_server_url + self.article.url

    def test_with_javascript_the_vote_is_sent_without_a_reload_and_the_result_appears_in_place(self):
        page = self.new_page()
        page.goto(self.url)
        navigations = []
        page.on("framenavigated", lambda frame: navigations.append(frame.url) if frame == page.main_frame else None)
        page.evaluate("window.stillTheSamePage = true")
        block = page.locator("#reaction")
        self.assertEqual(block.get_by_role("heading").inner_text(), "Do you like this article?")
        block.get_by_role("button", name="Yes").click()
        result = block.locator("[data-reaction-result]")
        result.get_by_text("You said yes.").wait_for()
        self.assertEqual(result.inner_text(), "You said yes. 100% said yes · 1 vote")
        self.assertEqual(result.get_attribute("aria-live"), "polite")
        self.assertEqual(block.get_by_role("button", name="Yes").get_attribute("aria-pressed"), "true")
        self.assertTrue(page.evaluate("window.stillTheSamePage === true"))
        self.assertEqual(navigations, [])

        block.get_by_role("button", name="No").click()
        result.get_by_text("You said no.").wait_for()
        self.assertEqual(result.inner_text(), "You said no. 0% said yes · 1 vote")
        self.assertTrue(page.evaluate("window.stillTheSamePage === true"))
        self.assertEqual(Reaction.objects.get(article=self.article).vote, "no")
        totals = ReactionTotals.objects.get(pk=self.article.pk)
        self.assertEqual((totals.yes, totals.no), (0, 1))

        # Back later: the (cached) page is the same for everyone; the reader's answer is fetched.
        page.reload()
        result.get_by_text("You said no.").wait_for()
        self.assertEqual(
            page.locator("#reaction").get_by_role("button", name="No").get_attribute("aria-pressed"), "true"
        )

    def test_without_javascript_the_form_posts_and_lands_back_on_the_article_with_the_result(self):
        page = self.new_page(java_script_enabled=False)
        page.goto(self.url)
        page.locator("#reaction").get_by_role("button", name="No").click()
        page.wait_for_url(f"**{self.article.url}#reaction")
        self.assertEqual(page.locator("h1").inner_text(), "Parliament passes the water budget")
        frame = page.frame_locator("#reaction iframe.reaction__frame")
        frame.get_by_text("You said no.").wait_for()
        self.assertIn("0% said yes · 1 vote", frame.locator("body").inner_text())
        self.assertTrue(page.locator("#reaction iframe.reaction__frame").is_visible())
        totals = ReactionTotals.objects.get(pk=self.article.pk)
        self.assertEqual((totals.yes, totals.no), (0, 1))

    def test_without_javascript_the_result_frame_stays_hidden_until_the_reader_votes(self):
        page = self.new_page(java_script_enabled=False)
        page.goto(self.url)
        self.assertFalse(page.locator("#reaction iframe.reaction__frame").is_visible())
