"""JSON-LD dates: an article never says it changed before it was first published, whatever the data."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from khabar.news.models import ArticlePage, Correction
from khabar.seo.metadata import date_modified

moments = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC))


class DateModifiedTests(TestCase):  # a Page asks for its content type (once, then cached)
    @settings(max_examples=200, deadline=None)
    @given(published=moments, updated=st.none() | moments, notes=st.lists(moments, max_size=4))
    def test_it_never_dates_a_change_before_first_publication(self, published, updated, notes):
        article = ArticlePage(title="Budget vote", first_published_at=published, updated_at=updated)
        article.corrections = [Correction(kind=Correction.CORRECTION, noted_at=when, text="x") for when in notes]
        modified = date_modified(article, published)
        self.assertGreaterEqual(modified, published)
        # And it is the latest real change when there is one after publication.
        self.assertEqual(modified, max([published, *([updated] if updated else []), *notes]))

    def test_a_correction_dated_before_publication_leaves_the_publication_date(self):
        published = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
        article = ArticlePage(title="Budget vote", first_published_at=published)
        article.corrections = [Correction(kind=Correction.CORRECTION, noted_at=datetime(2026, 3, 1, tzinfo=UTC))]
        self.assertEqual(date_modified(article, published), published)
