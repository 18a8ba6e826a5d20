"""View restrictions purge like an unpublish; a password-protected page can be unlocked and is never
kept in the shared page cache; frontend caches get each purged URL exactly once."""

from __future__ import annotations

from collections import Counter

from django.test import override_settings
from wagtail.contrib.frontend_cache.backends import BaseBackend
from wagtail.models import Page, PageViewRestriction

from khabar.core.tests.test_page_cache import PageCacheTestCase, Site
from khabar.news.models import ArticlePage

PASSWORD = "river-of-ink-42"


class RecordingBackend(BaseBackend):
    """A frontend cache that only remembers what it was asked to purge."""

    purged: list[str] = []

    def purge(self, url: str) -> None:
        RecordingBackend.purged.append(url)


RECORDING = {"recording": {"BACKEND": f"{__name__}.RecordingBackend"}}


class ViewRestrictionPurgeTests(PageCacheTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.site = Site()

    def setUp(self):
        super().setUp()
        RecordingBackend.purged = []

    def listings(self) -> list[str]:
        s = self.site
        return [s.story.url, s.iraq.url, "/en/", s.layla.url, "/en/topics/water/", "/en/feed/", "/sitemap.xml"]

    def restrict(self, page) -> PageViewRestriction:
        with self.captureOnCommitCallbacks(execute=True):
            return PageViewRestriction.objects.create(page=page, restriction_type="password", password=PASSWORD)

    @override_settings(WAGTAILFRONTENDCACHE=RECORDING)
    def test_making_a_story_private_purges_its_page_listings_feeds_and_sitemap(self):
        for url in self.listings():
            self.assertCachedNow(url)
        self.restrict(self.site.story)
        for url in self.listings():
            response = self.client.get(url)
            self.assertNotEqual(response.get("X-Cache"), "HIT", f"stale {url} after the story was made private")
            if url != self.site.story.url:
                self.assertNotContains(response, "Water budget passes")
        for path in [self.site.story.url, self.site.iraq.url, "/en/", "/en/feed/", "/sitemap.xml"]:
            self.assertTrue(any(url.endswith(path) for url in RecordingBackend.purged), f"{path} not purged")

    def test_changing_or_removing_a_restriction_purges_again(self):
        restriction = self.restrict(self.site.story)
        self.assertCachedNow(self.site.iraq.url)
        with self.captureOnCommitCallbacks(execute=True):
            restriction.password = "another-password-7"
            restriction.save()
        self.assertNotEqual(self.get(self.site.iraq.url)["X-Cache"], "HIT")
        with self.captureOnCommitCallbacks(execute=True):
            restriction.delete()
        response = self.get(self.site.iraq.url)
        self.assertNotEqual(response["X-Cache"], "HIT")
        self.assertContains(response, "Water budget passes")

    def test_restricting_a_section_purges_its_whole_edition(self):
        self.assertCachedNow(self.site.story.url)
        self.assertCachedNow("/ar/")
        self.restrict(Page.objects.get(pk=self.site.iraq.pk))
        self.assertNotEqual(self.client.get(self.site.story.url).get("X-Cache"), "HIT")
        self.assertEqual(self.get("/ar/")["X-Cache"], "HIT")  # the other edition is untouched


class PasswordProtectedPageTests(PageCacheTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.site = Site()
        cls.restriction = PageViewRestriction.objects.create(
            page=cls.site.story, restriction_type="password", password=PASSWORD
        )

    def unlock(self, password: str):
        form = self.client.get(self.site.story.url)
        self.assertEqual(form.status_code, 200)
        action = f"/en/_util/authenticate_with_password/{self.restriction.pk}/{self.site.story.pk}/"
        self.assertContains(form, f'action="{action}"')
        return self.client.post(action, {"password": password, "return_url": self.site.story.url})

    def test_a_restricted_page_shows_the_password_form_not_the_story(self):
        response = self.client.get(self.site.story.url)
        self.assertContains(response, 'name="password"')
        self.assertNotContains(response, "The vote came after midnight.")

    def test_the_wrong_password_is_refused(self):
        response = self.unlock("not-the-password")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'name="password"')
        self.assertNotContains(self.client.get(self.site.story.url), "The vote came after midnight.")

    def test_the_right_password_shows_the_page(self):
        response = self.unlock(PASSWORD)
        self.assertRedirects(response, self.site.story.url, fetch_redirect_response=False)
        story = self.client.get(self.site.story.url)
        self.assertEqual(story.status_code, 200)
        self.assertNotContains(story, 'name="password"')
        self.assertContains(story, "The vote came after midnight.")
        self.assertEqual(story.context["page"].pk, self.site.story.pk)

    def test_the_unlocked_or_locked_page_is_never_kept_in_the_shared_cache(self):
        self.unlock(PASSWORD)
        self.client.get(self.site.story.url)  # the reader who knows the password
        self.client.cookies.clear()
        for _ in range(2):
            stranger = self.client.get(self.site.story.url)
            self.assertNotEqual(stranger.get("X-Cache"), "HIT")
            self.assertContains(stranger, 'name="password"')


class OnePurgePerURLTests(PageCacheTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.site = Site()

    @override_settings(WAGTAILFRONTENDCACHE=RECORDING)
    def test_publishing_a_story_purges_each_url_exactly_once(self):
        RecordingBackend.purged = []
        story = ArticlePage.objects.get(pk=self.site.story.pk)
        with self.captureOnCommitCallbacks(execute=True):
            story.save_revision().publish()
        counts = Counter(RecordingBackend.purged)
        self.assertTrue(counts)
        self.assertEqual([url for url, count in counts.items() if count > 1], [])
        self.assertTrue(any(url.endswith(self.site.story.url) for url in counts))
        # No URL of the English story rewritten into the Arabic edition (the Arabic story has its own address).
        english_path = self.site.story.url
        self.assertFalse([url for url in counts if url.endswith("/ar/" + english_path.split("/", 2)[2])])
