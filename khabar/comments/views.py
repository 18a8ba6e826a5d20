"""Reader endpoints: post, load more, report, and the privacy export/delete.

Forms sit on cached article pages, so POST endpoints use ``cached_form_csrf``. Every response
here is per-reader or per-request and is marked ``no-store``. JavaScript asks for JSON
(``Accept: application/json``); without JavaScript the same endpoints answer with a page.
"""

from __future__ import annotations

import json
from datetime import timedelta
from functools import cache

from django.core import signing
from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from khabar.comments import moderation, rules, text
from khabar.comments.config import policy_url, reader_config
from khabar.comments.forms import CommentForm, PrivacyRequestForm, ReportForm
from khabar.comments.models import MAX_LENGTH, Comment, CommentSettings, Mode, Status
from khabar.comments.spam import Submission
from khabar.comments.thread import BadCursor, thread_page
from khabar.core import http
from khabar.core.csrf import cached_form_csrf
from khabar.core.http import private, wants_json
from khabar.core.links import page_link
from khabar.core.ratelimit import hit, ip_hash, too_many_requests
from khabar.core.staff import verified_staff
from khabar.lib.ids import parse_id
from khabar.news.models import ArticlePage
from khabar.news.views import published_article

MAX_BODY_BYTES = 64 * 1024  # a 1,500-character comment in any script fits many times over
DUPLICATE_WINDOW = timedelta(minutes=10)
PRIVACY_MAX_AGE = 60 * 60 * 24 * 2  # the emailed link works for two days
PRIVACY_SALT = "khabar.comments.privacy"


def status_message(status: str) -> str:
    # Spam is reported as held: it is, in the Spam tab, and the reader learns nothing about our heuristics.
    messages = {
        Status.APPROVED: _("Thank you. Your comment is published."),
        Status.PENDING: _("Thank you. Your comment is held for review and will appear once a moderator approves it."),
        Status.SPAM: _("Thank you. Your comment is held for review and will appear once a moderator approves it."),
        Status.REJECTED: _("Your comment was not published because it does not follow our Comment Policy."),
    }
    return messages[status]


BANNED_MESSAGE = gettext_lazy(
    "Your comment was not published: this email address may no longer comment here. "
    "If you think this is a mistake, contact the newsroom."
)


def message_for(comment: Comment) -> str:
    # A banned reader is told the truth (as Coral Talk does), not that a moderator will look.
    if comment.status == Status.REJECTED and any(f.get("rule") == "banned_commenter" for f in comment.rules or []):
        return str(BANNED_MESSAGE)
    return status_message(comment.status)


def public_status(status: str) -> str:
    return Status.PENDING if status == Status.SPAM else status


def refuse(request: HttpRequest, message: str, status: int) -> HttpResponse:
    if wants_json(request):
        return private(JsonResponse({"error": message}, status=status))
    return private(render(request, "comments/message.html", {"message": message}, status=status))


# Refuse oversized bodies before anything reads them (413), whatever the CSRF layer does next.
limit_body = http.limit_body(MAX_BODY_BYTES, gettext_lazy("This submission is too large."))


def is_moderator(request: HttpRequest) -> bool:
    """A moderator whose session counts as staff (second factor done): their comments skip the rules."""
    user = verified_staff(request)
    return bool(user and user.has_perm("comments.moderate_comment"))


# --- Posting -----------------------------------------------------------------


def _form_page(request, article, form, status: int, notice: str = "") -> HttpResponse:
    """The no-JavaScript answer to a bad submission: the form again, errors shown, text kept, never cached."""
    context = {
        "article": article,
        "form": form,
        "notice": notice,
        "post_url": post_url(article),
        "policy_url": policy_url(article),
        "max_length": MAX_LENGTH,
    }
    return private(render(request, "comments/form_page.html", context, status=status))


def post_url(article: ArticlePage) -> str:
    return reverse("comments:post", args=[article.pk])


def _invalid(request, article, form, status: int = 400, notice: str = "") -> HttpResponse:
    if wants_json(request):
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        return private(JsonResponse({"errors": errors, "message": notice}, status=status))
    return _form_page(request, article, form, status, notice)


def _existing_submission(article: ArticlePage, data: dict) -> Comment | None:
    """The comment a double click or a resubmission already stored, if any (one query).

    The two ways to recognise it (the same sender, article and text within the window; the same
    submission key) are asked as a UNION, each answered by its own index: as one OR, SQLite scanned
    every comment, a quarter of a second a post at 1,000,000. Written as SQL because building the
    UNION with the ORM cost more than running it, on every post."""
    params = [data["email"], article.pk, text.fingerprint(data["body"])]
    params.append(connection.ops.adapt_datetimefield_value(timezone.now() - DUPLICATE_WINDOW))
    if data["key"]:
        params.append(data["key"])
    found = list(Comment.objects.raw(_existing_sql(bool(data["key"])), params))
    return found[0] if found else None


