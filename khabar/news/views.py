"""Serving articles by their address in one query.

Wagtail's serve view walks the page tree one level at a time (site root,
edition, section, article: two queries a level). Articles are most of the
traffic, so this view looks an article up directly by its ``url_path`` (the
edition home's slug is its language code, see editions.py) and only falls back
to Wagtail's serve view for everything else. The same ``before_serve_page`` and
``on_serve_page`` hooks run, so view restrictions and previews behave the same.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from wagtail import hooks
from wagtail import views as wagtail_views

from khabar.news.models import ArticlePage


def serve(request: HttpRequest, path: str) -> HttpResponse:
    if path.count("/") == 2:  # "<section>/<article>/"
        language = translation.get_language()
        article = (
            ArticlePage.objects.live()
            .filter(url_path=f"/{language}/{path}", locale__language_code=language)
            .select_related("lead_image", "locale")
            .first()
        )
        if article is not None:
            return _serve_page(article, request)
    return wagtail_views.serve(request, path)


def _serve_page(page, request: HttpRequest) -> HttpResponse:
    chain = wagtail_views.serve_chain
    for fn in reversed(hooks.get_hooks("on_serve_page")):
        chain = fn(chain)
    for fn in hooks.get_hooks("before_serve_page"):
        result = fn(page, request, (), {})
        if isinstance(result, HttpResponse):
            return result
    return chain(page, request, (), {})
