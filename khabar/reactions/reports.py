"""The "Reader reactions" report in the Wagtail admin (Reports menu): most and least liked articles.

Guarded by the ``reactions.view_reactionreport`` permission (grant it to Editors and Chief Editors).
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Length, Substr
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets import AdminDateInput
from wagtail.models import Page

from khabar.news.models import SectionPage

from .models import ReactionTotals

REPORT_PERMISSION = "reactions.view_reactionreport"


def _in_section(queryset, name, section: SectionPage | None):
    if not section:
        return queryset
    return queryset.filter(article__path__startswith=section.path, article__depth=section.depth + 1)


class ReactionReportFilterSet(WagtailFilterSet):
    section = django_filters.ModelChoiceFilter(
        label=_("Section"),
        queryset=SectionPage.objects.select_related("locale").order_by("locale__language_code", "title"),
        method=_in_section,
    )
    published_from = django_filters.DateFilter(
        label=_("Published on or after"),
        field_name="article__first_published_at",
        lookup_expr="date__gte",
        widget=AdminDateInput,
    )
    published_to = django_filters.DateFilter(
        label=_("Published on or before"),
        field_name="article__first_published_at",
        lookup_expr="date__lte",
        widget=AdminDateInput,
    )

    class Meta:
        model = ReactionTotals
        fields = []


class ReactionReportView(ReportView):
    page_title = _("Reader reactions")
    header_icon = "pick"
    model = None  # no Wagtail permission policy; dispatch() checks REPORT_PERMISSION
    filterset_class = ReactionReportFilterSet
    index_url_name = "reactions_report"
    index_results_url_name = "reactions_report_results"
    export_filename = "reader-reactions"
    default_ordering = "-share"
    columns = [
        TitleColumn(
            "title",
            label=_("Article"),
            accessor="article.title",
            get_url=lambda totals: reverse("wagtailadmin_pages:edit", args=[totals.article_id]),
        ),
        Column("section_title", label=_("Section")),
        DateColumn("published", label=_("Published"), accessor="article.first_published_at", sort_key="published"),
        Column("yes", label=_("Yes"), sort_key="yes"),
        Column("no", label=_("No"), sort_key="no"),
        Column("total", label=_("Votes"), sort_key="total"),
        Column("share_percent", label=_("Share of yes"), sort_key="share"),
    ]
    list_export = [
        "article.title",
        "section_title",
        "article.first_published_at",
        "yes",
        "no",
        "total",
        "share_percent",
    ]
    export_headings = {
        "article.title": _("Article"),
        "section_title": _("Section"),
        "article.first_published_at": _("Published"),
        "yes": _("Yes"),
        "no": _("No"),
        "total": _("Votes"),
        "share_percent": _("Share of yes (%)"),
    }

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(REPORT_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        # The section is the article's parent page: its path is the article's minus one step.
        parent_path = Substr(OuterRef("article__path"), 1, Length(OuterRef("article__path")) - Page.steplen)
        section_title = Page.objects.filter(path=parent_path).values("title")[:1]
        return (
            ReactionTotals.objects.with_share()
            .filter(total__gt=0)
            .select_related("article")
            .annotate(section_title=Subquery(section_title), published=F("article__first_published_at"))
        )

    def order_queryset(self, queryset):
        # Ties (same share) go to the article more readers answered, then the newest.
        queryset = super().order_queryset(queryset)
        return queryset.order_by(*queryset.query.order_by, "-total", "-article_id")

    def decorate_paginated_queryset(self, object_list):
        for totals in object_list:
            totals.share_percent = round(totals.share)
        return object_list
