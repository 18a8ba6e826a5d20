"""The Wagtail admin works under its own (admin-path-only) Content-Security-Policy.

Wagtail 8's page editor still writes inline <script> blocks (inline panels such as bylines, date pickers),
so the strict reader policy would break it; this proves the relaxed admin policy leaves it working and
that reader pages keep the strict one.
"""

from __future__ import annotations

from django.conf import settings
from django.test import override_settings

from khabar import testing

PLAIN_STATIC = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WATCH = "window.__csp = []; document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"


@override_settings(STORAGES=PLAIN_STATIC)
class AdminUnderCspBrowserTests(testing.BrowserTestCase):
    def setUp(self):
        from wagtail.models import Locale, Page

        if Page.get_first_root_node() is None:
            Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
            Page.add_root(instance=Page(title="Root", slug="root"))
        self.section = testing.section("Iraq News", slug="iraq")
        self.article = testing.article(self.section, "Bridge closed for repairs")
        testing.user("chief", superuser=True)

    def test_an_editor_signs_in_and_the_page_editor_runs_without_csp_violations(self):
        page = self.new_page()
        page.add_init_script(WATCH)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{self.live_server_url}/{settings.ADMIN_PATH}/login/")
        page.fill("input[name=username]", "chief")
        page.fill("input[name=password]", "a-long-test-passphrase")
        page.click("button[type=submit]")
        page.wait_for_url(f"**/{settings.ADMIN_PATH}/")
        page.goto(f"{self.live_server_url}/{settings.ADMIN_PATH}/pages/{self.article.pk}/edit/")
        page.wait_for_load_state("networkidle")
        self.assertEqual(page.evaluate("window.__csp"), [])
        self.assertEqual(errors, [])
        # Script-driven parts of the editor are alive: the tabs and the editor's form controls rendered.
        # (Wagtail's scripts build the tabs after load; wait for them rather than race them.)
        page.wait_for_selector("[role=tab]", timeout=20_000)
        self.assertGreater(page.locator("[role=tab]").count(), 0)
        self.assertEqual(page.locator("input[name=title]").input_value(), "Bridge closed for repairs")

    def test_reader_pages_keep_the_strict_policy_in_the_browser(self):
        page = self.new_page()
        page.add_init_script(WATCH)
        response = page.goto(self.live_server_url + self.article.url)
        self.assertNotIn("unsafe-inline", response.headers["content-security-policy"])
        page.wait_for_load_state("networkidle")
        self.assertEqual(page.evaluate("window.__csp"), [])
