"""The search page: /<lang>/search/?q=… within one edition.

Never cached (results depend on the query and the index changes with every
publication): Cache-Control: private, no-store, and noindex for robots.
Bad input never reaches the engine and never makes a 500: an empty query shows
the form, a query with nothing searchable says so, a too-long query is cut with
a note, an address that is not valid UTF-8 is a 400, a page number outside the
results is a 404 that still shows the form.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import parse_qsl

from django.conf import settings
from django.core.handlers.wsgi import get_bytes_from_wsgi
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from wagtail.models import Locale, Page

from khabar.core.ratelimit import hit, ip_hash, too_many_requests
from khabar.lib import arabic
from khabar.news.models import ArticlePage, SectionPage
from khabar.search.highlight import highlight, snippet, wanted_terms
from khabar.search.query import Groups, Hit, SearchResults

MAX_WORDS = 12  # more words only narrow the results; each one costs the engine another lookup
MAX_PAGE_DIGITS = 6


def _query_string_is_utf8(request: HttpRequest) -> bool:
    """Django replaces undecodable bytes (?q=%FF) with U+FFFD; we would rather say so."""
    raw = get_bytes_from_wsgi(request.META, "QUERY_STRING", "")
    try:
        text = raw.decode("utf-8")
        parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        return False
    return True


def clean_query(raw: str) -> tuple[str, list[str]]:
    """The query as it will be echoed and searched: no control characters, spaces collapsed, capped."""
    notes: list[str] = []
    # NUL and other control characters, lone surrogates, private-use code points: nothing a reader means.
    text = "".join(" " if unicodedata.category(c) in {"Cc", "Cs", "Co", "Zl", "Zp"} else c for c in raw)
    text = " ".join(text.split())
    limit = settings.KHABAR_SEARCH_MAX_QUERY_CHARS
    if len(text) > limit:
        text = text[:limit].rstrip()
        notes.append(
            ngettext(
                "Your search was shortened to its first %(count)s character.",
                "Your search was shortened to its first %(count)s characters.",
                limit,
            )
            % {"count": limit}
        )
    return text, notes


def _render(request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
    context.setdefault("notes", [])
    context.setdefault("query", "")
    context["max_query_chars"] = settings.KHABAR_SEARCH_MAX_QUERY_CHARS
    response = render(request, "search/search_page.html", context, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response


def _page_number(raw: str) -> int | None:
    if not raw.isascii() or not raw.isdigit() or len(raw) > MAX_PAGE_DIGITS:
        return None
    number = int(raw)
    return number if number >= 1 else None


def _results_for(request: HttpRequest, hits: list[Hit], groups: Groups, language: str) -> list[dict]:
    """What each result shows, in a fixed number of queries whatever the page size."""
    # Headline, URL and date are all a result shows: no body, no bylines, no images.
    articles = ArticlePage.objects.filter(pk__in=[h.page_id for h in hits]).defer_streamfields()
    pages = {p.pk: p for p in articles}
    parent_paths = {p.path[: -Page.steplen] for p in pages.values()}
    sections = {s.path: s for s in SectionPage.objects.filter(path__in=parent_paths)}
    wanted = wanted_terms(groups)
    section_urls = {path: section.get_url(request) for path, section in sections.items()}
    results = []
    for hit_ in hits:
        page = pages.get(hit_.page_id)
        if page is None:  # unpublished between the two queries
            continue
        results.append(
            {
                "page": page,
                "url": page.get_url(request),
                "headline": highlight(page.title, wanted, language=language),
                "snippet": snippet(hit_.text, wanted, language=language),
                "section": sections.get(page.path[: -Page.steplen]),
                "section_url": section_urls.get(page.path[: -Page.steplen]),
            }
        )
    return results


@require_safe
@never_cache
def search(request: HttpRequest) -> HttpResponse:
    if not _query_string_is_utf8(request):
        note = _("The search address holds characters that are not valid text. Please type your search again.")
        return _render(request, {"notes": [note], "invalid": True}, status=400)

    query, notes = clean_query(request.GET.get("q", ""))
    context: dict = {"query": query, "notes": notes}
    if not query:
        return _render(request, context)

    # The edition's language: the articles it holds were indexed with that language's rules.
    language = translation.get_language() or settings.LANGUAGE_CODE
    groups = arabic.query_words(query, ta_marbuta=settings.KHABAR_SEARCH_TA_MARBUTA, language=language)
    if not groups:
        context["nothing_to_search"] = True
        return _render(request, context)
    if len(groups) > MAX_WORDS:
        groups = groups[:MAX_WORDS]
        notes.append(_("Only the first %(count)s words of your search were used.") % {"count": MAX_WORDS})

    number = _page_number(request.GET.get("page", "1"))
    if number is None or number > settings.KHABAR_SEARCH_MAX_PAGES:
        context["bad_page"] = True
        return _render(request, context, status=404)

    verdict = hit(
        "search", ip_hash(request), limit=settings.KHABAR_SEARCH_RATE_LIMIT, window=settings.KHABAR_SEARCH_RATE_WINDOW
    )
    if not verdict.allowed:
        return too_many_requests(request, verdict.retry_after)

    locale_id = Locale.objects.filter(language_code=language).values_list("pk", flat=True).first()
    results = SearchResults(groups, locale_id or 0)
    paginator = Paginator(results, settings.KHABAR_SEARCH_PAGE_SIZE)
    total = paginator.count
    if number > max(paginator.num_pages, 1):
        context.update(bad_page=True, total=total)
        return _render(request, context, status=404)
    listing = paginator.page(number)
    context.update(
        searched=True,
        total=total,
        listing=listing,
        results=_results_for(request, list(listing.object_list), groups, language),
        more_pages_than_shown=paginator.num_pages > settings.KHABAR_SEARCH_MAX_PAGES,
        last_page=min(paginator.num_pages, settings.KHABAR_SEARCH_MAX_PAGES),
    )
    return _render(request, context)
