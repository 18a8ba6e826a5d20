"""{% breaking_news %}: the edition's breaking-news banner, until it expires."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils import translation

from khabar.newsroom.models import BreakingNews

register = template.Library()


@register.inclusion_tag("newsroom/breaking_news.html")
def breaking_news() -> dict:
    language = translation.get_language() or settings.LANGUAGE_CODE
    return {"banner": BreakingNews.objects.active(language).first()}


@register.filter
def newest_first(updates) -> list:
    """Live updates newest first by their time, whatever order they were typed in."""
    return sorted(updates, key=lambda u: u.posted_at, reverse=True)
