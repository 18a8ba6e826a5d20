"""In a real browser: pages showing corpus payloads run no script, open no dialog, and trip no CSP report.

A payload that became markup would either run (``window.__pwned`` set, an alert dialog) or be blocked by
the Content-Security-Policy (a ``securitypolicyviolation`` event). Both count as failures: the policy is the
second line of defence, escaping is the first.
"""

from __future__ import annotations

from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from khabar import testing
from khabar.comments.models import Comment, Status
from khabar.ops.tests.injection import payloads, url_quote

PLAIN_STATIC = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""
# Payloads that would run script if they were ever parsed as markup: the ones the browser test loads.
ACTIVE = [p for p in payloads() if "__pwned" in p or "alert(" in p][:120]


@override_settings(STORAGES=PLAIN_STATIC)
class NoScriptRunsBrowserTests(testing.BrowserTestCase):
    def setUp(self):
        from wagtail.models import Locale, Page

        if Page.get_first_root_node() is None:  # an earlier live-server test's flush took Wagtail's root page
            Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
            Page.add_root(instance=Page(title="Root", slug="root"))
        self.section = testing.section("Iraq News", slug="iraq")
        self.article = testing.article(self.section, "Bridge closed for repairs")

    def _open(self):
        page = self.new_page()
        page.add_init_script(WATCH)
        dialogs: list[str] = []

        def on_dialog(dialog):
            dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        console: list[str] = []
        page.on("console", lambda msg: console.append(msg.text) if "Content Security Policy" in msg.text else None)
        return page, dialogs, console

    def _assert_quiet(self, page, dialogs, console, where: str) -> None:
        page.wait_for_timeout(50)  # let onerror/onload handlers of any injected element fire
        self.assertIsNone(page.evaluate("window.__pwned"), where)
        self.assertEqual(dialogs, [], where)
        self.assertEqual(page.evaluate("window.__csp"), [], where)
        self.assertEqual(console, [], where)
        self.assertEqual(page.locator("[data-pwned], pwned-element").count(), 0, where)

    def test_payload_comments_on_the_article_and_list_pages_run_nothing(self):
        for index, payload in enumerate(ACTIVE):
            Comment.objects.create(
                article=self.article,
                name=payload[:80],
                email=f"reader{index}@example.org",
                body=payload[:1500],
                status=Status.APPROVED,
            )
        page, dialogs, console = self._open()
        page.goto(self.live_server_url + self.article.url)
        self._assert_quiet(page, dialogs, console, "article page")
        list_url = reverse("comments:list", args=[self.article.pk])
        page.goto(f"{self.live_server_url}{list_url}?order=oldest")
        for _more in range(len(ACTIVE) // 20 + 1):
            self._assert_quiet(page, dialogs, console, "comment list")
            more = page.locator("a[data-load-more]")
            if not more.count():
                break
            page.goto(self.live_server_url + more.first.get_attribute("href"))

    def test_payloads_in_the_address_run_nothing(self):
        page, dialogs, console = self._open()
        for index, payload in enumerate(ACTIVE[:60]):
            quoted = url_quote(payload)
            url = [f"/en/?q={quoted}", f"/en/{quoted}/", f"{self.section.url}?page={quoted}"][index % 3]
            page.goto(self.live_server_url + url)
            self._assert_quiet(page, dialogs, console, f"payload#{index} at {url[:40]}")

    def test_the_checks_would_see_a_script_that_ran(self):
        # The same checks on a page where script does run: proves the test can fail.
        page, dialogs, console = self._open()
        page.goto(self.live_server_url + "/healthz")
        page.evaluate("window.__pwned = 1; alert('pwned')")
        self.assertEqual(page.evaluate("window.__pwned"), 1)
        self.assertEqual(dialogs, ["pwned"])
