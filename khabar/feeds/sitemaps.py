"""Sitemaps: /sitemap.xml (an index) → one sitemap per edition, split into files of at most
KHABAR_SITEMAP_LIMIT URLs (50,000 by the protocol); /news-sitemap.xml for Google News.

Every page listed is live and public; articles come from ArticlePage.objects.published(),
so embargoed stories are absent. <lastmod> is the latest of the page's last publication,
its editor's "last updated" time and its correction notes — stored dates, never "now".
Pages with translations carry <xhtml:link rel="alternate" hreflang> for every language
version and an x-default pointing at the default language's version.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Max, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from wagtail.models import Page

from khabar.core.models import NewsroomSettings
from khabar.feeds.links import absolute
from khabar.news.models import ArticlePage, HomePage, public

NEWS_WINDOW = timedelta(hours=48)
NEWS_LIMIT = 1000  # Google News: at most 1,000 URLs per news sitemap
XML = "application/xml; charset=utf-8"
PAGE_FIELDS = (
    "id",
    "path",
    "depth",
    "url_path",
    "translation_key",
    "locale_id",
    "last_published_at",
    "content_type_id",
)


def _visible_pages() -> QuerySet:
    """Live, public pages, with articles only when published (embargo respected)."""
    article_type = ContentType.objects.get_for_model(ArticlePage)
    published = ArticlePage.objects.published().values("pk")
    return public(Page.objects.live()).filter(~Q(content_type=article_type) | Q(pk__in=published))


def _edition_base(home: HomePage) -> QuerySet:
    return _visible_pages().descendant_of(home, inclusive=True)


def _edition_pages(home: HomePage) -> QuerySet:
    return (
        _edition_base(home)
        .only(*PAGE_FIELDS)
        .annotate(edited_at=F("articlepage__updated_at"), corrected_at=Max("articlepage__corrections__noted_at"))
        .order_by("path")
    )


def _homes() -> list[HomePage]:
    codes = [code for code, _name in settings.LANGUAGES]
    homes = HomePage.objects.live().filter(locale__language_code__in=codes).select_related("locale").order_by("path")
    by_language: dict[str, HomePage] = {}
    for home in homes:
        by_language.setdefault(home.locale.language_code, home)
    return [by_language[code] for code in codes if code in by_language]


def _lastmod(page):
    dates = [page.last_published_at, getattr(page, "edited_at", None), getattr(page, "corrected_at", None)]
    dates = [d for d in dates if d]
    return max(dates) if dates else None


def _respond(template: str, context: dict) -> HttpResponse:
    response = HttpResponse(render_to_string(template, context), content_type=XML)
    response["Cache-Control"] = f"public, max-age={settings.KHABAR_FEED_CACHE_SECONDS}"
    return response


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    limit = settings.KHABAR_SITEMAP_LIMIT
    sitemaps = []
    for home in _homes():
        base = _edition_base(home)
        count = base.count()
        latest = base.aggregate(latest=Max("last_published_at"))["latest"]
        location = absolute(f"/sitemap-{home.locale.language_code}.xml", request)
        for number in range(1, max(1, math.ceil(count / limit)) + 1):
            sitemaps.append({"location": location + (f"?p={number}" if number > 1 else ""), "lastmod": latest})
    return _respond("feeds/sitemap_index.xml", {"sitemaps": sitemaps})


def _alternates(pages: list[Page], request: HttpRequest) -> dict:
    """Language versions of each page, by translation key, in one query."""
    keys = {page.translation_key for page in pages}
    versions = defaultdict(list)
    for version in (
        _visible_pages()
        .filter(translation_key__in=keys)
        .select_related("locale")
        .only(*PAGE_FIELDS, "locale__language_code")
    ):
        url = version.get_url(request)
        if url:
            versions[version.translation_key].append((version.locale.language_code, absolute(url, request)))
    result = {}
    for key, links in versions.items():
        if len(links) < 2:
            continue  # no translation: no alternates
        links.sort()
        default = [url for code, url in links if code == settings.LANGUAGE_CODE]
        result[key] = links + ([("x-default", default[0])] if default else [])
    return result


@require_safe
def edition(request: HttpRequest, language: str) -> HttpResponse:
    home = next((h for h in _homes() if h.locale.language_code == language), None)
    if home is None:
        raise Http404(_("There is no edition in this language."))
    try:
        number = int(request.GET.get("p", "1"))
    except ValueError:
        raise Http404(_("The sitemap page must be a number."))
    limit = settings.KHABAR_SITEMAP_LIMIT
    pages = list(_edition_pages(home)[(number - 1) * limit : number * limit]) if number >= 1 else []
    if not pages and number != 1:
        raise Http404(_("There is no page %(number)s of this sitemap.") % {"number": number})
    alternates = _alternates(pages, request)
    urls = []
    for page in pages:
        url = page.get_url(request)
        if url:
            urls.append(
                {
                    "location": absolute(url, request),
                    "lastmod": _lastmod(page),
                    "alternates": alternates.get(page.translation_key, []),
                }
            )
    return _respond("feeds/sitemap.xml", {"urls": urls})


@require_safe
def news(request: HttpRequest) -> HttpResponse:
    """Articles first published in the last 48 hours, newest first, at most 1,000 (Google News rules)."""
    since = timezone.now() - NEWS_WINDOW
    articles = (
        ArticlePage.objects.published()
        .filter(first_published_at__gte=since)
        .select_related("locale")
        .defer_streamfields()
        .order_by("-first_published_at", "-pk")[:NEWS_LIMIT]
    )
    publisher = NewsroomSettings.load(request_or_site=request).publisher_name
    items = [
        {
            "location": absolute(article.get_url(request), request),
            "language": article.locale.language_code,
            "published": article.first_published_at,
            "title": article.title,
        }
        for article in articles
    ]
    return _respond("feeds/news_sitemap.xml", {"items": items, "publisher": publisher})
