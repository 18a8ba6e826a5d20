"""The listing: what home, section, author and topic pages read, newest first.

Ordering a section's stories by date through the page tree makes the database sort every story
of the section (or the edition) for each page of a listing, so listings slowed down ×3–×9 from
1,000 to 100,000 articles. ``ListingEntry`` keeps one narrow row per live article, indexed by
(section, newest) and (edition, newest): a page of a listing is a short index range, and the
article rows are then fetched by primary key.

``refresh()`` is the one writer; the signal handlers in news/signal_handlers.py call it on every
save, publish, unpublish and move (deletion cascades). Code that changes articles with
``QuerySet.update()`` (the demo loader's back-dating, bulk inserts) calls it itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from wagtail.models import Page

from khabar.news.models import ArticlePage, ArticleTopic, ListingEntry, restricted_paths


def refresh(article_ids: Iterable[int]) -> None:
    """Make the rows of these articles say what the articles say now (a row only while live)."""
    ids = list(article_ids)
    if not ids:
        return
    live = (
        ArticlePage.objects.filter(pk__in=ids, live=True, depth__gte=4)
        .exclude(first_published_at__isnull=True)
        .values_list("pk", "path", "first_published_at", "embargo_until")
    )
    live = list(live)
    wanted = {path[:8] for _pk, path, *_ in live} | {path[:-4] for _pk, path, *_ in live}
    page_ids = dict(Page.objects.filter(path__in=wanted).values_list("path", "pk"))  # editions and sections
    rows = [
        ListingEntry(
            article_id=pk,
            path=path,
            published_at=published_at,
            embargo_until=embargo_until,
            home_id=page_ids.get(path[:8]),  # the edition home is at depth 2 (4 characters a level)
            section_id=page_ids.get(path[:-4]),
        )
        for pk, path, published_at, embargo_until in live
    ]
    with transaction.atomic():
        ListingEntry.objects.filter(article_id__in=ids).delete()
        ListingEntry.objects.bulk_create([row for row in rows if row.home_id and row.section_id])


def rebuild() -> int:
    """Rebuild every row from the articles (after a restore, or to repair); returns the row count."""
    ids = list(ArticlePage.objects.values_list("pk", flat=True))
    ListingEntry.objects.all().delete()
    for start in range(0, len(ids), 1000):
        refresh(ids[start : start + 1000])
    return ListingEntry.objects.count()


def visible(entries: QuerySet | None = None) -> QuerySet:
    """Rows readers may see now: the same rule as ``ArticlePage.objects.published()``."""
    entries = ListingEntry.objects.all() if entries is None else entries
    entries = entries.filter(Q(embargo_until__isnull=True) | Q(embargo_until__lte=timezone.now()))
    for restricted in restricted_paths():
        entries = entries.exclude(path__startswith=restricted)
    return entries.order_by("-published_at", "-article_id")


def for_section(section) -> Listing:
    return Listing(visible(ListingEntry.objects.filter(section_id=section.pk)))


def for_edition(home) -> Listing:
    return Listing(visible(ListingEntry.objects.filter(home_id=home.pk)))


def for_author(author) -> Listing:
    written = author.bylines.values("page_id")
    return Listing(visible(ListingEntry.objects.filter(article_id__in=written)))


def for_topic(home, slug: str) -> Listing:
    tagged = ArticleTopic.objects.filter(tag__slug=slug).values("content_object_id")
    return Listing(visible(ListingEntry.objects.filter(home_id=home.pk, article_id__in=tagged)))


class Listing:
    """A list of listing cards that a Paginator can page: counts and slices read the index only,
    and only the articles of the slice are loaded (``ArticlePage.for_listing``, a fixed number of
    queries)."""

    def __init__(self, entries: QuerySet, *, bylines: bool = True):
        self.entries = entries
        self.bylines = bylines

    def count(self) -> int:
        return self.entries.count()

    def __len__(self) -> int:
        return self.count()

    def excluding(self, article_ids: Iterable[int]) -> Listing:
        return Listing(self.entries.exclude(article_id__in=list(article_ids)), bylines=self.bylines)

    def __getitem__(self, key):
        if isinstance(key, int):
            items = self[key : key + 1]
            if not items:
                raise IndexError(key)
            return items[0]
        ids = list(self.entries.values_list("article_id", flat=True)[key])
        if not ids:
            return []
        pages = ArticlePage.for_listing(ArticlePage.objects.filter(pk__in=ids), bylines=self.bylines)
        by_id = {page.pk: page for page in pages}
        return [by_id[pk] for pk in ids if pk in by_id]

    def first(self):
        items = self[:1]
        return items[0] if items else None

    def ids(self) -> list[int]:
        return list(self.entries.values_list("article_id", flat=True))
