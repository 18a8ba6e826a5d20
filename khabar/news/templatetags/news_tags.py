"""Article page parts kept rendered between renders (khabar/core/fragments.py)."""

from django import template
from django.conf import settings
from django.template.loader import render_to_string

from khabar.core import fragments
from khabar.news.published import published_version

register = template.Library()


@register.simple_tag(takes_context=True)
def related_stories(context, page) -> str:
    """The "Related stories" cards: rendered again when anything is published or unpublished, and at
    least as often as cached pages are (their comment counts move without a purge, as on listings)."""
    request = context.get("request")

    def render() -> str:
        return render_to_string("news/related.html", {"related": page.related_articles()}, request=request)

    parts = (page.pk, published_version())
    return fragments.fragment(request, "related", parts, render, timeout=settings.KHABAR_PAGE_CACHE_SECONDS)
