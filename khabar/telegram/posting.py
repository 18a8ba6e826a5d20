"""Keeping an article's Telegram posts in line with what readers may see.

``sync(article_id)`` is the one entry point for a story that may have changed: visible (in
``ArticlePage.objects.published()``, under a section with a channel) means posted, with the current
headline and standfirst, and a reply for each correction since; anything else means deleted.

Sent once: a message is sent only by the worker that moved its ``TelegramPost`` row to "sending"
in a locked transaction (``_claim``). A second worker finds it "sending" or "sent" and sends
nothing. A row left "sending" by a worker that died is never sent again by itself: Telegram has no
way to ask whether a message arrived, so it is marked failed with a reason an editor can check.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.tasks import default_task_backend
from django.utils import timezone
from wagtail.models import Page

from khabar.news.models import ArticlePage, Correction, HomePage, SectionPage
from khabar.telegram import client, messages
from khabar.telegram.client import AnswerLost, ApiError, NotDelivered, Upload
from khabar.telegram.models import PostState, Problem, TelegramChannel, TelegramPost

log = logging.getLogger(__name__)

sleep = time.sleep  # tests replace it to see the waits without waiting
PHOTO = "max-1280x1280|format-jpeg|jpegquality-85"


class RetryLater(Exception):
    def __init__(self, seconds: int):
        super().__init__(seconds)
        self.seconds = seconds


# --- What should be in a channel ------------------------------------------------


def visible_article(article_id: int) -> ArticlePage | None:
    return ArticlePage.objects.published().select_related("locale", "lead_image").filter(pk=article_id).first()


def channel_for(article: ArticlePage) -> TelegramChannel | None:
    """The section's own channel, else its edition's; none for a story outside a section."""
    section = SectionPage.objects.filter(path=article.path[: -Page.steplen]).first()
    if section is None:
        return None
    edition = HomePage.objects.filter(path=section.path[: -Page.steplen]).first()
    channels = TelegramChannel.objects.filter(is_active=True, edition=edition)
    return channels.filter(section=section).first() or channels.filter(section=None).first()


def sync(article_id: int, *, fresh: bool) -> None:
    """``fresh``: a publish or an ended embargo, which may post a story not (or no longer) in its channel;
    a move or a view restriction only edits or deletes what is there."""
    if not client.configured():
        return
    article = visible_article(article_id)
    if article is None:
        take_down(TelegramPost.objects.filter(article_id=article_id))
        return
    channel = channel_for(article)
    chats = set(
        TelegramPost.objects.filter(article_id=article_id, kind=TelegramPost.STORY, state=PostState.SENT).values_list(
            "chat", flat=True
        )
    )
    if channel:
        chats.add(channel.chat)
    for chat in sorted(chats):
        post = ensure_story(article, chat, may_send=fresh)
        if post and post.state == PostState.SENT:
            ensure_corrections(article, post)
    if visible_article(article_id) is None:
        # Unpublished while we were sending: the takedown's own task found the row "sending" and left
        # it, so the sender deletes what it has just posted.
        take_down(TelegramPost.objects.filter(article_id=article_id))


# --- Claiming a row: the once-only guard --------------------------------------------


def _claim(key: str, may_send: bool, **defaults) -> tuple[TelegramPost | None, str | None]:
    """The row for ``key`` and what this worker may do with it: "send", "edit" or nothing."""
    now = timezone.now()
    with transaction.atomic():
        rows = TelegramPost.objects.select_for_update()
        if may_send:
            post, _ = rows.get_or_create(key=key, defaults=defaults)
        else:
            post = rows.filter(key=key).first()
            if post is None:
                return None, None
        if post.state == PostState.SENT:
            return post, "edit"
        if post.state == PostState.SENDING:
            if post.claimed_at and post.claimed_at > now - stale_after():
                return post, None  # another worker is sending it now
            _mark(post, PostState.FAILED, Problem.UNKNOWN, "The worker stopped while sending.")
            return post, None
        if not may_send and post.state != PostState.WAITING:
            return post, None
        post.state, post.claimed_at, post.attempts = PostState.SENDING, now, post.attempts + 1
        post.save(update_fields=["state", "claimed_at", "attempts"])
    return post, "send"


def stale_after() -> timedelta:
    """Longer than any send can take, waits for Telegram's rate limit included."""
    return timedelta(seconds=settings.KHABAR_TELEGRAM_TIMEOUT * 3 + settings.KHABAR_TELEGRAM_MAX_WAIT_SECONDS + 60)


