"""Corrections and updates: at the foot of the article with their date, in the "Updated"
date, and on each edition's corrections page, newest first."""

from __future__ import annotations

from datetime import timedelta

from django.test import TestCase, override_settings
from django.utils import timezone
from wagtail.signals import page_published

from khabar import testing
from khabar.news.models import ArticlePage, Correction


def add_note(article: ArticlePage, text: str, *, kind: str = Correction.CORRECTION, ago: timedelta = timedelta(0)):
    """What an editor does: add a note in the article's inline panel and publish."""
    article = ArticlePage.objects.get(pk=article.pk)
    article.corrections.add(Correction(kind=kind, text=text, noted_at=timezone.now() - ago))
    article.save_revision().publish()
    return ArticlePage.objects.get(pk=article.pk)


class CorrectionOnTheArticleTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")

    def setUp(self):
        self.story = testing.article(self.section, "Parliament passes the water budget")

    def test_a_correction_shows_at_the_foot_with_its_label_and_date(self):
        story = add_note(self.story, "An earlier version gave the wrong total.")
        response = self.client.get(story.url)
        self.assertContains(response, "Correction:")
        self.assertContains(response, "An earlier version gave the wrong total.")
        note = story.corrections.get()
        self.assertContains(response, f'datetime="{timezone.localtime(note.noted_at).isoformat(timespec="seconds")}"')

    def test_an_update_note_is_labelled_update(self):
        story = add_note(self.story, "The ministry has since responded.", kind=Correction.UPDATE)
        self.assertContains(self.client.get(story.url), "Update:")

    def test_a_correction_moves_the_updated_date(self):
        self.assertIsNone(self.story.last_updated)
        story = add_note(self.story, "Fixed the spelling of a name.")
        self.assertEqual(story.last_updated, story.corrections.get().noted_at)
        self.assertContains(self.client.get(story.url), "Updated")

    def test_publishing_a_correction_sends_the_signal_the_page_cache_purges_on(self):
        published = []

        def record(sender, instance, **kwargs):
            published.append(instance.pk)

        page_published.connect(record)
        self.addCleanup(page_published.disconnect, record)
        add_note(self.story, "Corrected the date of the vote.")
        self.assertEqual(published, [self.story.pk])


class CorrectionsPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")
        cls.ar_section = testing.section("أخبار العراق", language="ar", slug="iraq-ar")
        cls.old = add_note(testing.article(cls.section, "Old story"), "Old note", ago=timedelta(days=3))
        cls.new = add_note(testing.article(cls.section, "New story"), "New note", ago=timedelta(hours=1))
        cls.arabic = add_note(testing.article(cls.ar_section, "خبر"), "تصحيح عربي")
        hidden = testing.article(cls.section, "Withdrawn story")
        cls.hidden = add_note(hidden, "Note on a withdrawn story")
        cls.hidden.unpublish()

    def test_it_lists_the_editions_corrections_newest_first_with_links(self):
        response = self.client.get("/en/corrections/")
        self.assertEqual(response.status_code, 200)
        body = response.content.decode()
        self.assertLess(body.index("New note"), body.index("Old note"))
        self.assertContains(response, self.new.url)
        self.assertNotContains(response, "تصحيح عربي")
        self.assertNotContains(response, "Note on a withdrawn story")

    def test_the_arabic_edition_has_its_own(self):
        response = self.client.get("/ar/corrections/")
        self.assertContains(response, "تصحيح عربي")
        self.assertContains(response, "التصحيحات والتحديثات")
        self.assertNotContains(response, "Old note")

    @override_settings(KHABAR_PAGE_SIZE=1)
    def test_it_is_paginated_and_a_bad_page_number_is_a_404(self):
        first = self.client.get("/en/corrections/")
        self.assertContains(first, "New note")
        self.assertNotContains(first, "Old note")
        self.assertContains(self.client.get("/en/corrections/?page=2"), "Old note")
        self.assertEqual(self.client.get("/en/corrections/?page=99").status_code, 404)
        self.assertEqual(self.client.get("/en/corrections/?page=x").status_code, 404)

    def test_the_number_of_queries_does_not_grow_with_the_number_of_corrections(self):
        self.client.get("/en/corrections/")  # warm Wagtail's site-root cache
        with self.assertNumQueries(self._queries()) as few:
            self.client.get("/en/corrections/")
        for n in range(6):
            add_note(testing.article(self.section, f"Extra story {n}"), f"Extra note {n}")
        with self.assertNumQueries(len(few.captured_queries)):
            response = self.client.get("/en/corrections/")
        self.assertContains(response, "Extra note 5")

    def _queries(self) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            self.client.get("/en/corrections/")
        return len(ctx.captured_queries)
