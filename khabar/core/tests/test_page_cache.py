"""The full-page cache: what it stores, what it never stores, and that no stale page survives a change."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.test import RequestFactory, TestCase, override_settings
from django.utils import timezone
from wagtail.models import Page

from khabar import testing
from khabar.core import fastpath, pagecache
from khabar.core.purge import page_changed
from khabar.news import listing
from khabar.news.models import ArticlePage, RelatedArticle


def _page_cache_settings():
    from django.conf import settings

    caches = dict(settings.CACHES)
    # A private cache per test class, so parallel test processes never share entries.
    caches["pages"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": uuid.uuid4().hex}
    return override_settings(CACHES=caches, KHABAR_PAGE_CACHE=True, KHABAR_PAGE_CACHE_SECONDS=300, KHABAR_PAGE_SIZE=1)


class PageCacheTestCase(TestCase):
    """The page cache on, in a cache of this class's own (``cache_settings``), empty before each test."""

    @classmethod
    def cache_settings(cls):
        return _page_cache_settings()

    @classmethod
    def setUpClass(cls):
        cls._cache_settings = cls.cache_settings()
        cls._cache_settings.enable()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls._cache_settings.disable()

    def setUp(self):
        pagecache._cache().clear()

    def get(self, url, **headers):
        response = self.client.get(url, **headers)
        self.assertEqual(response.status_code, 200, url)
        return response

    def assertCachedNow(self, url):
        self.get(url)
        self.assertEqual(self.get(url)["X-Cache"], "HIT", f"{url} should be served from the cache")
        self.assertIsNotNone(self.fast(url), f"{url} should be answered by the WSGI fast path")

    @staticmethod
    def environ(url, method="get", **headers):
        request = getattr(RequestFactory(), method)(url, **headers)
        # WSGIRequest decoded PATH_INFO in place; a server hands it over as UTF-8 bytes in a latin-1 str.
        return {**request.environ, "PATH_INFO": request.path_info.encode().decode("iso-8859-1")}

    def fast(self, url, **headers):
        """What the WSGI layer in front of Django answers, or None when it hands the request to Django."""
        return fastpath.answer(self.environ(url, **headers))

    def change(self, action):
        with self.captureOnCommitCallbacks(execute=True):
            action()


def _translate(page, parent, language: str, title: str, **fields):
    """A page in another edition sharing the original's translation key (what Wagtail's translation makes)."""
    copy = type(page)(title=title, locale=parent.locale, translation_key=page.translation_key, **fields)
    parent.add_child(instance=copy)
    return testing.publish(copy)


class Site:
    """Two editions: an English story and its Arabic translation, each with sections, authors, topics."""

    def __init__(self):
        now = timezone.now()
        self.iraq = testing.section("Iraq News", slug="iraq")
        self.business = testing.section("Business", slug="business")
        self.layla = testing.author("Layla Hassan", role="Baghdad correspondent")
        self.omar = testing.author("Omar Khalil", role="Security analyst")
        self.older = testing.article(
            self.iraq, "Older iraq story", authors=[self.layla], published=now - timedelta(days=2)
        )
        self.story = testing.article(self.iraq, "Water budget passes", authors=[self.layla], published=now)
        self.story.topics.add("water")
        testing.publish(self.story)
        self.other = testing.article(self.business, "Dinar steady", authors=[self.omar], published=now)
        RelatedArticle.objects.create(page=self.other, article=self.story, sort_order=0)
        ar_home = testing.home("ar")
        self.ar_iraq = _translate(self.iraq, ar_home, "ar", "أخبار العراق", slug="iraq")
        self.ar_business = testing.section("اقتصاد", language="ar", slug="business")
        self.ar_layla = testing.author("ليلى حسن", language="ar", slug="layla")
        self.ar_story = testing.article(self.ar_iraq, "إقرار موازنة المياه", authors=[self.ar_layla], published=now)
        ArticlePage.objects.filter(pk=self.ar_story.pk).update(translation_key=self.story.translation_key)
        self.ar_story.refresh_from_db()
        self.ar_story.topics.add("مياه")
        testing.publish(self.ar_story)


