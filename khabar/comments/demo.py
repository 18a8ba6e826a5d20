"""Bulk demo comments for `khabar demo --comments M` (the lead's demo command discovers this module).

Rows are built as plain tuples and written with the database driver's executemany in batches, one
transaction each: no model instances, no per-row SQL compilation, no signals, no rules (bulk_create
spends most of its time compiling SQL). A million comments take minutes; counts are rebuilt at the end.
"""

from __future__ import annotations

import random
import time
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from khabar.comments.models import Comment, CommentStats, Status

BATCH = 5000
NAMES = [
    "Ali",
    "Sara",
    "Omar",
    "Layla",
    "Hussein",
    "Noor",
    "Zainab",
    "Karim",
    "علي",
    "سارة",
    "عمر",
    "ليلى",
    "حسين",
    "نور",
]
BODIES = [
    "Thank you for this report. The water shortage in our district is real.",
    "I disagree with the minister; the budget ignores the south.",
    "Good reporting. Please follow up on the electricity situation.",
    "شكراً على هذا التقرير المهم.",
    "أتمنى أن تتابعوا موضوع الكهرباء في البصرة.",
    "الميزانية لا تكفي للمحافظات الجنوبية.",
]


def add_arguments(parser) -> None:
    parser.add_argument(
        "--comments",
        type=int,
        default=0,
        metavar="M",
        help="Add M approved demo comments spread over published articles.",
    )


def run(options: dict, stdout) -> int:
    wanted = int(options.get("comments") or 0)
    if wanted <= 0:
        return 0
    from khabar.news.models import ArticlePage

    articles = list(ArticlePage.objects.published().values_list("pk", "first_published_at"))
    if not articles:
        stdout.write("No published articles: no demo comments added.\n")
        return 0
    started = time.monotonic()
    rng = random.Random(2026)  # the same demo every time
    now = timezone.now()
    made = 0
    sql = _insert_sql()
    while made < wanted:
        size = min(BATCH, wanted - made)
        rows = [_row(rng, articles, now, made + i) for i in range(size)]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        made += size
    rebuild_counts([pk for pk, _when in articles])
    stdout.write(f"Added {made} demo comments over {len(articles)} articles in {time.monotonic() - started:.1f} s.\n")
    return made


COLUMNS = [
    "article_id", "name", "email", "body", "status", "is_featured", "is_reported", "notify_replies",
    "rules", "rejection_reason", "report_count", "ip_hash", "body_hash", "created_at",
]  # fmt: skip


def _insert_sql() -> str:
    table = connection.ops.quote_name(Comment._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in COLUMNS)
    return f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(COLUMNS))})"  # noqa: S608 (fixed names)


def _row(rng: random.Random, articles, now, n: int) -> tuple:
    article_id, published = articles[rng.randrange(len(articles))]
    start = published or now - timedelta(days=30)
    span = max(int((now - start).total_seconds()), 1)
    created = connection.ops.adapt_datetimefield_value(start + timedelta(seconds=rng.randrange(span)))
    name, body = rng.choice(NAMES), rng.choice(BODIES)
    email = f"reader{n % 50000}@demo.invalid"
    return (article_id, name, email, body, Status.APPROVED.value, False, False, False, "[]", "", 0, "", "", created)


def rebuild_counts(article_ids: list[int]) -> None:
    """Recount approved comments for the given articles in one grouped query and one upsert."""
    found = dict(
        Comment.objects.filter(article_id__in=article_ids, status=Status.APPROVED)
        .values("article_id")
        .annotate(n=Count("pk"))
        .values_list("article_id", "n")
    )
    CommentStats.objects.bulk_create(
        [CommentStats(article_id=pk, approved=found.get(pk, 0)) for pk in article_ids],
        update_conflicts=True,
        unique_fields=["article"],
        update_fields=["approved"],
        batch_size=1000,
    )
