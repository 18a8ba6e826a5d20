"""The periodic job (settings.KHABAR_PERIODIC_JOBS): counters from the cache into the database.

One INSERT … ON CONFLICT per (article, hour) touched since the last run, whatever the traffic; then
hourly rows older than KHABAR_MOSTREAD_HOURLY_RETENTION_DAYS are summed per day and deleted.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from khabar.news.models import ArticlePage

from . import counters
from .models import ArticleViewsDay, ArticleViewsHour

JOB_PATH = "khabar.mostread.jobs.flush_views"
log = logging.getLogger("khabar.mostread")


def flush_views() -> None:
    now = timezone.now()
    pending = counters.take_pending(now)
    if pending:
        try:
            written = _write(pending)
        except Exception:
            counters.give_back(pending)
            raise
        log.info("Most read: %s views of %s articles flushed", written, len({p.article_id for p in pending}))
    roll_up(now)


def _upsert(table: str, period: str, rows: list[tuple]) -> None:
    """Add to a period's count, creating the row when missing (same SQL on SQLite and PostgreSQL)."""
    sql = (
        f"INSERT INTO {table} (article_id, {period}, views) VALUES (%s, %s, %s) "  # noqa: S608 (our own names)
        f"ON CONFLICT (article_id, {period}) DO UPDATE SET views = {table}.views + excluded.views"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


@transaction.atomic
def _write(pending: list[counters.Pending]) -> int:
    # Only articles readers may see now: one that was unpublished or embargoed since its views were
    # counted keeps none of them.
    published = set(
        ArticlePage.objects.published().filter(pk__in={p.article_id for p in pending}).values_list("pk", flat=True)
    )
    totals: dict[tuple, int] = defaultdict(int)
    for item in pending:
        if item.article_id in published:
            totals[(item.article_id, item.hour)] += item.views
    adapt = connection.ops.adapt_datetimefield_value
    rows = [(article_id, adapt(hour), views) for (article_id, hour), views in totals.items()]
    _upsert(ArticleViewsHour._meta.db_table, "hour", rows)
    return sum(totals.values())


@transaction.atomic
def roll_up(now) -> int:
    """Sum hourly rows older than the retention per (article, day) and drop them."""
    cutoff = now - timedelta(days=settings.KHABAR_MOSTREAD_HOURLY_RETENTION_DAYS)
    old = ArticleViewsHour.objects.filter(hour__lt=cutoff)
    days = (
        old.annotate(day=TruncDate("hour", tzinfo=timezone.get_fixed_timezone(0)))
        .values("article_id", "day")
        .annotate(total=Sum("views"))
        .order_by()
    )
    adapt = connection.ops.adapt_datefield_value
    rows = [(row["article_id"], adapt(row["day"]), row["total"]) for row in days]
    if rows:
        _upsert(ArticleViewsDay._meta.db_table, "day", rows)
        old.delete()
    return len(rows)