def _mark(post: TelegramPost, state: str, problem: str = "", error: str = "", **fields) -> None:
    post.state, post.problem, post.last_error = state, problem, error[:2000]
    post.claimed_at = None
    for name, value in fields.items():
        setattr(post, name, value)
    post.save(update_fields=["state", "problem", "last_error", "claimed_at", *fields])


# --- Calling Telegram, with bounded retries ---------------------------------------------


def _call(method: str, params: dict, upload=None, *, repeatable: bool) -> dict:
    """``repeatable``: calling twice does no harm (an edit, a delete), so a lost answer is retried too."""
    attempts = settings.KHABAR_TELEGRAM_ATTEMPTS
    for attempt in range(1, attempts + 1):
        try:
            return client.call(method, params, upload)
        except ApiError as error:
            if attempt == attempts or not (error.retry_after is not None or error.code >= 500):
                raise
            wait = error.retry_after if error.retry_after is not None else 2**attempt
            if wait > settings.KHABAR_TELEGRAM_MAX_WAIT_SECONDS:
                raise RetryLater(wait) from error
        except AnswerLost:
            if attempt == attempts or not repeatable:
                raise
            wait = 2**attempt
        except NotDelivered:
            if attempt == attempts:
                raise
            wait = 2**attempt
        sleep(min(wait, settings.KHABAR_TELEGRAM_MAX_WAIT_SECONDS))
    raise AssertionError("unreachable")


def problem_of(error: Exception) -> str:
    if isinstance(error, NotDelivered):
        return Problem.NETWORK
    if isinstance(error, AnswerLost):
        return Problem.UNKNOWN
    if isinstance(error, RetryLater):
        return Problem.RATE
    if error.code in (401, 404):
        return Problem.TOKEN
    if error.code == 403:
        return Problem.FORBIDDEN
    if error.code == 429:
        return Problem.RATE
    if error.says("chat not found"):
        return Problem.CHAT
    return Problem.REFUSED


def _later(post: TelegramPost, error: RetryLater) -> bool:
    """Telegram asked to wait longer than a worker should sleep: run again then, if the queue can."""
    if not default_task_backend.supports_defer:
        return False
    from khabar.telegram.tasks import sync_article

    when = timezone.now() + timedelta(seconds=error.seconds)
    if post.state == PostState.SENDING:
        _mark(post, PostState.WAITING, Problem.RATE, f"retry after {error.seconds} s")
    transaction.on_commit(lambda: sync_article.using(run_after=when).enqueue(post.article_id, False))
    return True


# --- Stories --------------------------------------------------------------------------


def ensure_story(article: ArticlePage, chat: str, *, may_send: bool) -> TelegramPost | None:
    post, action = _claim(
        TelegramPost.story_key(article.pk, chat), may_send, article=article, chat=chat, headline=article.title[:255]
    )
    if action == "send":
        _send_story(post, article)
    elif action == "edit":
        _edit(post, messages.story_text(article, with_photo=post.with_photo), headline=article.title[:255])
    return post


def _photo(article: ArticlePage) -> Upload | None:
    if not article.lead_image:
        return None
    try:
        rendition = article.lead_image.get_rendition(PHOTO)
        with rendition.file.open("rb") as handle:
            return Upload(f"{article.slug[:60] or 'photo'}.jpg", handle.read())
    except Exception:  # a missing or broken image file: the story goes out as text
        log.exception("The lead image of article %s could not be read for Telegram", article.pk)
        return None


def _send_story(post: TelegramPost, article: ArticlePage) -> None:
    photo = _photo(article)
    text = messages.story_text(article, with_photo=bool(photo))
    floor = Correction.objects.filter(page_id=article.pk).aggregate(last=Max("pk"))["last"] or 0
    if photo:
        params = {"chat_id": post.chat, "caption": text.html, "parse_mode": "HTML"}
        outcome = _send(post, "sendPhoto", params, ("photo", photo))
    else:
        outcome = _send(post, "sendMessage", {"chat_id": post.chat, "text": text.html, "parse_mode": "HTML"})
    if outcome is not None:
        _mark(
            post,
            PostState.SENT,
            message_id=outcome["message_id"],
            with_photo=bool(photo),
            text_hash=text.hash,
            headline=article.title[:255],
            correction_floor=floor,
            sent_at=timezone.now(),
            deleted_at=None,
        )


