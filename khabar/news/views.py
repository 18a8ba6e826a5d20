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

from khabar.core import fragments
from khabar.news.models import ArticlePage, public
from khabar.news.published import published_version


def serve(request: HttpRequest, path: str) -> HttpResponse:
    if path.count("/") == 2:  # "<section>/<article>/"
        article = live_article(request, f"/{translation.get_language()}/{path}")
        if article is not None:
            return _serve_page(article, request)
    return wagtail_views.serve(request, path)


def live_article(request: HttpRequest, url_path: str) -> ArticlePage | None:
    """The live article at ``url_path``, remembered until anything is published, unpublished, moved
    or deleted, or an image changes (its lead picture is loaded with it): building this query costs
    more than rendering most of the page. What a reader may see of it (embargo, view restrictions)
    is still decided on every request, by ``serve`` and the serve hooks."""

    def find() -> ArticlePage | None:
        language = url_path.split("/", 2)[1]
        return (
            ArticlePage.objects.live()
            .filter(url_path=url_path, locale__language_code=language)
            .select_related("lead_image", "locale")
            .first()
        )

    parts = (url_path, published_version(), fragments.version(fragments.IMAGES))
    return fragments.remember(request, "article", parts, find)


def published_article(request: HttpRequest, article_id: int) -> ArticlePage | None:
    """The article with this id if readers may see it (live, public, past its embargo), with its
    locale, for the reader endpoints that act on one (comments). Live and public are remembered under
    the same versions as ``live_article``; the embargo is a matter of the clock and is checked here."""

    def find() -> ArticlePage | None:
        return public(ArticlePage.objects.live()).filter(pk=article_id).select_related("locale").first()

    article = fragments.remember(request, "article-by-id", (article_id, published_version()), find, writes=True)
    if article is None or article.is_embargoed:
        return None
    return article


def _serve_page(page, request: HttpRequest) -> HttpResponse:
    chain = wagtail_views.serve_chain
    for fn in reversed(hooks.get_hooks("on_serve_page")):
        chain = fn(chain)
    for fn in hooks.get_hooks("before_serve_page"):
        result = fn(page, request, (), {})
        if isinstance(result, HttpResponse):
            return result
    return chain(page, request, (), {})