@cache
def _existing_sql(with_key: bool) -> str:
    table = Comment._meta.db_table  # table names come from the model; every value is a parameter
    sql = (
        f"SELECT * FROM {table} WHERE LOWER(email) = LOWER(%s) AND article_id = %s"  # noqa: S608
        " AND body_hash = %s AND created_at >= %s"
    )
    if with_key:
        sql += f" UNION ALL SELECT * FROM {table} WHERE submission_key = %s"  # noqa: S608
    return sql + " LIMIT 1"


def _parent(article: ArticlePage, parent_id: int | None) -> Comment | None:
    if not parent_id:
        return None
    parent = Comment.objects.filter(pk=parent_id, article=article, status=Status.APPROVED).first()
    if parent and parent.parent_id:
        # Replies are one level deep: a reply to a reply joins its thread.
        parent = parent.parent
    return parent


def _too_fast(request, config: CommentSettings, email: str) -> int:
    """Seconds to wait when this reader (by IP hash or by email) posts too often, else 0."""
    limit = config.posts_per_ten_minutes or 1
    for scope, key in (("comment-ip", ip_hash(request)), ("comment-email", email.casefold())):
        verdict = hit(scope, key, limit=limit, window=600)
        if not verdict.allowed:
            return verdict.retry_after
    return 0


def _answer(request, article, comment: Comment, form: CommentForm | None = None) -> HttpResponse:
    status = public_status(comment.status)
    message = message_for(comment)
    if wants_json(request):
        return private(JsonResponse({"status": status, "message": message}, status=200))
    if comment.status == Status.REJECTED and form is not None:
        return _form_page(request, article, form, 200, notice=message)
    context = {"article": article, "message": message, "status": status}
    return private(render(request, "comments/posted.html", context))


@limit_body
@cached_form_csrf
@require_POST
def post_comment(request: HttpRequest, article_id: int) -> HttpResponse:
    article = published_article(request, article_id)
    if article is None:
        return refuse(request, _("This article is not available for comments."), 404)
    config = reader_config()[0]  # cached; saving the settings clears it
    form = CommentForm(request.POST)
    mode = rules.effective_mode(article, config)
    if mode == Mode.CLOSED:
        return _invalid(request, article, form, 403, _("Comments are closed on this article."))
    if not form.is_valid():
        return _invalid(request, article, form)
    data = form.cleaned_data
    existing = _existing_submission(article, data)
    if existing:
        return _answer(request, article, existing, form)
    wait = _too_fast(request, config, data["email"])
    if wait:
        notice = _("You are posting too fast. Please wait %(seconds)s seconds and try again.") % {"seconds": wait}
        return _invalid(request, article, form, 429, notice)
    return _store(request, article, config, mode, form)


def _store(request, article, config, mode, form) -> HttpResponse:
    data = form.cleaned_data
    trusted = is_moderator(request)
    draft = rules.Draft(
        article_id=article.pk,
        name=data["name"],
        email=data["email"],
        body=data["body"],
        honeypot=data["website"],
        ip_hash=ip_hash(request),
        submission=Submission(
            body=data["body"],
            name=data["name"],
            email=data["email"],
            permalink=page_link(article, request),
            user_agent=request.headers.get("User-Agent", "")[:300],
            referrer=request.headers.get("Referer", "")[:300],
            ip_hash=ip_hash(request),
            language=get_language() or "",
        ),
    )
    status, findings = rules.evaluate(draft, config, mode, trusted=trusted)
    comment = Comment(
        article=article,
        parent=_parent(article, data["parent"]),
        name=data["name"],
        email=data["email"],
        body=data["body"],
        status=status,
        notify_replies=data["notify"],
        rules=[f.as_dict() for f in findings],
        ip_hash=draft.ip_hash,
        body_hash=text.fingerprint(data["body"]),
        submission_key=data["key"] or None,
        staff_author=request.user if trusted else None,
    )
    try:
        with transaction.atomic():
            comment.save()
            moderation.after_create(comment, config)
    except IntegrityError:
        # Two clicks raced past the duplicate check: the first one stored it.
        comment = Comment.objects.get(submission_key=data["key"])
    return _answer(request, article, comment, form)


@require_GET
def comment_form(request: HttpRequest, article_id: int) -> HttpResponse:
    """The form on its own page: replies and reports without JavaScript."""
    article = published_article(request, article_id)
    if article is None:
        return refuse(request, _("This article is not available for comments."), 404)
    initial = {}
    parent = _parent(article, _int(request.GET.get("parent")))
    if parent:
        initial["parent"] = parent.pk
    response = _form_page(request, article, CommentForm(initial=initial), 200)
    return response


def _int(value) -> int | None:
    return parse_id(value.strip()) if isinstance(value, str) else None


# --- Load more ----------------------------------------------------------------


@require_GET
def comment_list(request: HttpRequest, article_id: int) -> HttpResponse:
    """The next page of comments: an HTML fragment for "Load more", or a whole page without JavaScript."""
    article = published_article(request, article_id)
    if article is None:
        return refuse(request, _("This article is not available for comments."), 404)
    order = request.GET.get("order", "newest")
    try:
        page = thread_page(article.pk, order=order, after=request.GET.get("after", "")[:60])
    except BadCursor:
        return refuse(request, _("That page of comments does not exist."), 400)
    context = {"article": article, "thread": page, "list_url": reverse("comments:list", args=[article.pk])}
    template = "comments/list_fragment.html" if request.GET.get("fragment") else "comments/list_page.html"
    response = render(request, template, context)
    # The same for every reader, but nothing purges it on approval: caches must check back every time.
    response["Cache-Control"] = "public, max-age=0, must-revalidate"
    return response


