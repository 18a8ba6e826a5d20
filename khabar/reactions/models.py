"""Reader reactions: one Yes/No vote per reader per article, and denormalised totals per article."""

from __future__ import annotations

from django.db import models
from django.db.models import Case, ExpressionWrapper, F, FloatField, Value, When
from django.utils.translation import gettext_lazy as _

from khabar.news.models import ArticlePage


class Vote(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")


class Reaction(models.Model):
    """One reader's answer to "Do you like this article?".

    ``reader`` is the random id carried in the reader's signed cookie: it names a
    browser, never a person, and no IP address is stored.
    """

    article = models.ForeignKey(
        ArticlePage, on_delete=models.CASCADE, related_name="reactions", verbose_name=_("article")
    )
    reader = models.CharField(_("reader id"), max_length=32)
    vote = models.CharField(_("vote"), max_length=3, choices=Vote.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("reader reaction")
        verbose_name_plural = _("reader reactions")
        constraints = [
            models.UniqueConstraint(fields=["article", "reader"], name="reactions_one_vote_per_reader"),
            models.CheckConstraint(condition=models.Q(vote__in=["yes", "no"]), name="reactions_vote_is_yes_or_no"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id}: {self.vote}"


class ReactionTotalsQuerySet(models.QuerySet):
    def with_share(self) -> ReactionTotalsQuerySet:
        """Annotate ``total`` and ``share`` (percent of Yes, 0 when nobody voted) for sorting in the report."""
        total = F("yes") + F("no")
        return self.annotate(
            total=ExpressionWrapper(total, output_field=models.IntegerField()),
            share=Case(
                When(yes=0, then=Value(0.0)),
                default=ExpressionWrapper(F("yes") * 100.0 / total, output_field=FloatField()),
                output_field=FloatField(),
            ),
        )


class ReactionTotals(models.Model):
    """Running Yes/No counts for one article, updated with F() in the vote's transaction.

    Reading an article's result is then one query, however many readers voted.
    """

    article = models.OneToOneField(
        ArticlePage,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="reaction_totals",
        verbose_name=_("article"),
    )
    yes = models.PositiveIntegerField(_("yes"), default=0)
    no = models.PositiveIntegerField(_("no"), default=0)

    objects = ReactionTotalsQuerySet.as_manager()

    class Meta:
        verbose_name = _("reaction totals")
        verbose_name_plural = _("reaction totals")
        permissions = [("view_reactionreport", _("Can view the reader reactions report"))]

    def __str__(self) -> str:
        return f"{self.article_id}: {self.yes} yes, {self.no} no"

    @property
    def total_votes(self) -> int:
        return self.yes + self.no

    @property
    def share_yes(self) -> int:
        """Whole percent of readers who said Yes (rounded; 0 when nobody voted)."""
        return round(self.yes * 100 / self.total_votes) if self.total_votes else 0
