"""Running a search: normalised query words → SQL for SQLite FTS5 or PostgreSQL full-text search.

The reader's text never reaches the engine: it is reduced to normalised terms
(letters and digits only) and each term is quoted, so FTS5 operators (", *,
NEAR, AND, OR, -, ^, :) and tsquery operators (&, |, !, <->, :*) typed by a
reader are plain words or separators. Results are what
``ArticlePage.objects.published()`` allows, in one edition (locale), ranked by
relevance (headline terms weigh more), then newest first.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models.expressions import RawSQL

from khabar.news.models import ArticlePage

Groups = list[tuple[str, ...]]  # per query word, the terms any of which may match


def fts5_expression(groups: Groups) -> str:
    """``("برلمان" OR "البرلمان") AND ("vote")``: every word required, each term a quoted string."""

    def quote(term: str) -> str:
        return '"' + term.replace('"', '""') + '"'

    return " AND ".join("(" + " OR ".join(quote(term) for term in group) + ")" for group in groups)


def tsquery_expression(groups: Groups) -> str:
    """``('برلمان' | 'البرلمان') & ('vote')`` for to_tsquery('simple', …)."""

    def quote(term: str) -> str:
        return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"

    return " & ".join("(" + " | ".join(quote(term) for term in group) + ")" for group in groups)


@dataclass
class Hit:
    page_id: int
    title: str  # the indexed (original) headline and text, for highlighting
    text: str
    page: ArticlePage | None = None


class SearchResults:
    """A lazily counted, lazily sliced result list that Django's Paginator can page through.

    Each slice is one bounded query (LIMIT/OFFSET); ``count()`` is one more.
    """

    def __init__(self, groups: Groups, locale_id: int) -> None:
        self.groups = groups
        self.locale_id = locale_id
        self._count: int | None = None
        # Compiled once (published() reads the view restrictions when it is built), and
        # correlated with the entry so the database checks only the matching rows, by primary key,
        # instead of listing every published article first.
        published = ArticlePage.objects.published().filter(pk=RawSQL("e.page_id", ())).values("pk")
        self._published_sql, self._published_params = published.query.sql_with_params()

    def _match(self) -> tuple[str, str, list, str, list]:
        """FROM clause, WHERE clause and their params, ORDER BY clause and its params."""
        if connection.vendor == "sqlite":
            expression = fts5_expression(self.groups)
            # CROSS JOIN keeps the full-text match as the outer loop: left to itself SQLite's planner
            # walks every entry of the edition and probes FTS5 for each (70 ms at 3,000 articles).
            from_sql = (
                "search_entry_fts CROSS JOIN search_searchentry e ON e.id = search_entry_fts.rowid "
                "CROSS JOIN wagtailcore_page p ON p.id = e.page_id"
            )
            where = "search_entry_fts MATCH %s"
            # bm25: lower is better; the headline column weighs four times the body. Scores are
            # rounded so that stories a reader would find equally relevant go newest first
            # (bm25 moves by hundredths with the mere length of a story).
            order = "ROUND(bm25(search_entry_fts, 4.0, 1.0), 1), p.first_published_at DESC, e.page_id DESC"
            return from_sql, where, [expression], order, []
        if connection.vendor == "postgresql":
            expression = tsquery_expression(self.groups)
            from_sql = "search_searchentry e JOIN wagtailcore_page p ON p.id = e.page_id"
            where = "e.search_vector @@ to_tsquery('simple', %s)"
            order = (
                "ROUND(ts_rank(e.search_vector, to_tsquery('simple', %s))::numeric, 2) DESC, "
                "p.first_published_at DESC, e.page_id DESC"
            )
            return from_sql, where, [expression], order, [expression]
        raise NotImplementedError(f"Khabar search supports SQLite and PostgreSQL, not {connection.vendor}")

    def _filtered(self, select: str) -> tuple[str, list]:
        from_sql, where, where_params, _order, _order_params = self._match()
        sql = (
            f"SELECT {select} FROM {from_sql} WHERE {where} AND e.locale_id = %s "  # noqa: S608 (no reader text in SQL)
            f"AND EXISTS ({self._published_sql})"
        )
        return sql, [*where_params, self.locale_id, *self._published_params]

    def count(self) -> int:
        if self._count is None:
            sql, params = self._filtered("COUNT(*)")
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                self._count = cursor.fetchone()[0]
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Hit]:
        if not isinstance(window, slice) or window.step is not None:
            raise TypeError("SearchResults only supports simple slices")
        offset = window.start or 0
        limit = max((window.stop if window.stop is not None else offset + 100) - offset, 0)
        if limit == 0:
            return []
        sql, params = self._filtered("e.page_id, e.title, e.text")
        *_ignored, order, order_params = self._match()
        sql = f"{sql} ORDER BY {order} LIMIT %s OFFSET %s"
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *order_params, limit, offset])
            return [Hit(page_id, title, text) for page_id, title, text in cursor.fetchall()]
