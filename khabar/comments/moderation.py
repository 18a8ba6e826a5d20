"""Everything that changes a comment's state goes through here, so counts, cache purges,
the audit trail and notifications stay in step whoever acts (reader, moderator, command)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from khabar.comments.models import (
    BannedCommenter,
    Comment,
    CommentReport,
    CommentSettings,
    CommentStats,
    ModerationDecision,
    Status,
)
from khabar.core import fragments
from khabar.core.purge import page_changed

Action = ModerationDecision.Action
STATUS_FOR = {Action.APPROVE: Status.APPROVED, Action.REJECT: Status.REJECTED, Action.SPAM: Status.SPAM}


def refresh_count(article_id: int) -> int:
    """Recount an article's approved comments into CommentStats (one indexed count, one upsert)."""
    approved = Comment.objects.filter(article_id=article_id, status=Status.APPROVED).count()
    CommentStats.objects.update_or_create(article_id=article_id, defaults={"approved": approved})
    return approved


def _readers_view_changed(article_ids: Iterable[int]) -> None:
    """Recount now (inside the transaction, so counts and comments agree); purge once it is committed."""
    from khabar.news.models import ArticlePage

    ids = set(article_ids)
    for article_id in ids:
        refresh_count(article_id)

    def purge() -> None:
        for article_id in ids:
            fragments.new_version(f"comments:{article_id}")
        for article in ArticlePage.objects.filter(pk__in=ids):
            page_changed(article)

    transaction.on_commit(purge)


def after_create(comment: Comment, config: CommentSettings | None = None) -> None:
    """Side effects of a new comment: counts and purge when it shows at once; notices and alerts.

    A held, rejected or spam comment changes nothing readers see: no recount, no purge."""
    from khabar.comments import tasks

    if comment.status == Status.APPROVED:
        _readers_view_changed([comment.article_id])
        _notify_parent(comment)
    elif comment.status == Status.PENDING:
        threshold = (config or CommentSettings.load()).queue_alert_threshold
        if threshold and _queue_length(up_to=threshold + 1) == threshold:
            # Exactly at the threshold, so moderators get one alert per crossing, not one per comment.
            transaction.on_commit(lambda: tasks.alert_moderators.enqueue(threshold))


def _queue_length(up_to: int) -> int:
    """Comments waiting for a moderator, counted no further than ``up_to`` (a long queue costs no
    more than a short one). SQL, not the ORM: it runs on every held post, where building the query
    cost more than the indexed count itself."""
    table = Comment._meta.db_table  # the table name comes from the model; the values are parameters
    sql = f"SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE status = %s LIMIT %s) waiting"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [Status.PENDING, up_to])
        return cursor.fetchone()[0]


def _notify_parent(comment: Comment) -> None:
    from khabar.comments import tasks

    parent = comment.parent
    if parent and parent.notify_replies and parent.email.casefold() != comment.email.casefold():
        transaction.on_commit(lambda: tasks.send_reply_notice.enqueue(comment.pk))


@transaction.atomic
def decide(comments: Iterable[Comment], action: str, user=None, reason: str = "") -> int:
    """Approve, reject, spam, feature or unfeature comments; record each decision; purge their articles."""
    now = timezone.now()
    changed = []
    for comment in comments:
        was_approved = comment.status == Status.APPROVED
        if action in STATUS_FOR:
            comment.status = STATUS_FOR[action]
            comment.is_reported = False
            comment.decided_at = now
            comment.rejection_reason = reason if action == Action.REJECT else ""
            if action == Action.APPROVE and comment.report_count:
                # Cleared by a moderator: it takes N new reports to send it back again.
                comment.reports.all().delete()
                comment.report_count = 0
            if action == Action.APPROVE and not was_approved:
                _notify_parent(comment)
        elif action == Action.FEATURE:
            comment.is_featured = True
        elif action == Action.UNFEATURE:
            comment.is_featured = False
        else:
            raise ValueError(f"Unknown moderation action {action!r}")
        comment.save()
        ModerationDecision.objects.create(
            comment=comment, comment_ref=comment.pk, action=action, reason=reason, user=user
        )
        changed.append(comment.article_id)
    _readers_view_changed(changed)
    return len(changed)


@transaction.atomic
def ban(email: str, reason: str, user=None, days: int | None = None, comment: Comment | None = None) -> BannedCommenter:
    """Ban an email (future comments are rejected) and take down its waiting comments as rejected."""
    expires = timezone.now() + timedelta(days=days) if days else None
    banned, _created = BannedCommenter.objects.update_or_create(
        email=email.casefold(), defaults={"reason": reason, "expires_at": expires, "banned_by": user}
    )
    ref = comment.pk if comment else 0
    ModerationDecision.objects.create(comment=comment, comment_ref=ref, action=Action.BAN, reason=reason, user=user)
    waiting = list(Comment.objects.for_email(email).filter(status=Status.PENDING))
    if waiting:
        decide(waiting, Action.REJECT, user=user, reason=reason)
    return banned


def lift_ban(banned: BannedCommenter, user=None) -> None:
    ModerationDecision.objects.create(comment=None, comment_ref=0, action=Action.UNBAN, reason=banned.email, user=user)
    banned.delete()


def report(comment: Comment, reason: str, note: str, ip_hash: str) -> bool:
    """Record a reader's report; the Nth report sends an approved comment back to review. False if already reported."""
    with transaction.atomic():
        _report, created = CommentReport.objects.get_or_create(
            comment=comment, ip_hash=ip_hash, defaults={"reason": reason, "note": note}
        )
        if not created:
            return False
        count = CommentReport.objects.filter(comment=comment).count()
        Comment.objects.filter(pk=comment.pk).update(report_count=count)
        threshold = CommentSettings.load().report_threshold
        if comment.status == Status.APPROVED and threshold and count >= threshold:
            Comment.objects.filter(pk=comment.pk).update(status=Status.PENDING, is_reported=True)
            ModerationDecision.objects.create(
                comment=comment, comment_ref=comment.pk, action=Action.REPORTED, reason=reason
            )
            _readers_view_changed([comment.article_id])
    return True


@transaction.atomic
def erase(comments: Iterable[Comment], reason: str) -> int:
    """Delete comments at their author's request, keeping an audit line without personal data."""
    comments = list(comments)
    for comment in comments:
        ModerationDecision.objects.create(comment=None, comment_ref=comment.pk, action=Action.DELETE, reason=reason)
    ids = {c.article_id for c in comments}
    Comment.objects.filter(pk__in=[c.pk for c in comments]).delete()
    _readers_view_changed(ids)
    return len(comments)
