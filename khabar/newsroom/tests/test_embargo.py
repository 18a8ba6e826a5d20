"""An embargoed article appears nowhere until its embargo ends, even if published by mistake.

To cover a new output (feed, sitemap, API, search, ninjs export), add one line to OUTPUTS:
a name and a function from the fixture (``w``) to the URL readers or machines fetch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.test import TestCase
from django.utils import timezone

from khabar import testing
from khabar.news import listing
from khabar.news.models import ArticlePage, Correction, HomePage, RelatedArticle

MARKER = "Dam-report-7731"  # in the embargoed story's headline; must not leak anywhere


@dataclass(frozen=True)
class Output:
    name: str
    url: Callable[[type], str]


OUTPUTS: list[Output] = [
    Output("edition home (chosen as lead story)", lambda w: "/en/"),
    Output("section listing", lambda w: w.section.url),
    Output("author page", lambda w: w.author.url),
    Output("topic listing", lambda w: "/en/topics/water/"),
    Output("related articles of another story", lambda w: w.neighbour.url),
    Output("corrections page", lambda w: "/en/corrections/"),
    # The lead adds: "/en/feed/", section feed, "/sitemap.xml", "/news-sitemap.xml",
    # "/api/v2/pages/?type=news.ArticlePage", "/en/search/?q=Dam-report-7731", the ninjs export.
]


class EmbargoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")
        cls.author = testing.author("Layla Hassan")
        cls.story = testing.article(
            cls.section,
            f"{MARKER}: the dam inspection findings",
            authors=[cls.author],
            embargo_until=timezone.now() + timedelta(hours=3),
        )
        cls.story.topics.add("water")
        cls.story.corrections.add(Correction(text="An earlier version misnamed the dam."))
        cls.story.save_revision().publish()  # published by mistake while embargoed
        cls.neighbour = testing.article(cls.section, "Water levels fall in Mosul", authors=[cls.author])
        cls.neighbour.topics.add("water")
        cls.neighbour.related_links.add(RelatedArticle(article=cls.story))
        cls.neighbour.save_revision().publish()
        HomePage.objects.filter(pk=testing.home("en").pk).update(lead_story=cls.story)

    def lift_embargo(self):
        ArticlePage.objects.filter(pk=self.story.pk).update(embargo_until=timezone.now() - timedelta(seconds=1))
        listing.refresh([self.story.pk])  # the test moves the embargo by rewriting it; a publish would refresh

    def test_the_story_is_live_yet_embargoed(self):
        self.story.refresh_from_db()
        self.assertTrue(self.story.live)
        self.assertTrue(self.story.is_embargoed)

    def test_the_article_page_is_not_found_during_the_embargo(self):
        response = self.client.get(self.story.url)
        self.assertEqual(response.status_code, 404)
        self.assertNotContains(response, MARKER, status_code=404)

    def test_no_output_mentions_the_story_during_the_embargo(self):
        for output in OUTPUTS:
            with self.subTest(output=output.name):
                response = self.client.get(output.url(self))
                self.assertEqual(response.status_code, 200)
                self.assertNotContains(response, MARKER)
                self.assertNotContains(response, self.story.url)

    def test_every_output_shows_the_story_once_the_embargo_ends_without_anyone_acting(self):
        self.lift_embargo()
        self.assertContains(self.client.get(self.story.url), MARKER)
        for output in OUTPUTS:
            with self.subTest(output=output.name):
                self.assertContains(self.client.get(output.url(self)), MARKER)
