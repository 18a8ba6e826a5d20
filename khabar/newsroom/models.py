"""The newsroom's own records: the breaking-news banner and the scheduler's heartbeat."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import TranslatableMixin


class BreakingNewsQuerySet(models.QuerySet):
    def active(self, language: str, now=None):
        """Banners readers of this edition see now: switched on, not yet expired."""
        now = now or timezone.now()
        return self.filter(locale__language_code=language, is_active=True, expires_at__gt=now).order_by(
            "-created_at", "-pk"
        )


class BreakingNews(TranslatableMixin, models.Model):
    """A banner shown at the top of every reader page of one edition until it expires."""

    text = models.CharField(_("text"), max_length=200)
    link = models.CharField(
        _("link"),
        max_length=500,
        blank=True,
        help_text=_("The story to read more; a full address or a path such as /en/iraq/story/."),
    )
    expires_at = models.DateTimeField(
        _("shown until"), help_text=_("The banner disappears by itself at this time (the newsroom's time zone).")
    )
    is_active = models.BooleanField(_("shown"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    panels = [FieldPanel("text"), FieldPanel("link"), FieldPanel("expires_at"), FieldPanel("is_active")]

    objects = BreakingNewsQuerySet.as_manager()

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("breaking-news banner")
        verbose_name_plural = _("breaking-news banners")

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        super().clean()
        if self.expires_at and self.expires_at <= timezone.now() and self.is_active:
            raise ValidationError({"expires_at": _("A banner must be shown until a time in the future.")})
        if self.link and not (
            self.link.startswith("/")
            and not self.link.startswith("//")
            or self.link.startswith(("https://", "http://"))
        ):
            raise ValidationError({"link": _("Give a full address (https://…) or a path starting with /.")})


class SchedulerState(models.Model):
    """When the scheduler loop last ran: one row per job, the health check reads it.

    It also remembers how far the embargo and banner-expiry checks have got, so a
    loop that was down for an hour still purges what became visible meanwhile.
    """

    name = models.CharField(max_length=50, primary_key=True)
    last_run_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("scheduler state")

    def __str__(self) -> str:
        return f"{self.name}: {self.last_run_at}"
