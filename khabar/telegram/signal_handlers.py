"""When readers' view of a story changes, the worker brings its Telegram posts in line (tasks.py).

Nothing is queued (and nothing is queried) without a bot token, and nothing is queued on publish
without an active channel, so a newsroom without Telegram pays nothing."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from khabar.news.models import ArticlePage
from khabar.news.published import embargo_ended
from khabar.telegram import client


def _queue_sync(article_ids, *, fresh: bool) -> None:
    from khabar.telegram.tasks import sync_article

    for article_id in sorted(set(article_ids)):
        transaction.on_commit(lambda pk=article_id: sync_article.enqueue(pk, fresh))


def _posted_under(path: str) -> list[int]:
    """Articles at or under ``path`` that have posts (a moved section or a restriction covers many)."""
    from khabar.telegram.models import TelegramPost

    return list(
        TelegramPost.objects.filter(article__path__startswith=path).values_list("article_id", flat=True).distinct()
    )


def on_published(sender, instance, **kwargs) -> None:
    from khabar.telegram.models import TelegramChannel

    if client.configured() and TelegramChannel.objects.filter(is_active=True).exists():
        _queue_sync([instance.pk], fresh=True)


def on_embargo_ended(sender, article, **kwargs) -> None:
    on_published(sender, article)


def on_unpublished(sender, instance, **kwargs) -> None:
    if client.configured():
        _queue_sync(_posted_under(instance.path), fresh=False)


def on_moved(sender, instance, **kwargs) -> None:
    """A story (or a section of stories) moved: into a private part of the site, or to a new address."""
    if client.configured():
        path = type(instance).objects.filter(pk=instance.pk).values_list("path", flat=True).first() or instance.path
        _queue_sync(_posted_under(path), fresh=False)


def on_restriction_changed(sender, instance, **kwargs) -> None:
    from wagtail.models import Page

    if not client.configured():
        return
    path = Page.objects.filter(pk=instance.page_id).values_list("path", flat=True).first()
    if path:  # none: the page itself was deleted (on_article_deleted saw to its posts)
        _queue_sync(_posted_under(path), fresh=False)


def on_article_deleted(sender, instance, **kwargs) -> None:
    """Before the row goes (its posts then forget the article): delete the posts once the deletion is committed."""
    from khabar.telegram.models import PostState, TelegramPost
    from khabar.telegram.tasks import delete_posts

    if not client.configured():
        return
    post_ids = list(
        TelegramPost.objects.filter(article_id=instance.pk)
        .exclude(state=PostState.DELETED)
        .values_list("pk", flat=True)
    )
    if post_ids:
        transaction.on_commit(lambda: delete_posts.enqueue(post_ids))


def connect() -> None:
    page_published.connect(on_published, sender=ArticlePage, dispatch_uid="telegram-publish")
    embargo_ended.connect(on_embargo_ended, dispatch_uid="telegram-embargo-ended")
    page_unpublished.connect(on_unpublished, sender=ArticlePage, dispatch_uid="telegram-unpublish")
    post_page_move.connect(on_moved, dispatch_uid="telegram-move")
    pre_delete.connect(on_article_deleted, sender=ArticlePage, dispatch_uid="telegram-delete")
    post_save.connect(on_restriction_changed, sender=PageViewRestriction, dispatch_uid="telegram-restrict")
    post_delete.connect(on_restriction_changed, sender=PageViewRestriction, dispatch_uid="telegram-unrestrict")
