"""Page views per article and hour (and, once older than the retention, per day).

Nothing here names a reader: a row is an article, a period and a number.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from khabar.news.models import ArticlePage


class ArticleViewsHour(models.Model):
    article = models.ForeignKey(
        ArticlePage, on_delete=models.CASCADE, related_name="views_by_hour", verbose_name=_("article")
    )
    hour = models.DateTimeField(_("hour"), help_text=_("The start of the hour, in UTC."))
    views = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("article views per hour")
        verbose_name_plural = _("article views per hour")
        constraints = [models.UniqueConstraint(fields=["article", "hour"], name="mostread_one_row_per_article_hour")]
        indexes = [models.Index(fields=["hour"], name="mostread_hour")]
        permissions = [("view_mostreadreport", _("Can view the most read report"))]

    def __str__(self) -> str:
        return f"{self.article_id} @ {self.hour:%Y-%m-%d %H}:00: {self.views}"


class ArticleViewsDay(models.Model):
    """Hourly rows older than KHABAR_MOSTREAD_HOURLY_RETENTION_DAYS, summed per day (UTC)."""

    article = models.ForeignKey(
        ArticlePage, on_delete=models.CASCADE, related_name="views_by_day", verbose_name=_("article")
    )
    day = models.DateField(_("day"))
    views = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("article views per day")
        verbose_name_plural = _("article views per day")
        constraints = [models.UniqueConstraint(fields=["article", "day"], name="mostread_one_row_per_article_day")]

    def __str__(self) -> str:
        return f"{self.article_id} @ {self.day}: {self.views}"