# --- Reports ------------------------------------------------------------------


@limit_body
@cached_form_csrf
@require_http_methods(["GET", "POST"])
def report_comment(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = Comment.objects.filter(pk=comment_id, status=Status.APPROVED).select_related("article").first()
    if comment is None or not ArticlePage.objects.published().filter(pk=comment.article_id).exists():
        return refuse(request, _("This comment is not available."), 404)
    if request.method == "GET":
        return private(render(request, "comments/report_page.html", {"comment": comment, "form": ReportForm()}))
    form = ReportForm(request.POST)
    if not form.is_valid():
        if wants_json(request):
            errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
            return private(JsonResponse({"errors": errors}, status=400))
        return private(render(request, "comments/report_page.html", {"comment": comment, "form": form}, status=400))
    verdict = hit("comment-report", ip_hash(request), limit=20, window=3600)
    if not verdict.allowed:
        if wants_json(request):
            return private(JsonResponse({"error": _("Too many reports. Please try later.")}, status=429))
        return too_many_requests(request, verdict.retry_after)
    moderation.report(comment, form.cleaned_data["reason"], form.cleaned_data["note"], ip_hash(request))
    message = _("Thank you. Our moderators will look at this comment.")
    if wants_json(request):
        return private(JsonResponse({"message": message}))
    return private(render(request, "comments/message.html", {"message": message, "article": comment.article}))


# --- Privacy: export or delete one's comments ----------------------------------


def _newest_comment_id(email: str) -> int:
    return Comment.objects.for_email(email).order_by("-pk").values_list("pk", flat=True).first() or 0


def privacy_token(email: str) -> str:
    """A signed link for the comments this email has *now*: once they are deleted the link is dead."""
    email = email.casefold()
    return signing.TimestampSigner(salt=PRIVACY_SALT).sign(f"{email}|{_newest_comment_id(email)}")


def _email_from(token: str) -> str | None:
    try:
        value = signing.TimestampSigner(salt=PRIVACY_SALT).unsign(token, max_age=PRIVACY_MAX_AGE)
    except signing.BadSignature:
        return None
    email, _sep, newest = value.rpartition("|")
    # After a delete (or a newer comment) the newest id differs: the reader asks for a fresh link.
    if not email or newest != str(_newest_comment_id(email)):
        return None
    return email


@limit_body
@require_http_methods(["GET", "POST"])
def privacy_request(request: HttpRequest) -> HttpResponse:
    from khabar.comments.tasks import send_privacy_link

    form = PrivacyRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verdict = hit("comment-privacy", ip_hash(request), limit=5, window=3600)
        if not verdict.allowed:
            return too_many_requests(request, verdict.retry_after)
        email = form.cleaned_data["email"]
        if Comment.objects.for_email(email).exists():
            link = request.build_absolute_uri(reverse("comments:privacy_manage", args=[privacy_token(email)]))
            send_privacy_link.enqueue(email, link)
        # The same answer either way: this page must not tell strangers who has commented.
        message = _("If we hold comments from that address, we have emailed it a link to export or delete them.")
        return private(render(request, "comments/message.html", {"message": message}))
    return private(render(request, "comments/privacy_request.html", {"form": form}))


@require_GET
def privacy_manage(request: HttpRequest, token: str) -> HttpResponse:
    email = _email_from(token)
    if email is None:
        return refuse(request, _("This link has expired or is not valid. Please ask for a new one."), 400)
    count = Comment.objects.for_email(email).count()
    context = {"email": email, "count": count, "token": token}
    return private(render(request, "comments/privacy_manage.html", context))


@require_GET
def privacy_export(request: HttpRequest, token: str) -> HttpResponse:
    email = _email_from(token)
    if email is None:
        return refuse(request, _("This link has expired or is not valid. Please ask for a new one."), 400)
    rows = Comment.objects.for_email(email).select_related("article").order_by("created_at")
    data = [
        {
            "article": row.article.title,
            "url": page_link(row.article, request),
            "name": row.name,
            "email": row.email,
            "comment": row.body,
            "status": row.status,
            "posted": row.created_at.isoformat(),
        }
        for row in rows
    ]
    response = HttpResponse(
        json.dumps({"comments": data}, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="my-comments.json"'
    return private(response)


@require_POST
def privacy_delete(request: HttpRequest, token: str) -> HttpResponse:
    email = _email_from(token)
    if email is None:
        return refuse(request, _("This link has expired or is not valid. Please ask for a new one."), 400)
    deleted = moderation.erase(Comment.objects.for_email(email), reason="privacy request")
    message = ngettext(
        "Your %(count)s comment has been deleted.", "Your %(count)s comments have been deleted.", deleted
    ) % {"count": deleted}
    return private(render(request, "comments/message.html", {"message": message}))
