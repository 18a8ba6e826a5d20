"""Keeping the search index in step with what is published.

``index_article`` writes one entry (called when an article is published or its
visible content changes); ``remove_article`` drops it (unpublished); deleting
the article deletes its entry by cascade. ``reindex_all`` rebuilds everything
(``khabar reindex_search``). Entries of live but embargoed or restricted
articles are kept on purpose: the query filters through ``published()``, so
the story becomes findable the moment its embargo passes, with no job to run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, QuerySet

from khabar.lib import arabic
from khabar.news.models import ArticleByline, ArticlePage
from khabar.search.models import SearchEntry

MAX_TEXT_CHARS = 100_000  # longer bodies are indexed up to here (a very long story is still found by its start)
BULK_CHUNK = 200


def terms(text: str, language: str | None = None) -> str:
    """The normalised terms of ``text`` under the rules of ``language`` (the article's edition)."""
    return " ".join(arabic.index_terms(text, ta_marbuta=settings.KHABAR_SEARCH_TA_MARBUTA, language=language))


def article_text(page: ArticlePage) -> str:
    """What a snippet is cut from: the standfirst and the body as plain text."""
    body_field = ArticlePage._meta.get_field("body")
    body = body_field.get_searchable_content(page.body)
    return "\n".join(part for part in [page.standfirst, *body] if part)[:MAX_TEXT_CHARS]


def _extra_text(page: ArticlePage) -> str:
    """Found by search but not shown in snippets: dateline, writers' names, topics."""
    names = [byline.author.title for byline in page.bylines.all()]
    topics = [tagged.tag.name for tagged in page.tagged_topics.all()]
    return " ".join([page.dateline, *names, *topics])


def build_entry(page: ArticlePage) -> SearchEntry:
    text = article_text(page)
    # The query side uses the reader's edition, which is this locale (search never crosses editions).
    language = page.locale.language_code
    return SearchEntry(
        page_id=page.pk,
        locale_id=page.locale_id,
        title=page.title[:255],
        text=text,
        title_terms=terms(page.title, language),
        body_terms=terms(f"{text}\n{_extra_text(page)}", language),
    )


def index_article(page: ArticlePage) -> SearchEntry | None:
    """Write (or rewrite) the entry of one article; drop it if the article is not live."""
    if not page.live:
        remove_article(page)
        return None
    entry = build_entry(page)
    fields = ["locale_id", "title", "text", "title_terms", "body_terms"]
    with transaction.atomic():
        SearchEntry.objects.update_or_create(page_id=page.pk, defaults={f: getattr(entry, f) for f in fields})
    return entry


def remove_article(page: ArticlePage) -> None:
    with transaction.atomic():
        SearchEntry.objects.filter(page_id=page.pk).delete()


def articles_to_index() -> QuerySet[ArticlePage]:
    """Every live article (embargoed ones too, see the module docstring), with what the entry reads."""
    return (
        ArticlePage.objects.live()
        .select_related("locale")
        .prefetch_related(
            Prefetch("bylines", queryset=ArticleByline.objects.select_related("author")),
            "tagged_topics__tag",
        )
        .order_by("pk")
    )


def _chunks(queryset: QuerySet[ArticlePage], size: int) -> Iterable[list[ArticlePage]]:
    # Keyset over the primary key: bounded memory whatever the number of articles.
    last_pk = 0
    while True:
        chunk = list(queryset.filter(pk__gt=last_pk)[:size])
        if not chunk:
            return
        yield chunk
        last_pk = chunk[-1].pk


def index_missing(progress: Callable[[int], None] | None = None) -> int:
    """Index live articles that have no entry yet (after a bulk import); returns how many."""
    written = 0
    for chunk in _chunks(articles_to_index().filter(search_entry__isnull=True), BULK_CHUNK):
        with transaction.atomic():
            SearchEntry.objects.bulk_create([build_entry(page) for page in chunk])
        written += len(chunk)
        if progress:
            progress(len(chunk))
    return written


def reindex_all(progress: Callable[[int], None] | None = None) -> int:
    """Rebuild the whole index in one transaction; returns the number of entries written."""
    written = 0
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        for chunk in _chunks(articles_to_index(), BULK_CHUNK):
            SearchEntry.objects.bulk_create([build_entry(page) for page in chunk])
            written += len(chunk)
            if progress:
                progress(len(chunk))
    return written
