"""What was most read: the one place that reads the counts for readers (and for the newsletter digest)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Sum

from khabar.news.models import ArticlePage, SectionPage

from .models import ArticleViewsHour


def ranked_ids(language: str, since: datetime, limit: int, section: SectionPage | None = None) -> list[int]:
    """Ids of the most viewed published articles of an edition (or a section) since ``since``: one query."""
    articles = ArticlePage.objects.published().filter(locale__language_code=language)
    if section is not None:
        articles = articles.child_of(section)
    rows = (
        ArticleViewsHour.objects.filter(hour__gte=since, article__in=articles.values("pk"))
        .values("article_id")
        .annotate(total=Sum("views"))
        .order_by("-total", "-article_id")[:limit]
    )
    return [row["article_id"] for row in rows]


def most_read(locale: str, since: datetime, limit: int, *, section: SectionPage | None = None) -> list[ArticlePage]:
    """The most read published articles of the edition ``locale`` (a language code, or a Locale) since
    ``since``, most read first: two queries whatever ``limit``."""
    language = getattr(locale, "language_code", locale)
    ids = ranked_ids(language, since, limit, section)
    if not ids:
        return []
    found = ArticlePage.objects.published().filter(pk__in=ids).defer_streamfields().in_bulk()
    return [found[pk] for pk in ids if pk in found]
