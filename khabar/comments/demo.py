"""Bulk demo comments for `khabar demo --comments M` (the lead's demo command discovers this module).

Rows are built in memory and written with bulk_create in batches inside one transaction each, so a
million comments take minutes: no per-row save(), no signals, no rules; counts are rebuilt at the end.
"""

from __future__ import annotations

import random
import time
from datetime import timedelta

from django.db import transaction
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
    while made < wanted:
        size = min(BATCH, wanted - made)
        rows = [_row(rng, articles, now, made + i) for i in range(size)]
        with transaction.atomic():
            Comment.objects.bulk_create(rows, batch_size=1000)
        made += size
    rebuild_counts([pk for pk, _when in articles])
    stdout.write(f"Added {made} demo comments over {len(articles)} articles in {time.monotonic() - started:.1f} s.\n")
    return made


def _row(rng: random.Random, articles, now, n: int) -> Comment:
    article_id, published = articles[rng.randrange(len(articles))]
    start = published or now - timedelta(days=30)
    span = max(int((now - start).total_seconds()), 1)
    return Comment(
        article_id=article_id,
        name=rng.choice(NAMES),
        email=f"reader{n % 50000}@demo.invalid",
        body=rng.choice(BODIES),
        status=Status.APPROVED,
        created_at=start + timedelta(seconds=rng.randrange(span)),
    )


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
