"""The corpus through the comment system: name, body and report note, posted as a reader, then rendered
everywhere they are shown (the form's error page, the posted page, the article, the comment list pages,
the moderation queue). Nothing may be shown as markup, and nothing may answer 500.
"""

from __future__ import annotations

import re

from django.core.cache import cache
from django.test import TestCase
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from khabar import testing
from khabar.comments import text
from khabar.comments.models import Comment, Status
from khabar.comments.testing import form_data
from khabar.ops.tests.injection import EVALUATED, injected, payloads, url_quote

SAME_ORIGIN = {"HTTP_SEC_FETCH_SITE": "same-origin"}


def post_body(**fields: str) -> str:
    return "&".join(f"{name}={url_quote(value)}" for name, value in fields.items())


class CommentInjectionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")
        cls.article = testing.article(cls.section, "Bridge closed")
        cls.chief = testing.user("chief", superuser=True)

    def setUp(self):
        cache.clear()

    def check(self, response, where: str, problems: list[str]) -> None:
        if response.status_code >= 500:
            problems.append(f"{where}: HTTP {response.status_code}")
            return
        if "html" not in response.get("Content-Type", ""):
            return
        body = response.content.decode("utf-8", "replace")
        problems += [f"{where}: {p}" for p in injected(body)]
        # Only the text readers see counts: comment ids and cursors in attributes may contain the digits.
        text = re.sub(r"<[^>]*>", " ", body)
        problems += [f"{where}: evaluated {n}" for n in EVALUATED if re.search(rf"(?<!\d){n}(?!\d)", text)]

    def _post_all(self, problems: list[str]) -> None:
        url = reverse("comments:post", args=[self.article.pk])
        for index, payload in enumerate(payloads()):
            cache.clear()  # the posting-speed limit is not what this test is about
            data = form_data(name=payload[:80], body=payload[:1500], key=f"k{index}")
            response = self.client.post(
                url, post_body(**data), content_type="application/x-www-form-urlencoded", **SAME_ORIGIN
            )
            self.check(response, f"post payload#{index}", problems)

    def test_comment_names_and_bodies_are_never_shown_as_markup(self):
        problems: list[str] = []
        self._post_all(problems)
        stored = Comment.objects.count()
        self.assertGreater(stored, 250)  # refused ones (control characters) were answered 400 and checked above
        Comment.objects.update(status=Status.APPROVED)
        from khabar.comments import moderation

        moderation.refresh_count(self.article.pk)
        self.check(self.client.get(self.article.url), "article page", problems)
        list_url = reverse("comments:list", args=[self.article.pk])
        next_url, pages = f"{list_url}?order=oldest", 0
        while next_url and pages < 40:
            response = self.client.get(next_url)
            self.check(response, f"comment list page {pages}", problems)
            pages += 1
            after = response.context["thread"].next_cursor
            next_url = f"{list_url}?order=oldest&after={after}" if after else ""
        self.assertGreaterEqual(pages * 20, stored)
        self.client.force_login(self.chief)
        for tab in ["pending", "approved"]:
            for page in range(1, stored // 50 + 2):
                response = self.client.get(f"{reverse('comments_admin:queue')}?tab={tab}&page={page}")
                self.check(response, f"moderation queue {tab} {page}", problems)
        self.assertEqual(problems[:25], [], f"{len(problems)} problems")

    def test_report_notes_are_never_shown_as_markup(self):
        from khabar.comments.testing import comment

        target = comment(self.article, "A fair point about the bridge.")
        problems: list[str] = []
        url = reverse("comments:report", args=[target.pk])
        for index, payload in enumerate(payloads()):
            cache.clear()
            body = post_body(reason="other", note=payload[:300])
            response = self.client.post(url, body, content_type="application/x-www-form-urlencoded", **SAME_ORIGIN)
            self.check(response, f"report payload#{index}", problems)
        self.client.force_login(self.chief)
        for tab in ["reported", "approved"]:
            response = self.client.get(f"{reverse('comments_admin:queue')}?tab={tab}")
            self.check(response, f"moderation queue {tab}", problems)
        self.assertEqual(problems[:25], [], f"{len(problems)} problems")


class CommentPipelineProperties(HypothesisTestCase):
    """Property-based tests of the comment text pipeline and its rendering."""

    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")
        cls.article = testing.article(cls.section, "Bridge closed")

    @settings(max_examples=60, deadline=None)
    @given(st.text(max_size=400))
    def test_the_server_counts_like_the_counter_and_never_grows_text(self, body):
        normalised = text.normalise_newlines(body)
        self.assertEqual(text.length(body), len(normalised))
        self.assertNotIn("\r", normalised)
        self.assertLessEqual(len(normalised), len(body))
        self.assertEqual(
            text.fingerprint(body), text.fingerprint(body.upper().lower()) if body.isascii() else text.fingerprint(body)
        )

    @settings(max_examples=40, deadline=None)
    @given(
        name=st.text(min_size=1, max_size=80, alphabet=st.characters(blacklist_categories=("Cs",))),
        body=st.text(min_size=1, max_size=600, alphabet=st.characters(blacklist_categories=("Cs",))),
    )
    def test_any_posted_text_is_stored_as_sent_or_refused_and_is_shown_only_as_text(self, name, body):
        cache.clear()
        url = reverse("comments:post", args=[self.article.pk])
        before = Comment.objects.count()
        response = self.client.post(url, form_data(name=name, body=body), **SAME_ORIGIN)
        self.assertIn(response.status_code, (200, 400, 429), response.content[:300])
        self.assertEqual(injected(response.content.decode()), [])
        if response.status_code == 200 and Comment.objects.count() > before:
            stored = Comment.objects.latest("pk")
            # Stored as the reader wrote it (whitespace tidied), never escaped or rewritten into markup.
            self.assertEqual(stored.body, text.normalise_newlines(body).strip())
            stored.status = Status.APPROVED
            stored.save()
            page = self.client.get(reverse("comments:list", args=[self.article.pk]) + "?order=newest")
            self.assertEqual(page.status_code, 200)
            self.assertEqual(injected(page.content.decode()), [])
