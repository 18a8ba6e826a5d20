"""Feed views: the edition, a section or author page (its URL + feed/), and a topic."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from taggit.models import Tag
from wagtail import views as wagtail_views

from khabar.feeds import channels
from khabar.feeds.syndication import ArticleFeed, AtomArticleFeed

FULL_VALUES = {"1": True, "true": True, "0": False, "false": False, "": False}


def _serve(request: HttpRequest, channel: channels.Channel, atom: bool) -> HttpResponse:
    full = FULL_VALUES.get(request.GET.get("full", "").lower())
    if full is None:
        return HttpResponseBadRequest(_("The full parameter must be 1 or 0."), content_type="text/plain")
    feed_class = AtomArticleFeed if atom else ArticleFeed
    response = feed_class(channel, full=full)(request)
    response["Cache-Control"] = f"public, max-age={settings.KHABAR_FEED_CACHE_SECONDS}"
    return response


@require_safe
def edition_feed(request: HttpRequest, atom: bool = False) -> HttpResponse:
    return _serve(request, channels.for_edition(channels.edition_home()), atom)


@require_safe
def topic_feed(request: HttpRequest, slug: str, atom: bool = False) -> HttpResponse:
    tag = get_object_or_404(Tag, slug=slug)
    return _serve(request, channels.for_topic(channels.edition_home(), tag), atom)


@require_safe
def listing_feed(request: HttpRequest, page_path: str, atom: bool = False) -> HttpResponse:
    """``<listing-url>feed/``: a section's or an author's feed.

    Any other path ending in feed/ is handed back to Wagtail, so a page that happens
    to be called "feed" under some other page is still served.
    """
    home = channels.edition_home()
    page = channels.listing_page(home, page_path)
    channel = channels.for_page(page) if page is not None else None
    if channel is None:
        suffix = "feed/atom/" if atom else "feed/"
        return wagtail_views.serve(request, page_path + suffix)
    return _serve(request, channel, atom)


def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        f"Disallow: /{settings.ADMIN_PATH}/",
        "",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
        f"Sitemap: {request.build_absolute_uri('/news-sitemap.xml')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
