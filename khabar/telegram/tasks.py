"""The worker's side of Telegram (``django.tasks``): posting, editing and deleting, never in a request
that has to wait for Telegram when a task queue is configured."""

from __future__ import annotations

from django.tasks import task


@task
def sync_article(article_id: int, fresh: bool = False) -> None:
    """Post, edit or delete the article's posts so the channel shows what readers may see."""
    from khabar.telegram import posting

    posting.sync(article_id, fresh=fresh)


@task
def delete_posts(post_ids: list[int]) -> None:
    """Delete these posts from their channels (their article was deleted)."""
    from khabar.telegram import client, posting
    from khabar.telegram.models import TelegramPost

    if client.configured():
        posting.take_down(TelegramPost.objects.filter(pk__in=post_ids))
