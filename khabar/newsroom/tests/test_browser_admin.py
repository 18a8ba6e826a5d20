"""The article form and the page menu in Chromium, as the newsroom's people use them."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import caches
from django.test import override_settings
from django.urls import reverse
from playwright.sync_api import expect

from khabar import testing
from khabar.news.models import ArticlePage
from khabar.newsroom.testing import person, restore_roles

# The live server serves static files from the finders, which know no manifest-hashed names.
PLAIN_STATIC = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD = "a-long-test-passphrase"


@override_settings(STORAGES=PLAIN_STATIC)
class AdminBrowserTestCase(testing.BrowserTestCase):
    def setUp(self):
        for alias in settings.CACHES:
            caches[alias].clear()
        restore_roles()
        self.section = testing.section("Iraq News", slug="iraq")
        self.writer = testing.author("Layla Hassan")

    def log_in(self, username: str):
        page = self.new_page()
        self.errors = []
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.goto(self.live_server_url + reverse("wagtailadmin_login"))
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/admin/")
        # Requests the admin's scripts make on their own must end before the test's flush.
        self.addCleanup(page.wait_for_load_state, "networkidle")
        return page


class ArticleFormBrowserTests(AdminBrowserTestCase):
    def test_a_reporters_headline_fills_in_the_slug_and_the_first_save_succeeds(self):
        person("Reporter", "rana")
        page = self.log_in("rana")
        page.goto(
            self.live_server_url + reverse("wagtailadmin_pages:add", args=("news", "articlepage", self.section.pk))
        )
        page.locator("#id_title").press_sequentially("Bridge Closed for Repairs")
        # Wagtail's sync controller fills the slug (on the Promote tab) as the headline is typed.
        expect(page.locator("#id_slug")).to_have_value("bridge-closed-for-repairs")

        page.fill("#id_standfirst", "The river crossing shuts for a month.")
        # The byline's author (the chooser is Wagtail's own, tested there): its hidden input.
        page.evaluate(
            "pk => { document.querySelector('#id_bylines-0-author').value = pk; }",
            self.writer.pk,
        )
        page.get_by_role("button", name="Save draft").click()
        page.wait_for_url("**/edit/")
        story = ArticlePage.objects.get(title="Bridge Closed for Repairs")
        self.assertEqual(story.slug, "bridge-closed-for-repairs")
        self.assertFalse(story.live)
        self.assertEqual(story.owner.username, "rana")
        self.assertEqual(self.errors, [])


class TranslateBrowserTests(AdminBrowserTestCase):
    def test_an_editor_translates_an_english_story_into_an_arabic_draft(self):
        arabic = testing.arabic_locale()
        testing.publish(self.section.copy_for_translation(arabic))
        story = testing.article(self.section, "Bridge closed for repairs", authors=[self.writer])
        person("Editor", "eman")
        page = self.log_in("eman")
        page.goto(self.live_server_url + reverse("wagtailadmin_pages:edit", args=(story.pk,)))
        page.locator("#w-slim-header-buttons button").first.click()
        page.get_by_role("link", name="Translate").click()
        page.wait_for_url("**/translation/submit/page/**")
        page.get_by_label("العربية").check()  # the edition's name, as settings.LANGUAGES gives it
        page.get_by_role("button", name="Submit").click()
        page.wait_for_url("**/edit/")
        copy = ArticlePage.objects.get(translation_key=story.translation_key, locale=arabic)
        self.assertFalse(copy.live)
        self.assertEqual(page.url, self.live_server_url + reverse("wagtailadmin_pages:edit", args=(copy.pk,)))
        self.assertEqual(self.errors, [])
