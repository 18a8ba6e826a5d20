"""Comments in each of four editions (en, ar, ckb, fa): the block on the article (form, policy link,
counter, count), posting with and without JavaScript, and the messages, in the edition's language."""

from bs4 import BeautifulSoup
from django.core.cache import cache
from django.test import TestCase, override_settings, tag
from django.urls import reverse
from django.utils import translation

from khabar import testing
from khabar.comments.models import MAX_LENGTH, Comment, Status
from khabar.comments.testing import comment, configure, form_data
from khabar.comments.tests.test_browser_comments import PLAIN_STATIC
from khabar.core.templatetags.khabar_tags import digits
from khabar.news.models import StandardPage
from khabar.news.tests.four_editions import EDITIONS, build, four_editions, interface, interface_plural

SAME_ORIGIN = {"HTTP_SEC_FETCH_SITE": "same-origin"}
JSON = {"HTTP_ACCEPT": "application/json", **SAME_ORIGIN}
HELD = "Thank you. Your comment is held for review and will appear once a moderator approves it."
PUBLISHED = "Thank you. Your comment is published."


def in_digits(code: str, text: str) -> str:
    """Text with the edition's digits, as its dates and counts are written."""
    with translation.override(code):
        return digits(text)


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def text_of(element) -> str:
    return " ".join(element.get_text(" ").split())


@four_editions
class CommentsInEachEditionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editions = build()
        # The Comment Policy: an English page with a translation in each other edition.
        policy = testing.plain_page("Comment Policy", slug="comment-policy", footer=False)
        cls.policies = {"en": policy}
        for code in EDITIONS[1:]:
            with translation.override(code):
                version = policy.copy_for_translation(cls.editions[code].home.locale)
                version.title = interface(code, "Comment Policy")
                version.save()
                cls.policies[code] = testing.publish(StandardPage.objects.get(pk=version.pk))
        configure(policy_page=policy)

    def setUp(self):
        cache.clear()  # rate-limit counters and the cached comment settings

    def each_edition(self):
        return [self.editions[code] for code in EDITIONS]

    def post(self, edition, data, **extra):
        with translation.override(edition.code):
            url = reverse("comments:post", args=[edition.article.pk])
        self.assertTrue(url.startswith(f"/{edition.code}/"), url)
        return self.client.post(url, data, **{**SAME_ORIGIN, **extra})

    def block(self, edition):
        page = soup(self.client.get(edition.article.url))
        self.assertEqual((page.html["lang"], page.html["dir"]), (edition.code, edition.direction))
        return page.find("section", id="comments")

    def test_the_block_is_in_the_edition_s_language(self):
        for edition in self.each_edition():
            with self.subTest(edition=edition.code):
                block = self.block(edition)
                self.assertEqual(text_of(block.find("h3")), interface(edition.code, "Leave a comment"))
                self.assertEqual(text_of(block.find("button", type="submit")), interface(edition.code, "Post comment"))
                label = block.find("label", attrs={"for": "id_body"})
                self.assertIn(interface(edition.code, "Comment"), text_of(label))
                required = text_of(block.find(class_="comment-form__required"))
                self.assertEqual(required, interface(edition.code, "* Denotes Required Field"))

    def test_the_count_is_in_the_edition_s_language_and_counts_only_its_comments(self):
        configure(default_mode="post", new_commenter_hold=0)
        arabic = self.editions["ar"]
        self.post(arabic, form_data(body="تعليق على المقال."), HTTP_ACCEPT="application/json")
        for edition in self.each_edition():
            with self.subTest(edition=edition.code):
                count = 1 if edition is arabic else 0
                title = text_of(self.block(edition).find(id="comments-title"))
                label = interface_plural(edition.code, "%(count)s Comment", "%(count)s Comments", count)
                self.assertEqual(title, in_digits(edition.code, label))

    def test_the_policy_link_goes_to_the_edition_s_own_policy(self):
        for edition in self.each_edition():
            with self.subTest(edition=edition.code):
                block = self.block(edition)
                policy = self.policies[edition.code].url
                self.assertTrue(policy.startswith(f"/{edition.code}/"), policy)
                self.assertEqual([a["href"] for a in block.select(".comments__policy a")], [policy])
                self.assertEqual(
                    text_of(block.select_one(".comments__policy a")), interface(edition.code, "Comment Policy")
                )
                self.assertEqual([a["href"] for a in block.select(".field--check a")], [policy])

    def test_the_counter_starts_at_the_limit_and_the_textarea_follows_the_writer_s_direction(self):
        for edition in self.each_edition():
            with self.subTest(edition=edition.code):
                block = self.block(edition)
                counter = in_digits(edition.code, f"{MAX_LENGTH} / {MAX_LENGTH}")
                self.assertEqual(text_of(block.find(id="body-counter")), counter)
                body = block.find("textarea", attrs={"name": "body"})
                self.assertEqual((body["dir"], body["data-max"]), ("auto", str(MAX_LENGTH)))

    def test_posting_holds_the_comment_and_answers_in_the_edition_s_language(self):
        for edition in self.each_edition():
            with self.subTest(edition=edition.code):
                response = self.post(edition, form_data(body=edition.text["body"]), HTTP_ACCEPT="application/json")
                self.assertEqual(response.status_code, 200, response.content)
                self.assertEqual(response.json(), {"status": "pending", "message": interface(edition.code, HELD)})
                stored = Comment.objects.get(article=edition.article)
                self.assertEqual((stored.body, stored.status), (edition.text["body"], Status.PENDING))

    def test_without_javascript_the_status_page_is_in_the_edition_s_language_and_direction(self):
        configure(default_mode="post", new_commenter_hold=0)
        for edition in self.each_edition():
            with self.subTest(edition=edition.code):
                response = self.post(edition, form_data(body=edition.text["body"]))
                page = soup(response)
                self.assertEqual((page.html["lang"], page.html["dir"]), (edition.code, edition.direction))
                self.assertEqual(text_of(page.find(role="status")), interface(edition.code, PUBLISHED))
                self.assertEqual(page.find("a", href=f"{edition.article.url}#comments") is not None, True)
                self.assertIn(
                    edition.text["body"], text_of(soup(self.client.get(edition.article.url)).find(id="comments"))
                )

    def test_a_refused_comment_is_shown_again_with_the_error_in_the_edition_s_language(self):
        for edition in self.each_edition():
            with self.subTest(edition=edition.code):
                response = self.post(edition, form_data(body="   "))
                self.assertEqual(response.status_code, 400)
                page = soup(response)
                self.assertEqual((page.html["lang"], page.html["dir"]), (edition.code, edition.direction))
                errors = text_of(page.find(attrs={"data-errors-for": "body"}))
                self.assertEqual(errors, interface(edition.code, "Please write a comment."))

    def test_the_reply_form_page_is_in_the_edition_s_language(self):
        for edition in self.each_edition():
            with self.subTest(edition=edition.code):
                with translation.override(edition.code):
                    url = reverse("comments:form", args=[edition.article.pk])
                page = soup(self.client.get(url))
                self.assertEqual((page.html["lang"], page.html["dir"]), (edition.code, edition.direction))
                self.assertEqual(text_of(page.find("h3")), interface(edition.code, "Leave a comment"))

    @override_settings(KHABAR_ARABIC_DIGITS="arabic-indic", KHABAR_DIGITS={"ar": "arabic-indic"})
    def test_the_count_and_the_counter_use_the_edition_s_digits_when_it_chooses_its_own(self):
        arabic = self.editions["ar"]
        for _n in range(3):  # Arabic writes no digit for none, one or two comments
            comment(arabic.article)
        block = self.block(arabic)
        self.assertIn("٣", text_of(block.find(id="comments-title")))
        self.assertNotIn("3", text_of(block.find(id="comments-title")))
        self.assertEqual(text_of(block.find(id="body-counter")), "١٥٠٠ / ١٥٠٠")
        self.assertEqual(block.find(id="body-counter")["data-digits"], "٠١٢٣٤٥٦٧٨٩")
        english = self.block(self.editions["en"])
        self.assertEqual(english.find(id="body-counter")["data-digits"], "0123456789")

    def test_the_interface_strings_are_translated_in_every_edition_but_english(self):
        # The catalogues hold the edition's words: without them the assertions above compare English.
        for code in EDITIONS[1:]:
            with self.subTest(edition=code):
                for message in ("Leave a comment", "Post comment", "Comment Policy", HELD, PUBLISHED):
                    self.assertNotEqual(interface(code, message), message)


