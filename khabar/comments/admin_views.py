"""The moderation queue in the Wagtail admin (needs ``comments.moderate_comment``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from khabar.comments import moderation
from khabar.comments.forms import BanForm
from khabar.comments.models import BannedCommenter, Comment, ModerationDecision, Status
from khabar.comments.rules import RULE_LABELS, rule_detail

PER_PAGE = 50
TABS = [
    ("pending", gettext_lazy("Pending")),
    ("reported", gettext_lazy("Reported")),
    ("approved", gettext_lazy("Approved")),
    ("rejected", gettext_lazy("Rejected")),
    ("spam", gettext_lazy("Spam")),
]
ACTIONS = {
    "approve": ModerationDecision.Action.APPROVE,
    "reject": ModerationDecision.Action.REJECT,
    "spam": ModerationDecision.Action.SPAM,
    "feature": ModerationDecision.Action.FEATURE,
    "unfeature": ModerationDecision.Action.UNFEATURE,
}


# Wagtail's admin shows its own "permission denied" page for the PermissionDenied this raises.
moderator_required = permission_required("comments.moderate_comment", raise_exception=True)


def tab_filter(tab: str) -> Q:
    if tab == "pending":
        return Q(status=Status.PENDING, is_reported=False)
    if tab == "reported":
        return Q(status=Status.PENDING, is_reported=True)
    return Q(status=tab)


def tab_counts() -> dict[str, int]:
    return Comment.objects.aggregate(**{tab: Count("pk", filter=tab_filter(tab)) for tab, _label in TABS})


def history_for(emails: set[str]) -> dict[str, dict]:
    """Each commenter's approved and refused counts, for every email on the page in one query."""
    rows = (
        Comment.objects.filter(email__in=emails)
        .values("email")
        .annotate(
            approved=Count("pk", filter=Q(status=Status.APPROVED)),
            rejected=Count("pk", filter=Q(status__in=[Status.REJECTED, Status.SPAM])),
        )
    )
    return {row["email"]: row for row in rows}


@moderator_required
def queue(request: HttpRequest) -> HttpResponse:
    tab = request.GET.get("tab", "pending")
    if tab not in dict(TABS):
        tab = "pending"
    comments = (
        Comment.objects.filter(tab_filter(tab))
        .select_related("article", "parent")
        .order_by("created_at" if tab in ("pending", "reported") else "-created_at", "id")
    )
    page = Paginator(comments, PER_PAGE).get_page(request.GET.get("page"))
    history = history_for({c.email for c in page.object_list})
    for comment in page.object_list:
        comment.history = history.get(comment.email, {"approved": 0, "rejected": 0})
        comment.fired = [
            {
                "label": RULE_LABELS.get(f.get("rule"), f.get("rule")),
                "detail": rule_detail(f.get("rule", ""), f.get("detail", "")),
            }
            for f in comment.rules or []
        ]
    counts = tab_counts()
    context = {
        "tab": tab,
        "tabs": [(key, label, counts[key]) for key, label in TABS],
        "page": page,
        "act_url": reverse("comments_admin:act"),
    }
    return render(request, "comments/admin/queue.html", context)


@moderator_required
@require_POST
def act(request: HttpRequest) -> HttpResponse:
    tab = request.POST.get("tab", "pending")
    row = request.POST.get("row_action", "")
    if row:  # a single row's button: "approve:42"
        action, _sep, pk = row.partition(":")
        ids = [pk]
        reason = request.POST.get(f"reason_{pk}", "") or request.POST.get("reason", "")
    else:
        action = request.POST.get("action", "")
        ids = request.POST.getlist("ids")
        reason = request.POST.get("reason", "")
    if action not in ACTIONS:
        return HttpResponseBadRequest(_("Unknown moderation action."))
    try:
        pks = [int(pk) for pk in ids]
    except ValueError:
        return HttpResponseBadRequest(_("Bad comment id."))
    if not pks:
        messages.warning(request, _("Select at least one comment."))
        return redirect(f"{reverse('comments_admin:queue')}?tab={tab}")
    done = moderation.decide(
        Comment.objects.filter(pk__in=pks), ACTIONS[action], user=request.user, reason=reason[:300]
    )
    messages.success(
        request,
        ngettext("%(count)s comment: %(action)s.", "%(count)s comments: %(action)s.", done)
        % {"count": done, "action": ACTIONS[action].label},
    )
    return redirect(f"{reverse('comments_admin:queue')}?tab={tab}")


@moderator_required
@require_http_methods(["GET", "POST"])
def ban(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("article"), pk=comment_id)
    form = BanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        moderation.ban(
            comment.email,
            form.cleaned_data["reason"],
            user=request.user,
            days=form.cleaned_data["days"],
            comment=comment,
        )
        messages.success(request, _("The commenter is banned."))
        return redirect(reverse("comments_admin:queue"))
    return render(request, "comments/admin/ban.html", {"comment": comment, "form": form})


@moderator_required
@require_http_methods(["GET", "POST"])
def bans(request: HttpRequest) -> HttpResponse:
    """Active and expired bans; a moderator can lift one (recorded in the audit trail)."""
    if request.method == "POST":
        banned = get_object_or_404(BannedCommenter, pk=request.POST.get("lift") or 0)
        moderation.lift_ban(banned, user=request.user)
        messages.success(request, _("The ban is lifted."))
        return redirect(reverse("comments_admin:bans"))
    page = Paginator(BannedCommenter.objects.select_related("banned_by").order_by("-created_at"), PER_PAGE)
    return render(request, "comments/admin/bans.html", {"page": page.get_page(request.GET.get("page"))})


@moderator_required
def audit(request: HttpRequest) -> HttpResponse:
    decisions = ModerationDecision.objects.select_related("user", "comment", "comment__article")
    page = Paginator(decisions, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "comments/admin/audit.html", {"page": page})
