"""The "Most read" report in the Wagtail admin (Reports menu, beside "Reader reactions").

Views in the last 24 hours, 7 days and in all (hourly rows plus the daily roll-up), per article,
filtered by section like the reactions report. Guarded by ``mostread.view_mostreadreport``.
"""

from __future__ import annotations

from datetime import timedelta

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView

from khabar.news.models import ArticlePage, SectionPage

from .models import ArticleViewsDay, ArticleViewsHour

REPORT_PERMISSION = "mostread.view_mostreadreport"


def _in_section(queryset, name, section: SectionPage | None):
    return queryset.child_of(section) if section else queryset


def _total(rows):
    total = rows.order_by().values("article").annotate(total=Sum("views")).values("total")
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))


class MostReadFilterSet(WagtailFilterSet):
    section = django_filters.ModelChoiceFilter(
        label=_("Section"),
        queryset=SectionPage.objects.select_related("locale").order_by("locale__language_code", "title"),
        method=_in_section,
    )

    class Meta:
        model = ArticlePage
        fields = []


class MostReadReportView(ReportView):
    page_title = _("Most read")
    header_icon = "view"
    model = None  # no Wagtail permission policy; dispatch() checks REPORT_PERMISSION
    filterset_class = MostReadFilterSet
    index_url_name = "mostread_report"
    index_results_url_name = "mostread_report_results"
    export_filename = "most-read"
    default_ordering = "-day_views"
    columns = [
        TitleColumn("title", label=_("Article"), get_url=lambda a: reverse("wagtailadmin_pages:edit", args=[a.pk])),
        DateColumn("first_published_at", label=_("Published"), sort_key="first_published_at"),
        Column("day_views", label=_("Views, last 24 hours"), sort_key="day_views"),
        Column("week_views", label=_("Views, last 7 days"), sort_key="week_views"),
        Column("all_views", label=_("Views in all"), sort_key="all_views"),
    ]
    list_export = ["title", "first_published_at", "day_views", "week_views", "all_views"]
    export_headings = {
        "title": _("Article"),
        "first_published_at": _("Published"),
        "day_views": _("Views, last 24 hours"),
        "week_views": _("Views, last 7 days"),
        "all_views": _("Views in all"),
    }

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(REPORT_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        # One subquery per figure (no joins, which would multiply the sums).
        now = timezone.now()
        hours = ArticleViewsHour.objects.filter(article=OuterRef("pk"))
        days = ArticleViewsDay.objects.filter(article=OuterRef("pk"))
        return (
            ArticlePage.objects.filter(Q(Exists(hours)) | Q(Exists(days)))
            .defer_streamfields()
            .annotate(
                day_views=_total(hours.filter(hour__gte=now - timedelta(hours=24))),
                week_views=_total(hours.filter(hour__gte=now - timedelta(days=7))),
                all_views=_total(hours) + _total(days),
            )
        )

    def order_queryset(self, queryset):
        queryset = super().order_queryset(queryset)
        return queryset.order_by(*queryset.query.order_by, "-pk")
