"""Hostile values in every reader and API address never make a 500 (a 4xx with a reason instead).

The routes are read from the URLconf, so a new route is covered the day it is added. Each gets
values that have broken Khabar before: ids no database can hold (SQLite overflows above 2**63,
PostgreSQL refuses them), NUL bytes (PostgreSQL refuses them in text), quotes and operators (SQLite
FTS5 syntax errors), impossible dates (month 13), percent-escapes that are not UTF-8, very long
strings. Run on SQLite and on PostgreSQL (DATABASE_URL).
"""

from __future__ import annotations

import re
from urllib.parse import quote

from django.conf import settings
from django.core.cache import cache
from django.test import TestCase
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from khabar import testing

# Staff and file routes are not reader routes (the admin has its own tests; files are not pages).
NOT_READER_PREFIXES = (f"{settings.ADMIN_PATH}/", "documents/", "media/", "static/")
QUERY_KEYS = [
    "search", "q", "page", "offset", "limit", "order", "type", "fields", "child_of", "descendant_of",
    "translation_of", "locale", "published_after", "published_before", "author", "section", "topic",
    "language", "parent", "after", "cursor", "id", "html_path", "p", "next",
]  # fmt: skip
# Already percent-encoded, as they would arrive in an address.
NASTY = [
    "9" * 21,
    str(2**63),
    str(2**63 - 1),
    str(2**31),
    "-1",
    "%00",
    "a%00b",
    "%22",
    "%22%3E",
    "%27%3B--",
    "2026-13-45",
    "2026-02-30T25:61",
    "%ff%fe",
    "%C0%AF",
    "%E2%80%AE",
    "x" * 5000,
    "NEAR(%22a%22)",
    "*",
]


def _template(pattern) -> str:
    """A route as text with ``{}`` where a value goes."""
    if isinstance(pattern, LocalePrefixPattern):
        return f"{settings.LANGUAGE_CODE}/"
    if isinstance(pattern, RoutePattern):
        return re.sub(r"<(?:\w+:)?\w+>", "{}", str(pattern))
    if isinstance(pattern, RegexPattern):
        return re.sub(r"\(.*\)", "{}", str(pattern).lstrip("^").rstrip("$").replace("\\", ""))
    raise AssertionError(f"unknown pattern type {type(pattern)}")


def reader_routes(patterns=None, prefix: str = "") -> list[str]:
    found = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        template = prefix + _template(entry.pattern)
        if template.startswith(NOT_READER_PREFIXES):
            continue
        if isinstance(entry, URLResolver):
            found += reader_routes(entry.url_patterns, template)
        elif isinstance(entry, URLPattern):
            found.append(template)
    return sorted(set(found))


def address(template: str, value: str) -> str:
    return "/" + template.replace("{}", value)


hostile = st.one_of(
    st.sampled_from(NASTY),
    st.integers(min_value=2**31, max_value=10**40).map(str),
    st.text(max_size=60).map(lambda text: quote(text, safe="")),
    st.binary(min_size=1, max_size=12).map(lambda raw: "".join(f"%{byte:02x}" for byte in raw)),
)


class HostileInputTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.room = testing.newsroom(1)

    def setUp(self):
        cache.clear()  # no rate limit carries over between requests
        self.client.raise_request_exception = False

    def assertNot500(self, method: str, url: str, **extra) -> None:
        response = getattr(self.client, method)(url, **extra)
        self.assertLess(response.status_code, 500, f"{method.upper()} {url[:200]}")

    def test_the_routes_are_read_from_the_urlconf(self):
        routes = reader_routes()
        for expected in ["en/comments/{}/list/", "en/reactions/{}/", "api/ninjs/{}/", "api/v2/pages/", "en/{}"]:
            self.assertIn(expected, routes)
        self.assertFalse([route for route in routes if route.startswith(f"{settings.ADMIN_PATH}/")])

    def test_no_reader_or_api_route_answers_500_to_a_hostile_path_value(self):
        for template in reader_routes():
            for value in NASTY:
                self.assertNot500("get", address(template, value))

    def test_no_reader_or_api_route_answers_500_to_a_hostile_query(self):
        for template in reader_routes():
            url = address(template, "1")
            for key in QUERY_KEYS:
                for value in NASTY:
                    self.assertNot500("get", f"{url}?{key}={value}")

    def test_no_reader_post_answers_500_to_hostile_fields(self):
        fields = ["name", "email", "body", "parent", "choice", "note", "website", "key", "reaction"]
        for template in reader_routes():
            for value in NASTY:
                data = {field: value.replace("%00", "\x00") for field in fields}
                self.assertNot500("post", address(template, value), data=data)

    def test_the_reported_addresses_answer_4xx_with_a_reason(self):
        big = "9" * 21
        json_answers = [
            '/api/v2/pages/?search="',
            "/api/v2/pages/?search=%00",
            "/api/v2/pages/?search=%22%3E",
            '/api/v2/images/?search="',
            "/api/v2/pages/?offset=999999999999999999999",
            "/api/v2/pages/?published_after=2026-13-45",
            f"/api/v2/pages/?author={big}",
            f"/api/v2/pages/?section={big}",
            f"/en/ninjs/{big}/",
            f"/api/ninjs/{big}/",
        ]
        for url in json_answers:
            response = self.client.get(url)
            self.assertIn(response.status_code, (400, 404), url)
            self.assertEqual(response["Content-Type"], "application/json", url)
            self.assertTrue(response.json(), url)
        for url in [f"/en/comments/{big}/list/", f"/en/comments/{big}/form/", f"/en/reactions/{big}/"]:
            self.assertEqual(self.client.get(url).status_code, 404, url)
        self.assertEqual(self.client.get(f"/en/reactions/{2**63}/result/").status_code, 404)
        self.assertEqual(self.client.post(f"/en/comments/{big}/post/", {"name": "x"}).status_code, 404)

    def test_a_missing_ninjs_item_is_a_json_404_not_a_redirect(self):
        response = self.client.get("/api/ninjs/424242/")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response["Content-Type"], "application/json")
        self.assertIn("424242", response.json()["error"])


class HostileInputProperties(HypothesisTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.room = testing.newsroom(1)
        cls.routes = reader_routes()

    @hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.data(), value=hostile, key=st.sampled_from(QUERY_KEYS), query_value=hostile)
    def test_any_hostile_value_anywhere_answers_below_500(self, data, value, key, query_value):
        cache.clear()
        self.client.raise_request_exception = False
        template = data.draw(st.sampled_from(self.routes))
        url = f"{address(template, value)}?{key}={query_value}"
        method = data.draw(st.sampled_from(["get", "post"]))
        response = getattr(self.client, method)(url, data={"name": query_value} if method == "post" else None)
        self.assertLess(response.status_code, 500, f"{method.upper()} {url[:200]}")
