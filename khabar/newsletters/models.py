"""Newsletters an editor sets up, the readers who subscribed, and a record of every issue and send.

A reader is one ``Subscriber`` per (email, edition) with what they want: the daily digest, a digest
of chosen sections, breaking-news alerts. An ``Issue`` is one digest of one day or one alert of one
article (unique, so an alert cannot go out twice); a ``Delivery`` is one issue to one subscriber
(unique, so a retry never sends twice).
"""

from __future__ import annotations

import secrets
from datetime import time

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from khabar.news.models import ArticlePage, SectionPage

SEND_ALERT = "newsletters.send_alert"


def new_secret() -> str:
    return secrets.token_urlsafe(16)


class Kind(models.TextChoices):
    DAILY = "daily", _("Daily digest of the edition")
    SECTIONS = "sections", _("Digest of chosen sections")
    ALERTS = "alerts", _("Breaking-news alerts")


DIGEST_KINDS = (Kind.DAILY, Kind.SECTIONS)


class Newsletter(models.Model):
    name = models.CharField(_("name"), max_length=120)
    locale = models.ForeignKey(Locale, verbose_name=_("edition"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    send_time = models.TimeField(
        _("send time"), default=time(7, 0), help_text=_("Digests go out at this time in the newsroom's time zone.")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("newsletter")
        verbose_name_plural = _("newsletters")
        constraints = [models.UniqueConstraint(fields=["locale", "kind"], name="newsletters_one_kind_per_edition")]
        permissions = [("send_alert", "Can send breaking-news alerts")]

    def __str__(self) -> str:
        return f"{self.name} ({self.locale.language_code})"


class Status(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
    BOUNCED = "bounced", _("Bounced")


class SubscriberQuerySet(models.QuerySet):
    def receiving(self, newsletter: Newsletter):
        """Confirmed readers of this newsletter's edition who asked for its kind."""
        wanted = {Kind.DAILY: "daily", Kind.SECTIONS: "sections_digest", Kind.ALERTS: "alerts"}[newsletter.kind]
        return self.filter(locale_id=newsletter.locale_id, status=Status.CONFIRMED, **{wanted: True})

    def for_email(self, email: str):
        return self.filter(email__iexact=email.strip())


class Subscriber(models.Model):
    email = models.EmailField(_("email"), max_length=254)
    locale = models.ForeignKey(Locale, verbose_name=_("edition"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    daily = models.BooleanField(_("daily digest"), default=False)
    sections_digest = models.BooleanField(_("digest of chosen sections"), default=False)
    sections = models.ManyToManyField(SectionPage, verbose_name=_("sections"), blank=True, related_name="+")
    alerts = models.BooleanField(_("breaking-news alerts"), default=False)
    # Part of every signed link: a new secret (after deletion and a new signup) kills the old links.
    secret = models.CharField(max_length=32, default=new_secret, editable=False)
    # Renewed on each confirmation, so a used confirmation link says "already confirmed".
    confirm_nonce = models.CharField(max_length=32, default=new_secret, editable=False)
    created_at = models.DateTimeField(_("signed up"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    bounced_at = models.DateTimeField(_("bounced"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        constraints = [
            models.UniqueConstraint(fields=["email", "locale"], name="newsletters_one_subscriber_per_edition")
        ]
        indexes = [models.Index(fields=["locale", "status"], name="newsletters_sub_status")]

    def __str__(self) -> str:
        return self.email

    def wants(self) -> list[str]:
        chosen = [(self.daily, Kind.DAILY), (self.sections_digest, Kind.SECTIONS), (self.alerts, Kind.ALERTS)]
        return [str(kind.label) for on, kind in chosen if on]


class Issue(models.Model):
    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="issues")
    # Digests: the newsroom-local day; alerts: the article.
    day = models.DateField(null=True, blank=True)
    article = models.ForeignKey(ArticlePage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    subject = models.CharField(max_length=300)
    article_ids = models.JSONField(default=list)
    most_read_ids = models.JSONField(default=list)
    since = models.DateTimeField(null=True, blank=True)
    cutoff = models.DateTimeField(default=timezone.now)
    skipped = models.BooleanField(default=False)  # nothing new that day: recorded, not sent
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["newsletter", "day"], name="newsletters_one_digest_a_day"),
            models.UniqueConstraint(fields=["newsletter", "article"], name="newsletters_one_alert_per_article"),
        ]

    def __str__(self) -> str:
        return self.subject


class Delivery(models.Model):
    class State(models.TextChoices):
        PENDING = "pending"
        SENDING = "sending"
        SENT = "sent"
        RETRY = "retry"  # a transient failure: tried again later, a bounded number of times
        FAILED = "failed"  # gave up after the retries
        BOUNCED = "bounced"  # refused for good (5xx): never tried again

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claim = models.CharField(max_length=32, blank=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issue", "subscriber"], name="newsletters_one_send")]

    def __str__(self) -> str:
        return f"{self.issue_id} → {self.subscriber_id}: {self.state}"