def _send(post: TelegramPost, method: str, params: dict, upload=None) -> dict | None:
    """The message Telegram made, or None (the row then says why)."""
    try:
        return _call(method, params, upload, repeatable=False)
    except RetryLater as error:
        if not _later(post, error):
            _mark(post, PostState.FAILED, Problem.RATE, f"retry after {error.seconds} s")
    except (ApiError, NotDelivered, AnswerLost) as error:
        log.warning("Telegram %s to %s failed: %s", method, post.chat, error)
        _mark(post, PostState.FAILED, problem_of(error), str(error))
    return None


def _edit(post: TelegramPost, text: messages.Text, **fields) -> None:
    if text.hash == post.text_hash:
        return  # nothing a reader would see changed
    if post.with_photo:
        method, params = "editMessageCaption", {"caption": text.html}
    else:
        method, params = "editMessageText", {"text": text.html}
    params |= {"chat_id": post.chat, "message_id": post.message_id, "parse_mode": "HTML"}
    try:
        _call(method, params, repeatable=True)
    except ApiError as error:
        if error.says("message is not modified"):
            pass  # Telegram already shows this text (an earlier edit whose answer was lost)
        elif error.says("message to edit not found"):
            _mark(post, PostState.DELETED, error=str(error), deleted_at=timezone.now())
            return
        else:
            _mark(post, PostState.SENT, problem_of(error), str(error))
            return
    except (RetryLater, NotDelivered, AnswerLost) as error:
        if not (isinstance(error, RetryLater) and _later(post, error)):
            _mark(post, PostState.SENT, problem_of(error), str(error))
        return
    _mark(post, PostState.SENT, text_hash=text.hash, edited_at=timezone.now(), **fields)


# --- Corrections: a reply under the story -------------------------------------------------


def ensure_corrections(article: ArticlePage, story: TelegramPost) -> None:
    """A reply for each correction or update noted after the story was posted (earlier ones are in it)."""
    for correction in Correction.objects.filter(page_id=article.pk, pk__gt=story.correction_floor).order_by("pk"):
        correction.page = article
        text = messages.correction_text(correction)
        post, action = _claim(
            TelegramPost.correction_key(correction.pk, story.chat),
            True,
            kind=TelegramPost.CORRECTION,
            article=article,
            chat=story.chat,
            headline=article.title[:255],
            correction_id=correction.pk,
        )
        if action == "edit":
            _edit(post, text)
        elif action == "send":
            params = {
                "chat_id": story.chat,
                "text": text.html,
                "parse_mode": "HTML",
                "reply_parameters": {"message_id": story.message_id, "allow_sending_without_reply": True},
            }
            outcome = _send(post, "sendMessage", params)
            if outcome is not None:
                _mark(
                    post, PostState.SENT, message_id=outcome["message_id"], text_hash=text.hash, sent_at=timezone.now()
                )


# --- Taking down ---------------------------------------------------------------------------


def take_down(posts) -> None:
    """Delete these posts from their channels (replies first); one still being sent is left to its sender."""
    # Replies first ("correction" sorts before "story"), so none is left hanging under nothing.
    posts = list(posts.exclude(state__in=[PostState.DELETED, PostState.SENDING]).order_by("kind", "pk"))
    for post in posts:
        if post.state != PostState.SENT or not post.message_id:
            _mark(post, PostState.DELETED, post.problem, post.last_error)  # never in the channel: nothing to delete
            continue
        try:
            _call("deleteMessage", {"chat_id": post.chat, "message_id": post.message_id}, repeatable=True)
        except ApiError as error:
            if not error.says("message to delete not found"):
                problem = Problem.CANT_DELETE if error.says("can't be deleted") else problem_of(error)
                _mark(post, PostState.SENT, problem, str(error))
                continue
        except (RetryLater, NotDelivered, AnswerLost) as error:
            _mark(post, PostState.SENT, problem_of(error), str(error))
            continue
        _mark(post, PostState.DELETED, deleted_at=timezone.now())
