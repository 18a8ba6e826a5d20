"""Admin wiring: the "Reader reactions" report under Reports."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .reports import REPORT_PERMISSION, ReactionReportView


class ReactionReportMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.has_perm(REPORT_PERMISSION)


@hooks.register("register_admin_urls")
def register_reaction_report_urls():
    return [
        path("reports/reactions/", ReactionReportView.as_view(), name="reactions_report"),
        path(
            "reports/reactions/results/",
            ReactionReportView.as_view(results_only=True),
            name="reactions_report_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_reaction_report_menu_item():
    return ReactionReportMenuItem(
        _("Reader reactions"), reverse("reactions_report"), name="reader-reactions", icon_name="pick", order=1000
    )
