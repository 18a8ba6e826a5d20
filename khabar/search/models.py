"""Our own search index: one entry per live article, in the normalised form khabar.lib.arabic makes.

Wagtail's database backend analyses text its own way (no Arabic normalisation,
no light stemming), so Khabar keeps this small index that it fully controls.
The full-text structures live beside the table and are made by migration 0002:
an FTS5 table kept in step by triggers on SQLite, a generated tsvector column
with a GIN index on PostgreSQL. Entries may exist for embargoed or restricted
articles; every query filters through ``ArticlePage.objects.published()``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    page = models.OneToOneField(
        "news.ArticlePage", verbose_name=_("article"), on_delete=models.CASCADE, related_name="search_entry"
    )
    locale = models.ForeignKey(
        "wagtailcore.Locale", verbose_name=_("edition"), on_delete=models.CASCADE, related_name="+"
    )
    # The original text, for highlighting: matches are found on it by normalising word by word.
    title = models.CharField(_("headline"), max_length=255)
    text = models.TextField(_("text"), blank=True)
    # Space-separated normalised terms (words and their light stems) that the full-text engine indexes.
    title_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)
    indexed_at = models.DateTimeField(_("indexed at"), auto_now=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")

    def __str__(self) -> str:
        return self.title
