"""The breaking-news banner: per edition, shown until it expires, purging the edition when edited."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone, translation

from khabar import testing
from khabar.core.purge import page_content_changed
from khabar.newsroom import scheduler
from khabar.newsroom.models import BreakingNews
from khabar.newsroom.testing import person

sitewide_purges: list[int] = []


def record_sitewide_purge(locale_id: int) -> None:
    sitewide_purges.append(locale_id)


def render_banner(language: str) -> str:
    with translation.override(language):
        return Template("{% load newsroom_tags %}{% breaking_news %}").render(Context({}))


def banner(text: str, language: str = "en", minutes: int = 30, **fields) -> BreakingNews:
    return BreakingNews.objects.create(
        text=text,
        locale=testing.arabic_locale() if language == "ar" else testing.home("en").locale,
        expires_at=timezone.now() + timedelta(minutes=minutes),
        **fields,
    )


class BannerTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        testing.home("en")
        testing.arabic_locale()

    def test_the_banner_shows_in_its_edition_with_its_link(self):
        banner("Explosion reported near Baghdad airport", link="/en/iraq/airport/")
        html = render_banner("en")
        self.assertIn("Explosion reported near Baghdad airport", html)
        self.assertIn('href="/en/iraq/airport/"', html)
        self.assertIn("/static/newsroom/breaking-news.", html)
        self.assertNotIn("Explosion", render_banner("ar"))

    def test_an_expired_or_switched_off_banner_shows_nowhere(self):
        BreakingNews.objects.bulk_create(
            [
                BreakingNews(text="Old news", locale_id=testing.home("en").locale_id, expires_at=timezone.now()),
                BreakingNews(
                    text="Switched off",
                    locale_id=testing.home("en").locale_id,
                    expires_at=timezone.now() + timedelta(hours=1),
                    is_active=False,
                ),
            ]
        )
        self.assertEqual(render_banner("en").strip(), "")

    def test_the_newest_active_banner_wins(self):
        banner("First alert")
        banner("Second alert")
        html = render_banner("en")
        self.assertIn("Second alert", html)
        self.assertNotIn("First alert", html)

    @override_settings(KHABAR_SITEWIDE_PURGE=f"{__name__}.record_sitewide_purge")
    def test_saving_a_banner_purges_its_edition(self):
        sitewide_purges.clear()
        purged = []

        def record(sender, page, **kwargs):
            purged.append(page.pk)

        page_content_changed.connect(record)
        self.addCleanup(page_content_changed.disconnect, record)
        with self.captureOnCommitCallbacks(execute=True):
            item = banner("Ceasefire announced", language="ar")
        self.assertEqual(purged, [testing.home("ar").pk])
        self.assertEqual(sitewide_purges, [item.locale_id])

    @override_settings(KHABAR_SITEWIDE_PURGE="khabar.nowhere.purge")
    def test_a_broken_purge_hook_is_logged_not_raised(self):
        with self.assertLogs("khabar.newsroom.purging", "ERROR"), self.captureOnCommitCallbacks(execute=True):
            banner("Ceasefire announced")

    def test_an_expiring_banner_purges_its_edition_from_the_scheduler(self):
        scheduler.run_due(force=True)
        item = banner("Polls close at six", minutes=1)
        with mock.patch("khabar.newsroom.purging.page_changed") as changed:
            report = scheduler.run_due(now=item.expires_at + timedelta(seconds=1), force=True)
        self.assertEqual(report.banners_expired, 1)
        changed.assert_called_once()

    def test_bad_input_is_refused_with_a_reason(self):
        locale = testing.home("en").locale
        past = BreakingNews(text="Late", locale=locale, expires_at=timezone.now() - timedelta(minutes=1))
        with self.assertRaisesMessage(ValidationError, "a time in the future"):
            past.full_clean()
        script = BreakingNews(
            text="x", locale=locale, link="javascript:alert(1)", expires_at=timezone.now() + timedelta(hours=1)
        )
        with self.assertRaisesMessage(ValidationError, "path starting with /"):
            script.full_clean()


class BannerAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        testing.home("en")
        cls.editor = person("Editor")
        cls.reporter = person("Reporter")

    def test_an_editor_can_post_a_banner_and_a_reporter_cannot(self):
        url = reverse("wagtailsnippets_newsroom_breakingnews:add") + "?locale=en"
        expires = timezone.localtime(timezone.now() + timedelta(hours=2)).strftime("%Y-%m-%d %H:%M")
        data = {"text": "Airport closed", "link": "", "expires_at": expires, "is_active": "on"}
        self.client.force_login(self.reporter)
        self.client.post(url, data)
        self.assertFalse(BreakingNews.objects.exists())
        self.client.force_login(self.editor)
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302, response.content.decode()[:3000])
        self.assertEqual(BreakingNews.objects.get().text, "Airport closed")
