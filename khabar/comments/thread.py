"""What readers see of an article's comments, in a fixed number of queries however many there are.

Top-level approved comments are paged by keyset on (created_at, id): page N costs the same as page 1,
with no OFFSET scan. Replies (one level deep) for the comments on a page come in one more query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db.models import Prefetch, Q

from khabar.comments.models import Comment, CommentStats, Status
from khabar.core import fragments

PAGE_SIZE = 20
FEATURED_LIMIT = 5
ORDERS = ("newest", "oldest")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class BadCursor(ValueError):
    pass


def make_cursor(comment: Comment) -> str:
    # Integer microseconds since the epoch: a float timestamp could round a microsecond off.
    micros = (comment.created_at - EPOCH) // timedelta(microseconds=1)
    return f"{micros}-{comment.pk}"


def parse_cursor(value: str) -> tuple[datetime, int]:
    try:
        micros, pk = value.split("-", 1)
        when = EPOCH + timedelta(microseconds=int(micros))
        return when, int(pk)
    except (ValueError, OverflowError, OSError) as error:
        raise BadCursor(value) from error


@dataclass
class ThreadPage:
    comments: list[Comment]
    featured: list[Comment] = field(default_factory=list)
    next_cursor: str = ""
    order: str = "newest"


def _replies(article_id: int):
    # Naming the article lets the database use the (article, status, parent, …) index; with the
    # parent ids alone it may walk every approved comment in date order instead.
    return Prefetch(
        "replies",
        queryset=Comment.objects.filter(article_id=article_id, status=Status.APPROVED).order_by("created_at", "id"),
        to_attr="approved_replies",
    )


def _base(article_id: int):
    return (
        Comment.objects.filter(article_id=article_id, status=Status.APPROVED, parent__isnull=True)
        .only("id", "article_id", "name", "body", "created_at", "is_featured", "staff_author_id", "parent_id")
        .prefetch_related(_replies(article_id))
    )


def thread_page(article_id: int, order: str = "newest", after: str = "", size: int = PAGE_SIZE) -> ThreadPage:
    """One page of top-level comments (featured first on the first page), each with its approved replies."""
    if order not in ORDERS:
        order = "newest"
    comments = _base(article_id).filter(is_featured=False)
    if order == "newest":
        comments = comments.order_by("-created_at", "-id")
    else:
        comments = comments.order_by("created_at", "id")
    featured: list[Comment] = []
    if after:
        when, pk = parse_cursor(after)
        if order == "newest":
            comments = comments.filter(Q(created_at__lt=when) | Q(created_at=when, id__lt=pk))
        else:
            comments = comments.filter(Q(created_at__gt=when) | Q(created_at=when, id__gt=pk))
    else:
        featured = list(_base(article_id).filter(is_featured=True).order_by("-created_at", "-id")[:FEATURED_LIMIT])
    rows = list(comments[: size + 1])
    next_cursor = make_cursor(rows[size - 1]) if len(rows) > size else ""
    return ThreadPage(comments=rows[:size], featured=featured, next_cursor=next_cursor, order=order)


def comments_version(article_id: int) -> str:
    """Changes whenever what readers see of the article's comments changes (moderation.py renews it)."""
    return fragments.version(f"comments:{article_id}")


def counts_for(article_ids) -> dict[int, int]:
    """Approved-comment counts for many articles in one query (from the denormalised CommentStats)."""
    ids = {int(pk) for pk in article_ids}
    if not ids:
        return {}
    found = dict(CommentStats.objects.filter(article_id__in=ids).values_list("article_id", "approved"))
    return {pk: found.get(pk, 0) for pk in ids}
