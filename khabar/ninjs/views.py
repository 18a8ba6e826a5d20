"""The ninjs read API: one published article as a ninjs 2.2 item, and listings that lead to them."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from khabar.core.views import keep_not_found
from khabar.ninjs.exporter import published_articles, to_ninjs
from khabar.ninjs.uris import article_uri

LISTING_SIZE = 50


def _json(data: dict, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@require_GET
def item(request: HttpRequest, page_id: int) -> JsonResponse:
    """`/api/ninjs/<page id>/`: a draft, unpublished or embargoed article does not exist here (404)."""
    return keep_not_found(request, _item(request, page_id, None))


def not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    """Any other address under the ninjs API (an id no database can hold, a typo): a JSON 404."""
    return keep_not_found(request, _json({"error": _("There is no such ninjs address.")}, status=404))


@require_GET
def edition_item(request: HttpRequest, page_id: int) -> JsonResponse:
    """`/<lang>/ninjs/<page id>/`: the same, for an article of this edition only."""
    return _item(request, page_id, get_language())


def _item(request: HttpRequest, page_id: int, language: str | None) -> JsonResponse:
    page = published_articles(language).filter(pk=page_id).first()
    if page is None:
        return _json({"error": _("No published article with the id %(id)s.") % {"id": page_id}}, status=404)
    return _json(to_ninjs(page, _base_url(request)))


def _listing(request: HttpRequest, language: str | None) -> JsonResponse:
    paginator = Paginator(published_articles(language).order_by("-first_published_at", "-pk"), LISTING_SIZE)
    try:
        page = paginator.page(request.GET.get("page", "1"))
    except (PageNotAnInteger, EmptyPage):
        return _json({"error": _("There is no such page of this listing.")}, status=404)

    def link(number: int | None) -> str | None:
        if number is None:
            return None
        query = request.GET.copy()
        query["page"] = str(number)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    base = _base_url(request)
    return _json(
        {
            "count": paginator.count,
            "next": link(page.next_page_number() if page.has_next() else None),
            "previous": link(page.previous_page_number() if page.has_previous() else None),
            "items": [
                {
                    "uri": article_uri(article),
                    "href": base + reverse("ninjs:item", args=[article.pk]),
                    "language": article.locale.language_code,
                    "headline": article.title,
                    "firstcreated": article.first_published_at.isoformat() if article.first_published_at else None,
                }
                for article in page.object_list
            ],
        }
    )


@require_GET
def listing(request: HttpRequest) -> JsonResponse:
    """`/api/ninjs/?language=en&page=2`: every published article, newest first, each with its ninjs URL."""
    language = request.GET.get("language") or None
    editions = [code for code, _name in settings.LANGUAGES]
    if language is not None and language not in editions:
        return _json(
            {"error": _("No %(language)s edition (editions: %(editions)s).")
             % {"language": language[:20], "editions": ", ".join(editions)}},
            status=400,
        )  # fmt: skip
    return keep_not_found(request, _listing(request, language))


@require_GET
def edition_listing(request: HttpRequest) -> JsonResponse:
    """`/<lang>/ninjs/`: the same listing for one edition."""
    return _listing(request, get_language())
