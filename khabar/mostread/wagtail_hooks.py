"""Admin wiring: the "Most read" report under Reports, next to "Reader reactions"."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .reports import REPORT_PERMISSION, MostReadReportView


class MostReadReportMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.has_perm(REPORT_PERMISSION)


@hooks.register("register_admin_urls")
def register_most_read_report_urls():
    return [
        path("reports/most-read/", MostReadReportView.as_view(), name="mostread_report"),
        path(
            "reports/most-read/results/", MostReadReportView.as_view(results_only=True), name="mostread_report_results"
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_most_read_report_menu_item():
    return MostReadReportMenuItem(
        _("Most read"), reverse("mostread_report"), name="most-read", icon_name="view", order=1001
    )
