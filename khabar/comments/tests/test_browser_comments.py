from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from khabar import testing
from khabar.comments.models import Comment, Status
from khabar.comments.testing import configure, moderator

# The live server serves static files from the finders, which know no manifest-hashed names.
PLAIN_STATIC = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


@override_settings(STORAGES=PLAIN_STATIC)
class CommentJourneyBrowserTests(testing.BrowserTestCase):
    def setUp(self):
        from django.conf import settings as live
        from wagtail.models import Locale, Page

        if Page.get_first_root_node() is None:  # the flush after an earlier test took Wagtail's root page
            Locale.objects.get_or_create(language_code=live.LANGUAGE_CODE)
            Page.add_root(instance=Page(title="Root", slug="root"))
        self.section = testing.section("Iraq News", slug="iraq")
        self.article = testing.article(self.section, "Bridge closed for repairs")
        configure(default_mode="pre", close_after_days=0)
        self.moderator = moderator("mona")

    def test_a_reader_types_posts_and_sees_the_comment_after_a_moderator_approves_it(self):
        page = self.new_page()
        errors = []
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("response", lambda r: errors.append(r.url) if r.status >= 400 else None)
        page.goto(self.live_server_url + self.article.url)
        counter = page.locator("[data-remaining]")
        self.assertEqual(page.locator(".comment-form__counter").inner_text(), "1500 / 1500")

        body = page.locator("textarea[name=body]")
        body.press_sequentially("Hello 😀")  # the emoji counts as one character, as on the server
        self.assertEqual(counter.inner_text(), "1493", errors)
        body.fill("ب" * 1600)  # pasting too much: the form keeps 1,500 and the counter stops at 0
        self.assertEqual(counter.inner_text(), "0")
        self.assertEqual(len(body.input_value()), 1500)

        body.fill("")
        body.press_sequentially("The detour adds an hour to my commute.")
        self.assertEqual(counter.inner_text(), str(1500 - len("The detour adds an hour to my commute.")))
        page.fill("input[name=name]", "Huda")
        page.fill("input[name=email]", "huda@example.org")
        page.check("input[name=agree]")
        page.click("[data-submit]")
        status = page.locator("[data-form-status]")
        status.get_by_text("held for review").wait_for()
        self.assertEqual(body.input_value(), "")
        self.assertEqual(Comment.objects.get().status, Status.PENDING)

        admin = self.new_page()
        admin.goto(self.live_server_url + reverse("wagtailadmin_login"))
        admin.fill("input[name=username]", "mona")
        admin.fill("input[name=password]", "a-long-test-passphrase")
        admin.click("button[type=submit]")
        admin.wait_for_url("**/admin/")
        admin.goto(self.live_server_url + reverse("comments_admin:queue"))
        row = admin.locator("[data-row]").filter(has_text="The detour adds an hour")
        row.get_by_role("button", name="Approve").click()
        admin.wait_for_load_state()
        self.assertEqual(Comment.objects.get().status, Status.APPROVED)

        page.reload()
        self.assertIn("The detour adds an hour to my commute.", page.locator("#comments").inner_text())
        self.assertEqual(page.locator("#comments-title").inner_text(), "1 Comment")

    def test_post_comment_is_a_styled_button_not_the_browser_default(self):
        page = self.new_page()
        page.goto(self.live_server_url + self.article.url)
        button = page.get_by_role("button", name="Post comment")
        style = button.evaluate(
            "b => { const s = getComputedStyle(b); return {background: s.backgroundColor, color: s.color,"
            " padding: s.paddingInlineStart, radius: s.borderStartStartRadius, height: b.offsetHeight}; }"
        )
        self.assertEqual(style["background"], "rgb(163, 20, 29)")  # the site's accent (--accent)
        self.assertEqual(style["color"], "rgb(255, 255, 255)")
        self.assertEqual(style["padding"], "20px")
        self.assertEqual(style["radius"], "4px")
        self.assertGreaterEqual(style["height"], 44)  # a comfortable touch target

    def test_errors_show_inline_and_keep_the_text(self):
        page = self.new_page()
        page.goto(self.live_server_url + self.article.url)
        page.fill("input[name=name]", "Huda")
        page.fill("input[name=email]", "huda@example.org")
        page.fill("textarea[name=body]", "My carefully written words")
        page.evaluate("document.querySelector('input[name=agree]').required = false")  # reach the server check
        page.click("[data-submit]")
        page.locator('[data-errors-for="agree"]').get_by_text("Please agree to the Comment Policy").wait_for()
        self.assertEqual(page.locator("textarea[name=body]").input_value(), "My carefully written words")
        self.assertFalse(Comment.objects.exists())

    def test_without_javascript_the_form_posts_and_shows_the_status(self):
        page = self.new_page(java_script_enabled=False)
        page.goto(self.live_server_url + self.article.url)
        page.fill("input[name=name]", "Omar")
        page.fill("input[name=email]", "omar@example.org")
        page.fill("textarea[name=body]", "Posted without JavaScript")
        page.check("input[name=agree]")
        page.click("[data-submit]")
        page.get_by_text("held for review").wait_for()
        self.assertEqual(Comment.objects.get().body, "Posted without JavaScript")

    def test_a_moderator_approves_with_the_keyboard(self):
        from khabar.comments.testing import comment

        first = comment(self.article, "First waiting", status=Status.PENDING)
        second = comment(self.article, "Second waiting", status=Status.PENDING)
        admin = self.new_page()
        admin.goto(self.live_server_url + reverse("wagtailadmin_login"))
        admin.fill("input[name=username]", "mona")
        admin.fill("input[name=password]", "a-long-test-passphrase")
        admin.click("button[type=submit]")
        admin.wait_for_url("**/admin/")
        admin.goto(self.live_server_url + reverse("comments_admin:queue"))
        admin.locator("body").press("j")
        admin.locator("body").press("j")  # the second row (oldest first in the pending tab)
        with admin.expect_navigation():
            admin.locator("body").press("a")
        first.refresh_from_db()
        second.refresh_from_db()
        self.assertEqual((first.status, second.status), (Status.PENDING, Status.APPROVED))