@four_editions
@tag("slow")  # the Nu Html Checker runs in Java
class CommentsHtmlValidityTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editions = build(["en", "ckb", "fa"])
        for code in ("ckb", "fa"):
            edition = cls.editions[code]
            parent = comment(edition.article, edition.text["body"], name=edition.text["author"])
            comment(edition.article, edition.text["standfirst"], parent=parent)

    def test_articles_with_comments_and_the_comment_pages_are_valid_html(self):
        pages = {}
        for code in ("ckb", "fa"):
            edition = self.editions[code]
            with translation.override(code):
                urls = [edition.article.url, reverse("comments:form", args=[edition.article.pk])]
                urls.append(reverse("comments:list", args=[edition.article.pk]) + "?order=oldest")
            self.assertContains(self.client.get(urls[0]), edition.text["body"])  # the comments are on the page
            for url in urls:
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200, url)
                pages[f"{code} {url}"] = response.content
        self.maxDiff = None
        self.assertEqual(testing.nu_html_errors(pages), [])


@four_editions
@override_settings(STORAGES=PLAIN_STATIC, KHABAR_ARABIC_DIGITS="arabic-indic", KHABAR_DIGITS={"ar": "arabic-indic"})
class CounterDigitsBrowserTests(testing.BrowserTestCase):
    def setUp(self):
        self.editions = build(["en", "ar"])

    def test_the_live_counter_counts_in_the_edition_s_digits(self):
        page = self.new_page()
        for code, typed, expected in (("ar", "سلام", "١٤٩٦"), ("en", "Hello", "1495")):
            with self.subTest(edition=code):
                page.goto(self.live_server_url + self.editions[code].article.url)
                page.locator("textarea[name=body]").press_sequentially(typed)
                self.assertEqual(page.locator("[data-remaining]").inner_text(), expected)
