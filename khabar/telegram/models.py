"""Which Telegram channel an edition (or a section) posts to, and the record of every post sent."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

# A public channel's @username (5-32 letters, digits or underscores, starting with a letter) or the
# numeric id of a private one, as the Bot API's getChat or a forwarded post shows it (-100…).
USERNAME = re.compile(r"@[A-Za-z][A-Za-z0-9_]{4,31}")
NUMERIC_ID = re.compile(r"-?[0-9]{5,20}")


def validate_chat(value: str) -> None:
    if not (USERNAME.fullmatch(value) or NUMERIC_ID.fullmatch(value)):
        raise ValidationError(
            _(
                "Give the channel's public username with its @ (like @khabar_news: 5 to 32 letters, digits "
                "or underscores) or its numeric id (like -1001234567890)."
            ),
            code="invalid_chat",
        )


class TelegramChannel(models.Model):
    """An edition's channel, or a section's own channel (which then replaces the edition's)."""

    edition = models.ForeignKey("news.HomePage", verbose_name=_("edition"), on_delete=models.CASCADE, related_name="+")
    section = models.ForeignKey(
        "news.SectionPage",
        verbose_name=_("section"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Leave empty for the whole edition. A section's own channel gets that section's stories."),
    )
    chat = models.CharField(
        _("channel"),
        max_length=40,
        help_text=_("@username of a public channel, or the numeric id (-100…) of a private one."),
    )
    is_active = models.BooleanField(_("posting"), default=True)

    panels = [FieldPanel("edition"), FieldPanel("section"), FieldPanel("chat"), FieldPanel("is_active")]

    class Meta:
        verbose_name = _("Telegram channel")
        verbose_name_plural = _("Telegram channels")
        constraints = [
            models.UniqueConstraint(
                fields=["edition"], condition=models.Q(section__isnull=True), name="telegram_one_channel_per_edition"
            ),
            models.UniqueConstraint(fields=["section"], name="telegram_one_channel_per_section"),
        ]

    def __str__(self) -> str:
        return self.chat

    def clean(self) -> None:
        super().clean()
        self.chat = (self.chat or "").strip()
        for prefix in ("https://t.me/", "http://t.me/", "t.me/"):
            self.chat = self.chat.removeprefix(prefix)
        if self.chat and not self.chat.startswith(("@", "-")) and not self.chat.isdigit():
            self.chat = "@" + self.chat  # "khabar_news" is what people copy from t.me/khabar_news
        try:
            validate_chat(self.chat)
        except ValidationError as error:
            raise ValidationError({"chat": error}) from None
        if self.section_id and self.edition_id and not self.section.path.startswith(self.edition.path):
            raise ValidationError({"section": _("This section belongs to another edition.")})
        self._refuse_a_second_channel()

    def _refuse_a_second_channel(self) -> None:
        """The constraints say it too, but as an IntegrityError; the editor gets a sentence instead."""
        others = TelegramChannel.objects.exclude(pk=self.pk)
        if self.section_id and others.filter(section_id=self.section_id).exists():
            raise ValidationError({"section": _("This section already has a channel; edit that one.")})
        if self.edition_id and not self.section_id and others.filter(edition_id=self.edition_id, section=None).exists():
            raise ValidationError({"edition": _("This edition already has a channel; edit that one.")})


class PostState(models.TextChoices):
    SENDING = "sending", _("sending")
    WAITING = "waiting", _("waiting to retry")
    SENT = "sent", _("in the channel")
    DELETED = "deleted", _("deleted")
    FAILED = "failed", _("failed")


class Problem(models.TextChoices):
    """Why a post failed, in words an editor can act on (Telegram's own text is kept beside it)."""

    NONE = "", "—"
    FORBIDDEN = (
        "forbidden",
        _("The bot is not an administrator of the channel (or was removed): add it and publish again."),
    )
    CHAT = "chat", _("Telegram does not know this channel: check its @username or id in Telegram channels.")
    TOKEN = "token", _("Telegram refused the bot token: check KHABAR_TELEGRAM_BOT_TOKEN.")
    RATE = "rate", _("Telegram asked to wait longer than allowed: publish again later.")
    NETWORK = "network", _("Telegram could not be reached: publish again later.")
    UNKNOWN = (
        "unknown",
        _("The answer from Telegram was lost: the post may be in the channel. Check before publishing again."),
    )
    CANT_DELETE = "cant_delete", _("Telegram would not delete the post (too old?): delete it by hand in the channel.")
    REFUSED = "refused", _("Telegram refused the post.")


class TelegramPost(models.Model):
    """One message in one channel: a story, or a correction's reply to it.

    ``key`` is unique (story:<article>:<chat> or correction:<id>:<chat>), and a message is sent only
    by the worker that moved its row to "sending" inside a locked transaction: a retried, duplicated
    or restarted task finds the row taken or sent and sends nothing."""

    STORY = "story"
    CORRECTION = "correction"
    KINDS = [(STORY, _("story")), (CORRECTION, _("correction"))]

    # Saved several times per post by the worker, and it links to nothing an editor would look for.
    wagtail_reference_index_ignore = True

    key = models.CharField(max_length=120, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=KINDS, default=STORY)
    article = models.ForeignKey(
        "news.ArticlePage", verbose_name=_("article"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    headline = models.CharField(_("headline"), max_length=255, blank=True)
    correction_id = models.BigIntegerField(null=True, blank=True)
    chat = models.CharField(_("channel"), max_length=40)
    message_id = models.BigIntegerField(_("message id"), null=True, blank=True)
    with_photo = models.BooleanField(_("with photo"), default=False)
    text_hash = models.CharField(max_length=64, blank=True)
    # The article's last correction when the story was sent: later ones get a reply, earlier ones are in it.
    correction_floor = models.BigIntegerField(default=0)
    state = models.CharField(_("state"), max_length=20, choices=PostState.choices, default=PostState.WAITING)
    problem = models.CharField(_("problem"), max_length=20, choices=Problem.choices, blank=True, default="")
    last_error = models.TextField(_("Telegram said"), blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)

    class Meta:
        verbose_name = _("Telegram post")
        verbose_name_plural = _("Telegram posts")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["article", "state"], name="telegram_post_article")]

    def __str__(self) -> str:
        return f"{self.chat} #{self.message_id or '—'}: {self.headline}"

    @classmethod
    def story_key(cls, article_id: int, chat: str) -> str:
        return f"story:{article_id}:{chat}"

    @classmethod
    def correction_key(cls, correction_id: int, chat: str) -> str:
        return f"correction:{correction_id}:{chat}"
