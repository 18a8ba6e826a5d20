"""Admin wiring: newsletters as snippets, the subscriber report, and "Send alert" on an article."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from khabar.newsletters import admin_views
from khabar.newsletters.models import SEND_ALERT, Newsletter


class NewsletterViewSet(SnippetViewSet):
    model = Newsletter
    icon = "mail"
    menu_label = _("Newsletters")
    add_to_admin_menu = False
    list_display = ["name", "locale", "kind", "send_time", "active"]
    list_filter = ["locale", "kind", "active"]


register_snippet(NewsletterViewSet)


class SubscriberMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.has_perm(admin_views.VIEW_SUBSCRIBERS)


class SendAlertButton(PageMenuItem):
    label = _("Send alert")
    icon_name = "mail"
    url_name = "newsletters_alert"
    priority = 66

    def is_shown(self, user) -> bool:
        from khabar.news.models import ArticlePage

        return user.has_perm(SEND_ALERT) and isinstance(self.page.specific_deferred, ArticlePage) and self.page.live


@hooks.register("register_page_header_buttons")
def page_header_buttons(page, user, view_name, next_url=None):
    yield SendAlertButton(page=page)


@hooks.register("register_admin_urls")
def register_newsletter_urls():
    return [
        path("newsletters/alert/<int:page_id>/", admin_views.alert, name="newsletters_alert"),
        path("newsletters/alert/<int:page_id>/preview/", admin_views.alert_preview, name="newsletters_alert_preview"),
        path("reports/subscribers/", admin_views.SubscriberReportView.as_view(), name="newsletters_subscribers"),
        path(
            "reports/subscribers/results/",
            admin_views.SubscriberReportView.as_view(results_only=True),
            name="newsletters_subscribers_results",
        ),
        path(
            "reports/subscribers/<int:subscriber_id>/delete/",
            admin_views.delete_subscriber,
            name="newsletters_subscriber_delete",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_subscriber_menu_item():
    return SubscriberMenuItem(
        _("Newsletter subscribers"),
        reverse("newsletters_subscribers"),
        name="newsletter-subscribers",
        icon_name="mail",
        order=1100,
    )
