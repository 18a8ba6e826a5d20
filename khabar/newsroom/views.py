"""Reader-facing corrections page and the scheduler's health endpoint."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from khabar.news.models import ArticlePage, Correction, paginate
from khabar.newsroom import scheduler


def schedule_health(request: HttpRequest) -> JsonResponse:
    """200 when every go-live and expiry happened on time, 503 otherwise.

    Counts only: titles of overdue stories may be embargoed, so they stay off a public URL
    (`khabar check_schedules` lists them for an operator)."""
    overdue = scheduler.overdue_schedules()
    last = scheduler.last_run_at()
    body = {
        "status": "overdue" if overdue else "ok",
        "overdue_publish": sum(1 for o in overdue if o.kind == "publish"),
        "overdue_expire": sum(1 for o in overdue if o.kind == "expire"),
        "oldest_due_at": min((o.due_at for o in overdue), default=None),
        "scheduler_last_run_at": last,
        "time_zone": settings.TIME_ZONE,
        "now": timezone.now(),
    }
    response = JsonResponse(body, status=503 if overdue else 200)
    response["Cache-Control"] = "no-store"
    return response


def corrections(request: HttpRequest) -> HttpResponse:
    """Every correction and update note of this edition's readable articles, newest first."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    articles = ArticlePage.objects.published().filter(locale__language_code=language)
    notes = (
        Correction.objects.filter(page__in=articles.values("pk"))
        .select_related("page")
        .only("kind", "noted_at", "text", "page__id", "page__title", "page__url_path", "page__path", "page__depth")
        .order_by("-noted_at", "-pk")
    )
    listing = paginate(request, notes, settings.KHABAR_PAGE_SIZE)
    return render(
        request,
        "newsroom/corrections_page.html",
        {"listing": listing, "page_title": _("Corrections and updates"), "page_kind": "corrections"},
    )