class PageCacheBasicsTests(PageCacheTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.site = Site()

    def test_a_second_anonymous_read_is_served_from_the_cache(self):
        first = self.get(self.site.story.url)
        self.assertEqual(first["X-Cache"], "MISS")
        second = self.get(self.site.story.url)
        self.assertEqual(second["X-Cache"], "HIT")
        self.assertEqual(first.content, second.content)

    def test_a_cache_hit_runs_no_sql_at_all(self):
        self.get(self.site.story.url)
        with self.assertNumQueries(0):
            self.assertEqual(self.get(self.site.story.url)["X-Cache"], "HIT")

    def test_every_reader_page_kind_is_cached(self):
        for url in [
            "/en/",
            self.site.iraq.url,
            self.site.iraq.url + "?page=2",
            self.site.story.url,
            self.site.layla.url,
            "/en/topics/water/",
            "/ar/",
            self.site.ar_story.url,
        ]:
            with self.subTest(url=url):
                self.assertCachedNow(url)

    def test_query_strings_and_editions_are_cached_apart(self):
        page1 = self.get(self.site.iraq.url)
        page2 = self.get(self.site.iraq.url + "?page=2")
        self.assertNotEqual(page1.content, page2.content)
        self.assertNotEqual(self.get("/en/").content, self.get("/ar/").content)

    def test_cached_pages_say_public_with_s_maxage_and_validators(self):
        for response in (self.get(self.site.story.url), self.get(self.site.story.url)):
            control = response["Cache-Control"]
            self.assertIn("public", control)
            self.assertIn("s-maxage=300", control)
            self.assertIn("max-age=0", control)
            self.assertTrue(response["ETag"].startswith('"'))
            self.assertIn("GMT", response["Last-Modified"])
            self.assertEqual(response["X-Content-Type-Options"], "nosniff")  # security headers survive a hit
            self.assertIn("Content-Security-Policy", response)

    def test_a_matching_etag_gets_304_without_a_body(self):
        etag = self.get(self.site.story.url)["ETag"]
        for _ in range(2):  # from the miss path and from the hit path
            response = self.client.get(self.site.story.url, HTTP_IF_NONE_MATCH=etag)
            self.assertEqual(response.status_code, 304)
            self.assertEqual(response.content, b"")
        self.assertEqual(self.client.get(self.site.story.url, HTTP_IF_NONE_MATCH='"other"').status_code, 200)

    def test_if_modified_since_gets_304(self):
        last_modified = self.get(self.site.story.url)["Last-Modified"]
        response = self.client.get(self.site.story.url, HTTP_IF_MODIFIED_SINCE=last_modified)
        self.assertEqual(response.status_code, 304)

    def test_head_is_answered_from_the_cache_without_a_body(self):
        length = len(self.get(self.site.story.url).content)
        response = self.client.head(self.site.story.url)
        self.assertEqual(response["X-Cache"], "HIT")
        self.assertEqual(response.content, b"")
        self.assertEqual(int(response["Content-Length"]), length)

    def test_no_per_reader_data_in_any_cached_response(self):
        self.client.get("/csrf/")  # the reader now holds a CSRF cookie, as after submitting a form
        for url in ["/en/", self.site.iraq.url, self.site.story.url, self.site.layla.url, "/en/topics/water/"]:
            with self.subTest(url=url):
                self.get(url)
                response = self.get(url)
                self.assertEqual(response["X-Cache"], "HIT")
                self.assertFalse(response.cookies)
                body = response.content.decode()
                for secret in ("csrfmiddlewaretoken", "csrftoken", "sessionid", 'class="messages'):
                    self.assertNotIn(secret, body)

    def test_signed_in_staff_bypass_the_cache_and_get_private_no_store(self):
        self.get(self.site.story.url)
        self.client.force_login(testing.user("editor", superuser=True))
        response = self.get(self.site.story.url)
        self.assertEqual(response["X-Cache"], "BYPASS")
        self.assertIn("private", response["Cache-Control"])
        self.assertIn("no-store", response["Cache-Control"])

    def test_pages_outside_the_reader_set_are_not_stored(self):
        response = self.client.get("/csrf/")
        self.assertNotIn("X-Cache", response)
        response = self.client.get("/en/no-such-page/")
        self.assertEqual(response.status_code, 404)
        self.assertNotEqual(self.client.get("/en/no-such-page/").get("X-Cache"), "HIT")

    def test_posts_are_never_answered_from_the_cache(self):
        self.get(self.site.story.url)
        response = self.client.post(self.site.story.url)
        self.assertNotEqual(response.get("X-Cache"), "HIT")

    def test_page_content_changed_purges_that_page_only(self):
        self.assertCachedNow(self.site.story.url)
        self.assertCachedNow(self.site.iraq.url)
        self.change(lambda: page_changed(self.site.story))
        self.assertEqual(self.get(self.site.story.url)["X-Cache"], "MISS")
        self.assertEqual(self.get(self.site.iraq.url)["X-Cache"], "HIT")

    def test_a_response_rendered_before_a_purge_is_dead_on_arrival(self):
        # A request reads the generations, the editor publishes, then the request stores its old render.
        factory = RequestFactory()
        request = factory.get(self.site.story.url)
        keys = pagecache._generation_keys(request.path)
        old = pagecache._ensure_generations(keys, {})
        self.change(lambda: page_changed(self.site.story))
        self.assertNotEqual(old, pagecache._ensure_generations(keys, {}))


class PageCacheUnitTests(TestCase):
    def test_feeds_live_under_the_page_they_list(self):
        self.assertEqual(pagecache.owner_tag("/en/feed/"), "/en/")
        self.assertEqual(pagecache.owner_tag("/en/iraq/feed/"), "/en/iraq/")
        self.assertEqual(pagecache.owner_tag("/ar/topics/water/feed/"), "/ar/topics/water/")
        self.assertEqual(pagecache.owner_tag("/en/authors/layla/feed/atom/"), "/en/authors/layla/")
        self.assertEqual(pagecache.owner_tag("/en/iraq/story/"), "/en/iraq/story/")

    def test_sitemaps_share_one_generation(self):
        for path in ["/sitemap.xml", "/news-sitemap.xml", "/sitemap-en.xml"]:
            self.assertEqual(pagecache.owner_tag(path), pagecache.SITEMAP_TAG)

    def test_the_edition_comes_from_the_path(self):
        self.assertEqual(pagecache.edition_of("/ar/iraq/"), "ar")
        self.assertEqual(pagecache.edition_of("/sitemap.xml"), "")
        self.assertEqual(pagecache.edition_of("/xx/"), "")

    def test_set_cookie_vary_cookie_csrf_and_private_are_per_reader(self):
        from django.http import HttpResponse

        factory = RequestFactory()
        plain = factory.get("/en/")
        self.assertFalse(pagecache.is_per_reader(plain, HttpResponse("x")))
        with_cookie = HttpResponse("x")
        with_cookie.set_cookie("reader", "1")
        self.assertTrue(pagecache.is_per_reader(plain, with_cookie))
        varying = HttpResponse("x", headers={"Vary": "Accept-Language, Cookie"})
        self.assertTrue(pagecache.is_per_reader(plain, varying))
        self.assertTrue(pagecache.is_per_reader(plain, HttpResponse("x", headers={"Cache-Control": "private"})))
        token_used = factory.get("/en/")
        token_used.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
        self.assertTrue(pagecache.is_per_reader(token_used, HttpResponse("x")))


class InvalidationMatrixTests(PageCacheTestCase):
    """Each change x each affected URL x each edition: after the change, none of them is a cache hit,
    and pages that do not show the article stay cached (the purge is precise)."""

    @classmethod
    def setUpTestData(cls):
        cls.site = Site()

    def affected(self, language: str) -> list[str]:
        s = self.site
        if language == "en":
            return [
                s.story.url,
                s.iraq.url,
                s.iraq.url + "?page=2",
                "/en/",
                s.layla.url,
                "/en/topics/water/",
                s.other.url,
                s.ar_story.url,
            ]
        return [s.ar_story.url, s.ar_iraq.url, "/ar/", s.ar_layla.url, "/ar/topics/مياه/", s.story.url]

    def unaffected(self, language: str) -> list[str]:
        s = self.site
        if language == "en":
            return [s.business.url, s.omar.url, "/ar/", s.ar_iraq.url]
        return [s.ar_business.url, "/en/", s.iraq.url]

    def story(self, language: str) -> ArticlePage:
        return ArticlePage.objects.get(pk=(self.site.story if language == "en" else self.site.ar_story).pk)

    def run_matrix(self, language: str, action, expect_gone: bool = False):
        urls = self.affected(language)
        for url in urls + self.unaffected(language):
            self.assertCachedNow(url)
        story = self.story(language)
        self.change(lambda: action(story))
        for url in urls:
            self.assertIsNone(self.fast(url), f"the fast path still serves {url} in the {language} edition")
            response = self.client.get(url)
            self.assertNotEqual(response.get("X-Cache"), "HIT", f"stale {url} in the {language} edition")
            if url == story.url and expect_gone:
                self.assertEqual(response.status_code, 404, url)
            elif "?page=" not in url:  # a listing may lose its last page with the story
                self.assertEqual(response.status_code, 200, url)
        for url in self.unaffected(language):
            self.assertEqual(self.get(url)["X-Cache"], "HIT", f"{url} purged needlessly")

    @staticmethod
    def edit(story):
        story.title = story.title + " (updated)"
        story.save_revision().publish()

    def test_editing_an_english_story_purges_every_page_that_shows_it(self):
        self.run_matrix("en", self.edit)
        self.assertContains(self.client.get(self.site.iraq.url), "Water budget passes (updated)")
        self.assertContains(self.client.get("/en/topics/water/"), "Water budget passes (updated)")
        self.assertContains(self.client.get(self.site.layla.url), "Water budget passes (updated)")
        self.assertContains(self.client.get("/en/"), "Water budget passes (updated)")

    def test_editing_an_arabic_story_purges_every_page_that_shows_it(self):
        self.run_matrix("ar", self.edit)
        self.assertContains(self.client.get(self.site.ar_iraq.url), "(updated)")
        self.assertContains(self.client.get("/ar/"), "(updated)")

    def test_unpublishing_an_english_story_purges_every_page_that_showed_it(self):
        self.run_matrix("en", lambda story: story.unpublish(), expect_gone=True)
        self.assertNotContains(self.client.get("/en/"), "Water budget passes")
        self.assertNotContains(self.client.get("/en/topics/water/"), "Water budget passes")

    def test_unpublishing_an_arabic_story_purges_every_page_that_showed_it(self):
        self.run_matrix("ar", lambda story: story.unpublish(), expect_gone=True)
        self.assertNotContains(self.client.get("/ar/"), "إقرار موازنة المياه")

    def test_deleting_an_english_story_purges_every_page_that_showed_it(self):
        self.run_matrix("en", lambda story: story.delete(), expect_gone=True)
        self.assertNotContains(self.client.get(self.site.layla.url), "Water budget passes")

    def test_deleting_an_arabic_story_purges_every_page_that_showed_it(self):
        self.run_matrix("ar", lambda story: story.delete(), expect_gone=True)
        self.assertNotContains(self.client.get(self.site.ar_layla.url), "إقرار موازنة المياه")

    def test_publishing_a_new_story_purges_its_listings(self):
        urls = ["/en/", self.site.iraq.url, self.site.layla.url, "/en/topics/water/"]
        for url in urls:
            self.assertCachedNow(url)

        def publish():
            fresh = testing.article(self.site.iraq, "Fresh from the floor", authors=[self.site.layla])
            fresh.topics.add("water")
            testing.publish(fresh)

        self.change(publish)
        for url in urls:
            response = self.get(url)
            self.assertNotEqual(response["X-Cache"], "HIT", url)
            self.assertContains(response, "Fresh from the floor")

    def test_moving_a_story_purges_the_old_and_the_new_section(self):
        story = self.story("en")
        old_url = story.url
        for url in [old_url, self.site.iraq.url, self.site.business.url]:
            self.assertCachedNow(url)
        self.change(lambda: story.move(self.site.business, pos="last-child"))
        self.assertNotEqual(self.client.get(old_url).get("X-Cache"), "HIT")
        for url in [self.site.iraq.url, self.site.business.url]:
            self.assertNotEqual(self.get(url)["X-Cache"], "HIT", url)
        self.assertContains(self.get(self.site.business.url + "?page=2"), "Water budget passes")

    def test_removing_a_topic_purges_the_old_topic_page(self):
        story = self.story("en")
        self.change(lambda: story.save_revision().publish())  # the purge remembers its topics
        self.assertCachedNow("/en/topics/water/")

        def drop_topic():
            story.topics.clear()
            story.save_revision().publish()

        self.change(drop_topic)
        response = self.client.get("/en/topics/water/")
        self.assertNotEqual(response.get("X-Cache"), "HIT")
        self.assertNotContains(response, "Water budget passes")

    def test_renaming_a_section_purges_its_whole_edition(self):
        urls = ["/en/", self.site.business.url, self.site.story.url]
        for url in urls + ["/ar/"]:
            self.assertCachedNow(url)

        def rename():
            section = Page.objects.get(pk=self.site.iraq.pk).specific
            section.title = "Iraq"
            section.save_revision().publish()

        self.change(rename)
        for url in urls:
            self.assertNotEqual(self.get(url)["X-Cache"], "HIT", url)
        self.assertEqual(self.get("/ar/")["X-Cache"], "HIT")

    def test_purges_also_go_to_wagtails_frontend_cache(self):
        from unittest import mock

        with (
            override_settings(
                WAGTAILFRONTENDCACHE={
                    "x": {
                        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
                        "LOCATION": "http://127.0.0.1:9",
                    }
                }
            ),
            mock.patch("wagtail.contrib.frontend_cache.tasks.purge_urls_from_cache_task") as task,
        ):
            self.change(lambda: page_changed(self.site.story))
            story = self.story("en")
            self.change(lambda: story.save_revision().publish())
        urls = set().union(*(call.args[0] for call in task.enqueue.call_args_list))
        for path in [
            self.site.story.url,
            self.site.iraq.url,
            "/en/",
            "/en/feed/",
            self.site.iraq.url + "feed/",
            self.site.layla.url,
            "/en/topics/water/",
            "/sitemap.xml",
            "/news-sitemap.xml",
        ]:
            self.assertTrue(any(url.endswith(path) for url in urls), f"{path} not sent to the frontend cache")


class EmbargoTests(PageCacheTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")
        cls.story = testing.article(cls.section, "Embargoed budget story")

    def test_a_story_whose_embargo_ends_is_purged_by_the_scheduled_publishing_job(self):
        from khabar.newsroom import scheduler

        scheduler.run_due(now=timezone.now() - timedelta(minutes=1), force=True)  # remembers when it ran
        ArticlePage.objects.filter(pk=self.story.pk).update(embargo_until=timezone.now() + timedelta(minutes=5))
        listing.refresh([self.story.pk])  # the test moves the embargo by rewriting it; a publish would refresh
        self.assertCachedNow(self.section.url)
        self.assertNotContains(self.get(self.section.url), "Embargoed budget story")
        ArticlePage.objects.filter(pk=self.story.pk).update(embargo_until=timezone.now() - timedelta(seconds=1))
        listing.refresh([self.story.pk])  # the test moves the embargo by rewriting it; a publish would refresh
        self.assertEqual(self.get(self.section.url)["X-Cache"], "HIT")  # no signal: still the cached listing
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(scheduler.run_due(force=True).embargoes_lifted, [self.story.pk])
        self.assertIsNone(self.fast(self.section.url), "the fast path still serves the listing")
        response = self.get(self.section.url)
        self.assertNotEqual(response["X-Cache"], "HIT")
        self.assertContains(response, "Embargoed budget story")
        self.assertEqual(scheduler.run_due(force=True).embargoes_lifted, [])  # each ended embargo is purged once


class NoCacheNoPurgeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")

    @override_settings(KHABAR_PAGE_CACHE=False, WAGTAILFRONTENDCACHE={})
    def test_publishing_costs_no_purge_work_when_no_cache_holds_pages(self):
        from unittest import mock

        with mock.patch("khabar.core.pagecache.purge_paths") as purge_paths:
            with self.captureOnCommitCallbacks(execute=True):
                testing.article(self.section, "A quiet story")
        purge_paths.assert_not_called()


class WSGIFastPathTests(PageCacheTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")
        cls.story = testing.article(cls.section, "Water budget passes")

    def serve(self, environ):
        calls = []
        app = fastpath.FastPath(lambda env, start: calls.append(env) or [b"django"])
        started = {}
        body = b"".join(app(environ, lambda status, headers: started.update(status=status, headers=dict(headers))))
        return body, started, calls

    def test_a_stored_page_is_served_without_django_with_the_same_bytes_and_headers(self):
        stored = self.get(self.story.url)  # stored by the middleware
        body, started, calls = self.serve(self.environ(self.story.url))
        self.assertEqual(calls, [])
        self.assertEqual(body, stored.content)
        self.assertEqual(started["status"], "200 OK")
        headers = started["headers"]
        for name in ("ETag", "Cache-Control", "Content-Security-Policy", "X-Content-Type-Options", "Vary"):
            self.assertEqual(headers[name], stored[name], name)
        self.assertEqual(headers["Content-Length"], str(len(stored.content)))
        self.assertEqual(headers["X-Cache"], "HIT")

    def test_the_fast_path_answers_revalidations_with_304_and_head_without_a_body(self):
        etag = self.get(self.story.url)["ETag"]
        body, started, calls = self.serve(self.environ(self.story.url, HTTP_IF_NONE_MATCH=etag))
        self.assertEqual((started["status"], body, calls), ("304 Not Modified", b"", []))
        self.assertEqual(started["headers"]["ETag"], etag)
        self.assertNotIn("Content-Length", started["headers"])
        body, started, calls = self.serve(self.environ(self.story.url, method="head"))
        self.assertEqual((started["status"], body, calls), ("200 OK", b"", []))
        self.assertGreater(int(started["headers"]["Content-Length"]), 0)

    def test_everything_else_goes_to_django(self):
        self.get(self.story.url)
        cases = {
            "a miss": self.environ(self.section.url),
            "a session": self.environ(self.story.url, HTTP_COOKIE="sessionid=abc"),
            "a flash message": self.environ(self.story.url, HTTP_COOKIE="messages=abc"),
            "credentials": self.environ(self.story.url, HTTP_AUTHORIZATION="Basic eDp5"),
            "a post": self.environ(self.story.url, method="post"),
            "an unknown query string": self.environ(self.story.url + "?q=water"),
            "another host": self.environ(self.story.url, HTTP_HOST="localhost"),
            "a static file": self.environ("/static/khabar/css/site.css"),
        }
        for name, environ in cases.items():
            with self.subTest(name):
                body, _started, calls = self.serve(environ)
                self.assertEqual(body, b"django")
                self.assertEqual(len(calls), 1)

    def test_a_purge_reaches_the_fast_path(self):
        self.get(self.story.url)
        self.change(lambda: page_changed(self.story))
        body, _started, calls = self.serve(self.environ(self.story.url))
        self.assertEqual(body, b"django")

    def test_a_cache_outage_falls_through_to_django(self):
        from unittest import mock

        self.get(self.story.url)
        with mock.patch.object(pagecache, "lookup", side_effect=ConnectionError("redis away")):
            with self.assertLogs("khabar.pagecache", "ERROR"):
                body, _started, calls = self.serve(self.environ(self.story.url))
        self.assertEqual(body, b"django")


class CompressionTests(PageCacheTestCase):
    BROWSER = "gzip, deflate, br"

    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")
        cls.story = testing.article(cls.section, "Water budget passes")

    def test_a_browser_gets_the_stored_brotli_form_with_its_own_etag(self):
        import brotli

        plain = self.get(self.story.url)
        for response in (self.get(self.story.url, HTTP_ACCEPT_ENCODING=self.BROWSER),) * 1 + (
            self.client.get(self.story.url, HTTP_ACCEPT_ENCODING=self.BROWSER),
        ):
            self.assertEqual(response["Content-Encoding"], "br")
            self.assertEqual(brotli.decompress(response.content), plain.content)
            self.assertEqual(int(response["Content-Length"]), len(response.content))
            self.assertEqual(response["ETag"], plain["ETag"][:-1] + '-br"')
            self.assertIn("Accept-Encoding", response["Vary"])

    def test_gzip_only_clients_get_gzip_and_refused_encodings_are_not_sent(self):
        import gzip

        plain = self.get(self.story.url)
        response = self.get(self.story.url, HTTP_ACCEPT_ENCODING="gzip")
        self.assertEqual(response["Content-Encoding"], "gzip")
        self.assertEqual(gzip.decompress(response.content), plain.content)
        self.assertEqual(response["ETag"], plain["ETag"][:-1] + '-gzip"')
        response = self.get(self.story.url, HTTP_ACCEPT_ENCODING="br;q=0, gzip;q=0")
        self.assertNotIn("Content-Encoding", response)
        self.assertEqual(response.content, plain.content)
        self.assertIn("Accept-Encoding", plain["Vary"])

    def test_a_revalidation_matches_only_the_etag_of_its_encoding(self):
        etag = self.get(self.story.url, HTTP_ACCEPT_ENCODING="br")["ETag"]
        self.assertEqual(
            self.client.get(self.story.url, HTTP_ACCEPT_ENCODING="br", HTTP_IF_NONE_MATCH=etag).status_code, 304
        )
        self.assertEqual(self.client.get(self.story.url, HTTP_IF_NONE_MATCH=etag).status_code, 200)

    def test_a_cache_hit_never_compresses(self):
        from unittest import mock

        self.get(self.story.url)  # stored: compressed here, once
        with mock.patch.object(pagecache.brotli, "compress") as br, mock.patch.object(pagecache.gzip, "compress") as gz:
            response = self.get(self.story.url, HTTP_ACCEPT_ENCODING=self.BROWSER)
            self.assertIsNotNone(self.fast(self.story.url, HTTP_ACCEPT_ENCODING=self.BROWSER))
        self.assertEqual(response["X-Cache"], "HIT")
        br.assert_not_called()
        gz.assert_not_called()


class QueryStringTests(PageCacheTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")
        cls.story = testing.article(cls.section, "Water budget passes")
        cls.older = testing.article(cls.section, "Older story", published=timezone.now() - timedelta(days=1))

    def test_links_shared_with_tracking_parameters_get_the_cached_copy_without_a_render(self):
        self.assertCachedNow(self.story.url)
        for query in (
            "utm_source=facebook&utm_medium=social",
            "fbclid=IwAR0abc",
            "gclid=x&_ga=2.1",
            "mc_cid=1&mc_eid=2",
            "ref=hn",
        ):
            with self.subTest(query), self.assertNumQueries(0):
                self.assertEqual(self.get(f"{self.story.url}?{query}")["X-Cache"], "HIT")
                self.assertIsNotNone(self.fast(f"{self.story.url}?{query}"))

    def test_a_first_visit_with_tracking_parameters_stores_the_canonical_copy(self):
        self.assertEqual(self.get(f"{self.section.url}?utm_campaign=launch")["X-Cache"], "MISS")
        self.assertEqual(self.get(self.section.url)["X-Cache"], "HIT")
        self.assertNotContains(self.get(self.section.url), "utm_campaign")

    def test_unknown_query_parameters_are_rendered_but_never_stored(self):
        for url in (f"{self.story.url}?x=1", f"{self.story.url}?{uuid.uuid4().hex}", f"{self.section.url}?page=abc"):
            with self.subTest(url):
                self.client.get(url)
                self.assertNotEqual(self.client.get(url).get("X-Cache"), "HIT")
                self.assertIsNone(self.fast(url))

    def test_page_numbers_are_normalised_into_one_entry(self):
        self.assertCachedNow(self.section.url + "?page=2")
        self.assertEqual(self.get(self.section.url + "?page=02")["X-Cache"], "HIT")
        self.assertCachedNow(self.section.url)
        self.assertEqual(self.get(self.section.url + "?page=1")["X-Cache"], "HIT")

    def test_a_page_number_on_an_article_is_not_stored(self):
        self.get(self.story.url + "?page=7")
        self.assertNotEqual(self.get(self.story.url + "?page=7").get("X-Cache"), "HIT")

    def test_canonical_query_rules(self):
        canonical = pagecache.canonical_query
        self.assertEqual(canonical("/en/", ""), "")
        self.assertEqual(canonical("/en/", "utm_source=x&page=3&fbclid=y"), "page=3")
        self.assertEqual(canonical("/en/feed/", "full=TRUE"), "full=1")
        self.assertEqual(canonical("/en/feed/", "full=0"), "")
        self.assertIsNone(canonical("/en/", "full=1"))  # only feeds read it
        self.assertIsNone(canonical("/en/", "page=0"))
        self.assertIsNone(canonical("/en/", "page=2&page=3"))
        self.assertIsNone(canonical("/en/", f"page={pagecache.MAX_PAGE_NUMBER + 1}"))


class StampedeTests(PageCacheTestCase):
    """A purged hot page: one request renders, the others wait or (soft purge only) get the previous copy."""

    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")
        cls.story = testing.article(cls.section, "Water budget passes")

    def someone_is_rendering(self):
        found = pagecache.lookup(self.environ(self.story.url), self.story.url)
        self.assertTrue(pagecache._take_lock(found.entry_key))
        return found

    def test_after_a_soft_purge_readers_get_the_previous_copy_while_one_renders(self):
        before = self.get(self.story.url)
        self.change(lambda: pagecache.purge_paths([self.story.url], stale_ok=True))
        self.someone_is_rendering()
        with self.assertNumQueries(0):
            response = self.get(self.story.url)
        self.assertEqual(response["X-Cache"], "STALE")
        self.assertEqual(response.content, before.content)

    def test_after_a_hard_purge_the_previous_copy_is_never_served(self):
        self.get(self.story.url)
        self.change(lambda: page_changed(self.story))  # the default: hard
        self.someone_is_rendering()
        with override_settings(KHABAR_STAMPEDE_WAIT_SECONDS=0):
            self.assertEqual(self.get(self.story.url)["X-Cache"], "MISS")

    def test_a_hard_purge_after_a_soft_one_forbids_the_previous_copy(self):
        self.get(self.story.url)
        self.change(lambda: pagecache.purge_paths([self.story.url]))
        self.change(lambda: pagecache.purge_paths([self.story.url], stale_ok=True))
        self.someone_is_rendering()
        with override_settings(KHABAR_STAMPEDE_WAIT_SECONDS=0):
            self.assertNotEqual(self.get(self.story.url)["X-Cache"], "STALE")

    def test_a_soft_purge_older_than_the_wait_is_not_answered_with_the_previous_copy(self):
        from unittest import mock

        self.get(self.story.url)
        self.change(lambda: pagecache.purge_paths([self.story.url], stale_ok=True))
        self.someone_is_rendering()
        later = pagecache.time() + 5
        with (
            mock.patch.object(pagecache, "time", return_value=later),
            override_settings(KHABAR_STAMPEDE_WAIT_SECONDS=2),
        ):
            with mock.patch.object(pagecache, "monotonic", side_effect=[0, 0, 99]):
                self.assertEqual(self.get(self.story.url)["X-Cache"], "MISS")

    def test_a_waiting_reader_gets_the_renderers_copy_without_rendering(self):
        import threading

        self.get(self.story.url)
        key = pagecache.lookup(self.environ(self.story.url), self.story.url).entry_key
        stored = pagecache._cache().get(key)
        self.change(lambda: page_changed(self.story))
        self.someone_is_rendering()

        def renderer_finishes():
            now = pagecache.lookup(self.environ(self.story.url), self.story.url)
            pagecache._cache().set(key, {**stored, "generations": tuple(now.found[k] for k in now.keys)})
            pagecache._cache().delete(pagecache._lock_key(key))

        timer = threading.Timer(0.2, renderer_finishes)
        timer.start()
        self.addCleanup(timer.join)
        with self.assertNumQueries(0):
            response = self.get(self.story.url)
        self.assertEqual(response["X-Cache"], "HIT")

    def test_the_renderer_releases_the_lock(self):
        response = self.get(self.story.url)
        self.assertEqual(response["X-Cache"], "MISS")
        found = pagecache.lookup(self.environ(self.story.url), self.story.url)
        self.assertIsNone(pagecache._cache().get(pagecache._lock_key(found.entry_key)))

    def test_readers_who_miss_a_purged_page_at_the_same_moment_let_one_of_them_render(self):
        """Every worker thread that finds a hot page purged asks for the lock at once: one gets it,
        however far apart looking for the lock and writing it are on a busy machine."""
        import threading
        from time import sleep
        from unittest import mock

        key = pagecache.lookup(self.environ(self.story.url), self.story.url).entry_key
        backend = type(pagecache._cache())  # each thread has its own instance of it
        look = backend.has_key

        def busy_machine(cache, *args, **kwargs):
            found = look(cache, *args, **kwargs)
            sleep(0.005)
            return found

        def reader(start, owners):
            start.wait()
            if pagecache._take_lock(key):
                owners.append(threading.get_ident())

        readers = 8
        for _purge in range(3):
            start, owners = threading.Barrier(readers), []
            threads = [threading.Thread(target=reader, args=(start, owners)) for _ in range(readers)]
            with mock.patch.object(backend, "has_key", busy_machine):
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
            self.assertEqual(len(owners), 1, f"{len(owners)} of {readers} readers would render the page")
            pagecache._release_lock(key)

    def test_a_reader_who_gets_the_lock_after_another_rendered_the_page_serves_that_copy(self):
        """A reader finds the page purged; before it asks for the lock, another reader renders and
        stores the page and lets the lock go. The first one answers with that copy: one render."""
        from unittest import mock

        from django.test import Client

        self.get(self.story.url)
        self.change(lambda: pagecache.purge_paths([self.story.url], stale_ok=True))
        take_lock, others = pagecache._take_lock, []

        def another_reader_renders_first(entry_key):
            if not others:
                others.append("rendering")
                others[0] = Client().get(self.story.url)
            return take_lock(entry_key)

        with mock.patch.object(pagecache, "_take_lock", another_reader_renders_first):
            response = self.get(self.story.url)
        self.assertEqual(others[0]["X-Cache"], "MISS")
        self.assertEqual(response["X-Cache"], "HIT")
        self.assertEqual(response.content, others[0].content)
        found = pagecache.lookup(self.environ(self.story.url), self.story.url)
        self.assertIsNone(pagecache._cache().get(pagecache._lock_key(found.entry_key)))


class StampedeOnTheConfiguredBackendTests(StampedeTests):
    """The same on the cache a deployment uses: Redis with REDIS_URL, else Khabar's files on disk,
    whose add() (Django's: a check, then a write) is not one step."""

    @classmethod
    def cache_settings(cls):
        return ConfiguredBackendTests.cache_settings()


class StaticFilesTests(TestCase):
    def test_hashed_static_files_are_cached_for_a_year_and_immutable(self):
        from django.templatetags.static import static

        url = static("khabar/css/site.css")
        self.assertRegex(url, r"site\.[0-9a-f]{12}\.css$")
        response = self.client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        self.assertEqual(response.status_code, 200)
        control = response["Cache-Control"]
        self.assertIn("immutable", control)
        self.assertGreaterEqual(int(control.split("max-age=")[1].split(",")[0]), 31536000)
        self.assertEqual(response["Content-Encoding"], "br")  # the .br file collectstatic made, not per request
        b"".join(response.streaming_content)
        response.close()


class ConfiguredBackendTests(PageCacheTestCase):
    """The cache the deployment configures (Redis with REDIS_URL, else files shared by the workers)."""

    @classmethod
    def cache_settings(cls):
        from django.conf import settings

        caches = dict(settings.CACHES)
        caches["pages"] = {**settings.CACHES["pages"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
        return override_settings(CACHES=caches, KHABAR_PAGE_CACHE=True)

    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")
        cls.story = testing.article(cls.section, "Water budget passes")

    def test_store_hit_and_purge_through_the_configured_backend(self):
        self.assertEqual(self.client.get(self.story.url)["X-Cache"], "MISS")
        self.assertEqual(self.client.get(self.story.url)["X-Cache"], "HIT")
        with self.captureOnCommitCallbacks(execute=True):
            self.story.title = "Water budget passes at dawn"
            self.story.save_revision().publish()
        response = self.client.get(self.story.url)
        self.assertEqual(response["X-Cache"], "MISS")
        self.assertContains(response, "Water budget passes at dawn")


class SitewidePurgeTests(PageCacheTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")
        cls.story = testing.article(cls.section, "Water budget passes")

    def test_the_sitewide_hook_purges_every_page_of_one_edition(self):
        from khabar.core.signal_handlers import purge_edition_for_locale

        for url in [self.story.url, self.section.url, "/en/", "/ar/"]:
            self.assertCachedNow(url)
        self.change(lambda: purge_edition_for_locale(self.story.locale_id))
        for url in [self.story.url, self.section.url, "/en/"]:
            self.assertNotEqual(self.get(url)["X-Cache"], "HIT", url)
        self.assertEqual(self.get("/ar/")["X-Cache"], "HIT")


class HotPagesTests(PageCacheTestCase):
    """Each worker keeps the pages it served in memory; the shared purge epoch keeps that exact."""

    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")
        cls.story = testing.article(cls.section, "Water budget passes")

    def shared_reads(self, url):
        """The keys the fast path read from the shared page cache to answer url, and its answer."""
        from unittest import mock

        cache = pagecache._cache()
        read = []
        real_get, real_get_many = cache.get, cache.get_many
        with (
            mock.patch.object(
                cache, "get", side_effect=lambda key, *a, **k: read.append(key) or real_get(key, *a, **k)
            ),
            mock.patch.object(
                cache, "get_many", side_effect=lambda keys, *a, **k: read.extend(keys) or real_get_many(keys, *a, **k)
            ),
        ):
            answer = self.fast(url)
        return read, answer

    def test_a_repeated_hit_reads_only_the_purge_epoch_from_the_shared_cache(self):
        stored = self.get(self.story.url)
        self.fast(self.story.url)  # this worker now holds it
        read, answer = self.shared_reads(self.story.url)
        self.assertEqual(read, [pagecache._EPOCH_KEY])
        self.assertEqual(answer[2], stored.content)

    def test_a_hard_purge_by_another_worker_is_seen_on_the_next_hit(self):
        self.get(self.story.url)
        self.assertIsNotNone(self.fast(self.story.url))
        # What another worker's unpublish does to the shared cache; this worker's memory is untouched.
        pagecache._bump([pagecache._tag_key(self.story.url)])
        self.assertIsNone(self.fast(self.story.url))
        self.assertEqual(self.get(self.story.url)["X-Cache"], "MISS")

    def test_a_sitewide_purge_by_another_worker_reaches_every_held_page(self):
        for url in (self.story.url, self.section.url):
            self.get(url)
            self.assertIsNotNone(self.fast(url))
        pagecache._bump([pagecache._site_key()])
        for url in (self.story.url, self.section.url):
            self.assertIsNone(self.fast(url), url)

    def test_a_cleared_shared_cache_is_not_answered_from_memory(self):
        self.get(self.story.url)
        self.assertIsNotNone(self.fast(self.story.url))
        pagecache._cache().clear()
        self.assertIsNone(self.fast(self.story.url))

    def test_with_no_memory_every_hit_reads_the_whole_entry_from_the_shared_cache(self):
        with override_settings(KHABAR_PAGE_CACHE_MEMORY_MB=0):
            self.get(self.story.url)
            self.fast(self.story.url)
            read, answer = self.shared_reads(self.story.url)
        self.assertNotIn(pagecache._EPOCH_KEY, read)
        self.assertEqual(len(set(read)), 4)  # three generations and the entry
        self.assertIsNotNone(answer)

    def entry(self, size: int, rendered_at: float | None = None) -> dict:
        import time

        body = b"x" * size
        return {"generations": ("a", "b", "c"), "rendered_at": rendered_at or time.time(), "status": 200,
                "last_modified": 0, "variants": {"identity": ('"e"', [], body)}}  # fmt: skip

    def test_held_pages_never_outgrow_their_memory_limit_and_the_least_recent_go_first(self):
        hot = pagecache._HotPages()
        with override_settings(KHABAR_PAGE_CACHE_MEMORY_MB=1):
            for number in range(15):
                hot.keep(f"k{number}", self.entry(100_000))
                if number == 5:
                    hot.entry("k0")  # read recently: kept over k1..
            self.assertLessEqual(hot.size, 1024 * 1024)
            self.assertIsNotNone(hot.entry("k14"))
            self.assertIsNotNone(hot.entry("k0"))
            self.assertIsNone(hot.entry("k1"))
            hot.keep("huge", self.entry(200_000))  # over an eighth of the limit: never held
            self.assertIsNone(hot.entry("huge"))

    def test_a_held_page_expires_when_its_shared_copy_does(self):
        import time

        hot = pagecache._HotPages()
        hot.keep("old", self.entry(10, rendered_at=time.time() - 301))
        hot.keep("new", self.entry(10, rendered_at=time.time() - 299))
        self.assertIsNone(hot.entry("old"))
        self.assertIsNotNone(hot.entry("new"))


def _disk_page_cache_settings():
    import tempfile

    from django.conf import settings

    caches = dict(settings.CACHES)
    location = tempfile.mkdtemp(prefix="khabar-test-pages-")
    caches["pages"] = {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": location}
    return override_settings(CACHES=caches, KHABAR_PAGE_CACHE=True, KHABAR_PAGE_CACHE_SECONDS=300, KHABAR_PAGE_SIZE=1)


class HotPagesOnDiskTests(HotPagesTests):
    """The embedded default (Django's file cache): the epoch is a file, a hit reads no cache entry."""

    @classmethod
    def cache_settings(cls):
        return _disk_page_cache_settings()

    def epoch_file(self):
        from pathlib import Path

        return Path(pagecache._cache()._dir) / pagecache._EPOCH_FILE

    def test_a_repeated_hit_reads_only_the_purge_epoch_from_the_shared_cache(self):
        stored = self.get(self.story.url)
        self.fast(self.story.url)
        read, answer = self.shared_reads(self.story.url)
        self.assertEqual(read, [])  # the epoch is the file's identity: one stat(), no cache read
        self.assertTrue(self.epoch_file().exists())
        self.assertEqual(answer[2], stored.content)

    def test_each_purge_gives_the_epoch_file_a_new_identity(self):
        cache = pagecache._cache()
        self.get(self.story.url)
        seen = {pagecache._read_epoch(cache)}
        for _ in range(5):
            pagecache._bump([pagecache._tag_key("/en/elsewhere/")], stale_ok=True)
            seen.add(pagecache._read_epoch(cache))
        self.assertEqual(len(seen), 6)

    def test_a_full_epoch_file_is_started_anew_and_still_changes(self):
        cache = pagecache._cache()
        self.get(self.story.url)
        with self.epoch_file().open("ab") as file:
            file.write(b"." * pagecache._EPOCH_FILE_MAX)
        before = pagecache._read_epoch(cache)
        pagecache._bump([pagecache._tag_key("/en/elsewhere/")])
        self.assertNotEqual(pagecache._read_epoch(cache), before)
        self.assertLessEqual(self.epoch_file().stat().st_size, 1 << 16)

    def test_a_culled_epoch_file_forgets_what_this_worker_held(self):
        self.get(self.story.url)
        self.assertIsNotNone(self.fast(self.story.url))
        held = pagecache._hot.epoch
        self.epoch_file().unlink()  # what the file cache's cull may do to any *.djcache file
        read, answer = self.shared_reads(self.story.url)
        self.assertEqual(len(set(read)), 4)  # not from memory: the generations and the entry, read anew
        self.assertIsNotNone(answer)
        self.fast(self.story.url)
        self.assertNotEqual(pagecache._hot.epoch, held)
        self.assertEqual(self.shared_reads(self.story.url)[0], [])  # held again, under the new epoch
