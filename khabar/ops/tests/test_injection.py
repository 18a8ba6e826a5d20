"""Every corpus payload through every reader input on this branch; no page shows it as markup, none is a 500.

Reader inputs here: the search query parameter (sent to every kind of page, and to /<lang>/search/ when that
page exists), URL path segments (edition, section and article level), other query-string keys and values
(pagination), and /csrf/. The comment and report forms are covered in test_injection_comments.py once the
comment system is on the branch.
"""

from __future__ import annotations

from django.test import TestCase
from django.urls import Resolver404, resolve

from khabar import testing
from khabar.ops.tests.injection import EVALUATED, MARKER, injected, payloads, url_quote


def search_page_exists() -> bool:
    try:
        resolve("/en/search/")
    except Resolver404:
        return False
    return resolve("/en/search/").url_name != "wagtail_serve"


class CorpusTests(TestCase):
    def test_the_corpus_has_at_least_300_payloads_of_every_kind(self):
        corpus = payloads()
        self.assertGreaterEqual(len(corpus), 300)
        self.assertEqual(len(set(corpus)), len(corpus), "duplicate payloads")
        for needle in [
            "<script",
            "onerror",
            "javascript:",
            "<svg",
            "<math",
            "style=",
            "{{",
            "{%",
            "${",
            "' OR ",
            "\u202e",
            "\u200b",
            "\x00",
        ]:
            self.assertTrue(any(needle in p for p in corpus), needle)
        self.assertTrue(any(len(p) >= 100_000 for p in corpus))

    def test_the_checker_finds_injected_markup_and_accepts_escaped_text(self):
        # The checker itself must fail on the unescaped forms, or the harness proves nothing.
        dirty = [
            '<p><img src=x onerror="window.__pwned=1"></p>',
            "<script>window.__pwned=1</script>",
            '<a href="javascript:window.__pwned=1">x</a>',
            "<div data-pwned=1></div>",
            "<pwned-element></pwned-element>",
            '<a href="https://evil.example/pwned">x</a>',
            '<svg><a xlink:href="javascript:alert(1)"></a></svg>',
            '<iframe src="https://evil.example/x"></iframe>',
            '<input value="" autofocus onfocus="window.__pwned=1">',
        ]
        for html in dirty:
            with self.subTest(html=html):
                self.assertTrue(injected(f"<!DOCTYPE html><html><body>{html}</body></html>"))
        clean = '<input value="&quot;&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt;"><p>&lt;svg onload=pwned&gt;</p><a href="/en/?q=%3Cscript%3Epwned">next</a>'
        self.assertEqual(injected(f"<!DOCTYPE html><html><body>{clean}</body></html>"), [])


class ReaderInputInjectionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.room = testing.newsroom(articles_per_section=1)
        cls.author = cls.room.authors[0]
        cls.about = testing.plain_page("About us")
        cls.arabic_section = testing.section("أخبار العراق", language="ar", slug="iraq-ar")
        cls.arabic_article = testing.article(cls.arabic_section, "افتتاح الجسر")
        iraq = cls.room.sections["iraq"]
        cls.pages = [
            "/en/",
            "/ar/",
            iraq.url,
            cls.room.articles[0].url,
            cls.author.url,
            cls.about.url,
            cls.arabic_article.url,
            "/en/no-such-page/",
        ]
        cls.search = "/en/search/" if search_page_exists() else None

    def check(self, response, where: str, problems: list[str]) -> None:
        if response.status_code >= 500:
            problems.append(f"{where}: HTTP {response.status_code}")
            return
        if not response.get("Content-Type", "").startswith("text/html"):
            return
        body = response.content.decode("utf-8", "replace")
        for problem in injected(body):
            problems.append(f"{where}: {problem}")
        for number in EVALUATED:
            if number in body:
                problems.append(f"{where}: a template expression was evaluated ({number})")

    def assertClean(self, problems: list[str]) -> None:
        self.assertEqual(problems[:25], [], f"{len(problems)} problems")

    def test_the_search_parameter_on_every_kind_of_page_never_injects(self):
        problems: list[str] = []
        for index, payload in enumerate(payloads()):
            # Every payload goes to one page kind in turn (all kinds are covered ~40 times each), and to
            # the search page when it exists: that is the page that shows the query back.
            targets = [self.pages[index % len(self.pages)]] + ([self.search] if self.search else [])
            for url in targets:
                response = self.client.get(f"{url}?q={url_quote(payload)}")
                self.check(response, f"{url}?q=payload#{index}", problems)
        self.assertClean(problems)

    def test_payloads_as_url_path_segments_never_inject(self):
        problems: list[str] = []
        section = self.room.sections["iraq"].url
        article = self.room.articles[0].url
        for index, payload in enumerate(payloads()):
            segment = url_quote(payload[:2000])  # longer paths are refused by servers before Django
            # Each payload at one level in turn: edition, section, article, site root.
            url = [f"/en/{segment}/", f"{section}{segment}/", f"{article}{segment}/", f"/{segment}"][index % 4]
            response = self.client.get(url)
            self.check(response, f"path payload#{index} under {url[:20]}", problems)
        self.assertClean(problems)

    def test_payloads_in_other_query_string_keys_and_values_never_inject(self):
        problems: list[str] = []
        section = self.room.sections["iraq"].url
        for index, payload in enumerate(payloads()):
            quoted = url_quote(payload)
            url = [f"{section}?page={quoted}", f"{section}?{quoted}=1", f"/ar/?lang={quoted}&q=x"][index % 3]
            response = self.client.get(url)
            self.check(response, f"query payload#{index} {url[:30]}", problems)
        self.assertClean(problems)

    def test_the_csrf_endpoint_answers_json_for_any_payload(self):
        problems: list[str] = []
        for index, payload in enumerate(payloads()):
            response = self.client.get(f"/csrf/?q={url_quote(payload)}")
            if response.status_code != 200 or response["Content-Type"] != "application/json":
                problems.append(f"/csrf/ payload#{index}: {response.status_code} {response['Content-Type']}")
            body = f"q={url_quote(payload[:10_000])}"
            response = self.client.post("/csrf/", body, content_type="application/x-www-form-urlencoded")
            if response.status_code >= 500:
                problems.append(f"POST /csrf/ payload#{index}: {response.status_code}")
        self.assertClean(problems)

    def test_payloads_in_headers_never_break_a_page(self):
        problems: list[str] = []
        for index, payload in enumerate(payloads()[:120]):
            header = payload.encode("latin-1", "ignore").decode("latin-1").replace("\r", "").replace("\n", "")[:4000]
            response = self.client.get(
                "/en/",
                HTTP_ACCEPT_LANGUAGE=header,
                HTTP_REFERER=header,
                HTTP_USER_AGENT=header,
                HTTP_X_REQUEST_ID=header,
            )
            self.check(response, f"headers payload#{index}", problems)
            if MARKER in response.get("X-Request-ID", ""):
                problems.append(f"headers payload#{index}: X-Request-ID echoed a payload")
        self.assertClean(problems)
