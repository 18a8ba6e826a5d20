"""Comments on articles, their moderation, and the newsroom's comment settings.

Related models first (settings, bans, reports, decisions, per-article counts), then ``Comment``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Value
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from khabar.news.models import CommentMode

MAX_LENGTH = 1500  # characters (Unicode code points, newlines as one), the same in the form's counter

DEFAULT_DISPOSABLE_DOMAINS = (
    "mailinator.com\nguerrillamail.com\n10minutemail.com\ntempmail.com\nyopmail.com\ntrashmail.com"
)


# The modes are defined once, with the article and section fields that store them (news imports no channel).
Mode = CommentMode


@register_setting(icon="comment")
class CommentSettings(BaseGenericSetting):
    """What the newsroom decides about comments, editable under Settings → Comments."""

    default_mode = models.CharField(_("moderation mode"), max_length=10, choices=Mode.choices, default=Mode.PRE)
    close_after_days = models.PositiveIntegerField(
        _("close comments after (days)"), default=14, help_text=_("Days after publication; 0 keeps them open.")
    )
    policy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("comment policy page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    banned_words = models.TextField(_("banned words (reject)"), blank=True, help_text=_("One word or phrase a line."))
    suspect_words = models.TextField(_("suspect words (hold)"), blank=True, help_text=_("One word or phrase a line."))
    disposable_domains = models.TextField(
        _("disposable email domains (hold)"), blank=True, default=DEFAULT_DISPOSABLE_DOMAINS
    )
    max_links = models.PositiveIntegerField(_("links allowed before holding"), default=2)
    new_commenter_hold = models.PositiveIntegerField(
        _("hold the first K comments of an email"), default=2, help_text=_("Counted in approved comments.")
    )
    rejection_rate = models.PositiveIntegerField(_("hold when an email's rejection rate is above (%)"), default=50)
    posts_per_ten_minutes = models.PositiveIntegerField(_("comments allowed per 10 minutes"), default=5)
    report_threshold = models.PositiveIntegerField(_("reports that send a comment back to review"), default=3)
    queue_alert_threshold = models.PositiveIntegerField(
        _("alert moderators when pending comments reach"), default=50, help_text=_("0 sends no alert.")
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("default_mode"), FieldPanel("close_after_days"), FieldPanel("policy_page")],
            heading=_("Comments"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("banned_words"),
                FieldPanel("suspect_words"),
                FieldPanel("disposable_domains"),
                FieldPanel("max_links"),
                FieldPanel("new_commenter_hold"),
                FieldPanel("rejection_rate"),
                FieldPanel("posts_per_ten_minutes"),
            ],
            heading=_("Rules"),
        ),
        MultiFieldPanel([FieldPanel("report_threshold"), FieldPanel("queue_alert_threshold")], heading=_("Queue")),
    ]

    class Meta:
        verbose_name = _("comment settings")


def word_list(text: str) -> list[str]:
    return [line.strip().casefold() for line in text.splitlines() if line.strip()]


class Status(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SPAM = "spam", _("Spam")


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Status.APPROVED)

    def for_email(self, email: str):
        # LOWER(email) = LOWER(%s) on both sides, so the comments_email_lower index serves it on SQLite and
        # PostgreSQL (``iexact`` compiles to LIKE / UPPER() that no index covers: a scan of every comment).
        return self.alias(email_lower=Lower("email")).filter(email_lower=Lower(Value(email)))


class Comment(models.Model):
    article = models.ForeignKey(
        "news.ArticlePage", verbose_name=_("article"), on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("reply to"), null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    name = models.CharField(_("name"), max_length=80)
    email = models.EmailField(_("email"), max_length=254, db_index=True)
    body = models.TextField(_("comment"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    is_featured = models.BooleanField(_("featured"), default=False)
    is_reported = models.BooleanField(_("reported"), default=False, help_text=_("Sent back to review by reports."))
    staff_author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notify_replies = models.BooleanField(_("email me replies"), default=False)
    rules = models.JSONField(_("rules that fired"), default=list, blank=True)
    rejection_reason = models.CharField(_("rejection reason"), max_length=300, blank=True)
    report_count = models.PositiveIntegerField(_("reports"), default=0)
    ip_hash = models.CharField(max_length=64, blank=True)
    body_hash = models.CharField(max_length=64, blank=True)
    submission_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(_("posted"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        permissions = [("moderate_comment", "Can moderate comments")]
        indexes = [
            # The article page's keyset pagination: approved top-level comments by time.
            models.Index(fields=["article", "status", "parent", "created_at", "id"], name="comments_article_keyset"),
            models.Index(fields=["status", "created_at"], name="comments_queue"),
            # "Repeated identical post" and the double-click check look a text up by its hash within
            # a recent window. With (status, created_at) alone to choose from, SQLite's planner
            # scanned every recent comment (0.8 s a post at 300,000 comments).
            models.Index(fields=["body_hash", "created_at"], name="comments_repeats"),
            # A sender's history and the privacy export look comments up by email, whatever its case.
            models.Index(Lower("email"), name="comments_email_lower"),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.body[:40]}"

    def save(self, *args, **kwargs) -> None:
        if not self.body_hash:
            from khabar.comments.text import fingerprint

            self.body_hash = fingerprint(self.body)
        super().save(*args, **kwargs)

    @property
    def is_staff_reply(self) -> bool:
        return self.staff_author_id is not None


class CommentStats(models.Model):
    """The approved-comment count of an article, kept in step with moderation so listings read it in one query."""

    article = models.OneToOneField("news.ArticlePage", primary_key=True, on_delete=models.CASCADE, related_name="+")
    approved = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.article_id}: {self.approved}"


class CommentReport(models.Model):
    class Reason(models.TextChoices):
        ABUSE = "abuse", _("Abusive or hateful")
        SPAM = "spam", _("Spam or advertising")
        OFF_TOPIC = "off_topic", _("Off topic")
        PRIVACY = "privacy", _("Shares someone's private information")
        OTHER = "other", _("Something else")

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    note = models.CharField(_("details"), max_length=300, blank=True)
    ip_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("comment report")
        constraints = [models.UniqueConstraint(fields=["comment", "ip_hash"], name="comments_one_report_per_reader")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.comment_id})"


class BannedCommenter(models.Model):
    email = models.EmailField(_("email"), unique=True)
    reason = models.CharField(_("reason"), max_length=300)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True, help_text=_("Empty: never."))
    banned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("banned commenter")

    def __str__(self) -> str:
        return self.email

    @classmethod
    def active_for(cls, email: str):
        now = timezone.now()
        return (
            cls.objects.filter(email__iexact=email)
            .filter(models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now))
            .first()
        )


class ModerationDecision(models.Model):
    """The audit trail: who decided what about which comment, when, and why."""

    class Action(models.TextChoices):
        APPROVE = "approve", _("Approved")
        REJECT = "reject", _("Rejected")
        SPAM = "spam", _("Marked as spam")
        FEATURE = "feature", _("Featured")
        UNFEATURE = "unfeature", _("Unfeatured")
        BAN = "ban", _("Banned the commenter")
        UNBAN = "unban", _("Lifted a ban")
        REPORTED = "reported", _("Sent back to review by reports")
        DELETE = "delete", _("Deleted at the commenter's request")

    comment = models.ForeignKey(Comment, null=True, on_delete=models.SET_NULL, related_name="decisions")
    comment_ref = models.PositiveIntegerField(_("comment id"))  # kept when the comment itself is deleted
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("moderation decision")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} #{self.comment_ref}"
