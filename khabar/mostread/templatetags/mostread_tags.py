"""``{% most_read page %}``: the "Most read" block, and on an article the page-view beacon.

The block is rendered into the page on the server, from a fragment kept for
KHABAR_MOSTREAD_BLOCK_SECONDS (khabar/core/fragments.py) and keyed on the edition or section and the
current interval. A cached page therefore holds exactly the same bytes for every reader, needs no
extra request or JavaScript, and shows a list at most a fragment interval plus a page-cache lifetime
old; no view ever purges a page. The beacon element carries only the article id.
"""

from __future__ import annotations

import time
from datetime import timedelta

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from khabar.core.fragments import fragment
from khabar.news.models import ArticlePage, SectionPage

from ..ranking import most_read as ranking

register = template.Library()


def _block(request, language: str, section: SectionPage | None) -> str:
    since = timezone.now() - timedelta(hours=settings.KHABAR_MOSTREAD_HOURS)
    articles = ranking(language, since, settings.KHABAR_MOSTREAD_LIMIT, section=section)
    if not articles:
        return ""  # no data yet: no empty heading
    items = [(article.title, article.get_url(request)) for article in articles]
    return render_to_string("mostread/most_read.html", {"items": items, "section": section}, request=request)


@register.simple_tag(takes_context=True)
def most_read(context, page) -> str:
    request = context.get("request")
    language = page.locale.language_code if getattr(page, "locale_id", None) else settings.LANGUAGE_CODE
    section = page if isinstance(page, SectionPage) else None
    interval = int(time.time()) // settings.KHABAR_MOSTREAD_BLOCK_SECONDS
    with translation.override(language):  # the edition's language, whatever is active
        html = fragment(
            request,
            "mostread",
            [language, section.pk if section else "", interval],
            lambda: _block(request, language, section),
            timeout=settings.KHABAR_MOSTREAD_BLOCK_SECONDS,
        )
    if isinstance(page, ArticlePage) and not getattr(request, "is_preview", False):
        html += render_to_string("mostread/beacon.html", {"article_id": page.pk, "url": reverse("mostread_beacon")})
    return mark_safe(html)  # noqa: S308 (rendered by our templates)
