"""Staff views: send a breaking-news alert for one article (preview, test send, send once), the
subscriber list per newsletter and edition with a formula-safe CSV export, and deleting a subscriber."""

from __future__ import annotations

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Locale

from khabar.news.models import ArticlePage
from khabar.newsletters.models import SEND_ALERT, Issue, Kind, Newsletter, Status, Subscriber
from khabar.newsletters.sending import build_message, stories

VIEW_SUBSCRIBERS = "newsletters.view_subscriber"
DELETE_SUBSCRIBER = "newsletters.delete_subscriber"


# --- Breaking-news alert --------------------------------------------------------


def alert_newsletter(article: ArticlePage) -> Newsletter | None:
    return Newsletter.objects.filter(locale_id=article.locale_id, kind=Kind.ALERTS, active=True).first()


def _draft_issue(newsletter: Newsletter, article: ArticlePage, user) -> Issue:
    return Issue(newsletter=newsletter, article=article, subject=article.title, article_ids=[article.pk], sent_by=user)


def _preview_subscriber(newsletter: Newsletter, email: str) -> Subscriber:
    # Never saved: its links are signed for an id no subscriber has, so they go nowhere.
    return Subscriber(pk=0, email=email, locale=newsletter.locale, secret="preview")  # noqa: S106 (not a password)


@require_http_methods(["GET", "POST"])
def alert(request, page_id: int):
    if not request.user.has_perm(SEND_ALERT):
        raise PermissionDenied
    article = get_object_or_404(ArticlePage.objects.published().select_related("locale"), pk=page_id)
    newsletter = alert_newsletter(article)
    sent = Issue.objects.filter(newsletter=newsletter, article=article).select_related("sent_by").first()
    if request.method == "POST" and newsletter is not None:
        return _alert_action(request, article, newsletter, sent)
    context = {
        "article": article,
        "newsletter": newsletter,
        "sent": sent,
        "receivers": Subscriber.objects.receiving(newsletter).count() if newsletter else 0,
        "preview_url": reverse("newsletters_alert_preview", args=[article.pk]),
    }
    return TemplateResponse(request, "newsletters/admin/alert.html", context)


def _alert_action(request, article, newsletter, sent):
    from khabar.newsletters.tasks import start_issue

    if request.POST.get("action") == "test":
        if not request.user.email:
            messages.error(request, _("Your account has no email address to send the test to."))
        else:
            message = build_message(
                _draft_issue(newsletter, article, request.user),
                _preview_subscriber(newsletter, request.user.email),
                stories([article.pk]),
            )
            message.subject = _("[Test] %(subject)s") % {"subject": message.subject}
            get_connection().send_messages([message])
            messages.success(request, _("A test was sent to %(email)s.") % {"email": request.user.email})
        return redirect("newsletters_alert", article.pk)
    if sent is not None:
        messages.error(request, _("This article's alert was already sent. It cannot be sent twice."))
        return redirect("newsletters_alert", article.pk)
    try:
        with transaction.atomic():
            issue = _draft_issue(newsletter, article, request.user)
            issue.save()
    except IntegrityError:
        messages.error(request, _("This article's alert was already sent. It cannot be sent twice."))
        return redirect("newsletters_alert", article.pk)
    count = start_issue(issue)
    messages.success(request, _("The alert is being sent to %(count)s subscribers.") % {"count": count})
    return redirect("newsletters_alert", article.pk)


def alert_preview(request, page_id: int):
    """The alert's HTML exactly as subscribers will get it (shown in a sandboxed frame)."""
    if not request.user.has_perm(SEND_ALERT):
        raise PermissionDenied
    article = get_object_or_404(ArticlePage.objects.published().select_related("locale"), pk=page_id)
    newsletter = alert_newsletter(article)
    if newsletter is None:
        raise PermissionDenied
    message = build_message(
        _draft_issue(newsletter, article, request.user),
        _preview_subscriber(newsletter, request.user.email or "preview@example.org"),
        stories([article.pk]),
    )
    response = HttpResponse(message.alternatives[0].content, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src *; style-src 'unsafe-inline'"
    return response


# --- Subscribers ------------------------------------------------------------------


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """A spreadsheet never runs a cell as a formula: text starting with one of =+-@ is quoted."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


class SubscriberFilterSet(WagtailFilterSet):
    locale = django_filters.ModelChoiceFilter(label=gettext_lazy("Edition"), queryset=Locale.objects.all())
    newsletter = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Newsletter"), queryset=Newsletter.objects.select_related("locale"), method="by_newsletter"
    )
    status = django_filters.ChoiceFilter(label=gettext_lazy("Status"), choices=Status.choices)

    class Meta:
        model = Subscriber
        fields = []

    def by_newsletter(self, queryset, name, newsletter):
        if not newsletter:
            return queryset
        wanted = {Kind.DAILY: "daily", Kind.SECTIONS: "sections_digest", Kind.ALERTS: "alerts"}[newsletter.kind]
        return queryset.filter(locale_id=newsletter.locale_id, **{wanted: True})


class SubscriberReportView(ReportView):
    page_title = gettext_lazy("Newsletter subscribers")
    header_icon = "mail"
    model = None  # dispatch() checks the permission
    filterset_class = SubscriberFilterSet
    index_url_name = "newsletters_subscribers"
    index_results_url_name = "newsletters_subscribers_results"
    export_filename = "newsletter-subscribers"
    default_ordering = "-created_at"
    columns = [
        TitleColumn(
            "email",
            label=gettext_lazy("Email"),
            get_url=lambda row: reverse("newsletters_subscriber_delete", args=[row.pk]),
        ),
        Column("edition", label=gettext_lazy("Edition"), accessor="locale.language_code"),
        Column("status", label=gettext_lazy("Status"), accessor="get_status_display"),
        Column("wanted", label=gettext_lazy("Newsletters")),
        DateColumn("created_at", label=gettext_lazy("Signed up"), sort_key="created_at"),
        DateColumn("confirmed_at", label=gettext_lazy("Confirmed")),
    ]
    list_export = ["email", "locale.language_code", "status", "wanted", "created_at", "confirmed_at"]
    export_headings = {
        "email": gettext_lazy("Email"),
        "locale.language_code": gettext_lazy("Edition"),
        "status": gettext_lazy("Status"),
        "wanted": gettext_lazy("Newsletters"),
        "created_at": gettext_lazy("Signed up"),
        "confirmed_at": gettext_lazy("Confirmed"),
    }

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VIEW_SUBSCRIBERS):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return Subscriber.objects.select_related("locale")

    def decorate_paginated_queryset(self, object_list):
        for row in object_list:
            row.wanted = ", ".join(row.wants())
        return object_list

    def to_row_dict(self, item):
        item.wanted = "; ".join(item.wants())
        return super().to_row_dict(item)

    def write_csv_row(self, writer, row_dict):
        # Wagtail guards XLSX cells against formulas but not CSV ones: readers chose these addresses.
        return writer.writerow({field: safe_cell(value) for field, value in row_dict.items()})


@require_http_methods(["GET", "POST"])
def delete_subscriber(request, subscriber_id: int):
    if not request.user.has_perm(DELETE_SUBSCRIBER):
        raise PermissionDenied
    subscriber = get_object_or_404(Subscriber.objects.select_related("locale"), pk=subscriber_id)
    if request.method == "POST":
        subscriber.delete()  # its deliveries go with it
        messages.success(request, _("The subscriber and their history were deleted."))
        return redirect("newsletters_subscribers")
    return TemplateResponse(request, "newsletters/admin/delete_subscriber.html", {"subscriber": subscriber})
