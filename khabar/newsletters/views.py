"""Reader endpoints: subscribe (a form on cached pages), confirm, unsubscribe, privacy export/delete.

The signup form sits on cached pages, so its POST uses ``cached_form_csrf``. The unsubscribe POST
needs no CSRF token: the signed token in its URL is the proof, and a mail client's RFC 8058
one-click POST carries no cookie or token. Every answer here is per-reader and never stored.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail.models import Locale

from khabar.core import http
from khabar.core.csrf import cached_form_csrf
from khabar.core.http import private, wants_json
from khabar.core.ratelimit import hit, ip_hash
from khabar.news.models import SectionPage
from khabar.newsletters import messages, tokens
from khabar.newsletters.forms import PrivacyRequestForm, SignupForm
from khabar.newsletters.models import Status, Subscriber, new_secret

MAX_BODY_BYTES = 16 * 1024
limit_body = http.limit_body(MAX_BODY_BYTES, gettext_lazy("This submission is too large."))


def _language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def answer(request: HttpRequest, message, status: int = 200, **extra) -> HttpResponse:
    if wants_json(request):
        key = "message" if status < 400 else "error"
        return private(JsonResponse({key: str(message)}, status=status))
    context = {"message": message, "failed": status >= 400, **extra}
    return private(render(request, "newsletters/message.html", context, status=status))


def _form_page(request: HttpRequest, form: SignupForm, status: int, notice: str = "") -> HttpResponse:
    if wants_json(request):
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        return private(JsonResponse({"errors": errors, "error": notice}, status=status))
    context = {"form": form, "notice": notice, "post_url": reverse("newsletters:subscribe")}
    return private(render(request, "newsletters/signup_page.html", context, status=status))


def _too_many(request: HttpRequest, email: str) -> int:
    """Seconds to wait when this address (by IP hash) or this email signs up too often, else 0."""
    limits = (
        ("newsletter-ip", ip_hash(request), settings.KHABAR_NEWSLETTER_SIGNUPS_PER_HOUR),
        ("newsletter-email", email, 3),
    )
    for scope, key, limit in limits:
        verdict = hit(scope, key, limit=limit, window=3600)
        if not verdict.allowed:
            return verdict.retry_after
    return 0


@require_GET
def signup_form(request: HttpRequest) -> HttpResponse:
    """The form on a page of its own (a link from emails, and where errors are shown without JavaScript)."""
    return _form_page(request, SignupForm(language=_language()), 200)


@limit_body
@cached_form_csrf
@require_POST
def subscribe(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST, language=_language())
    if not form.is_valid():
        return _form_page(request, form, 400)
    data = form.cleaned_data
    email = data["email"].strip().lower()
    wait = _too_many(request, email)
    if wait:
        minutes = max(1, round(wait / 60))
        response = _form_page(request, form, 429, messages.TOO_MANY % {"minutes": minutes})
        response["Retry-After"] = str(wait)
        return response
    locale = Locale.objects.filter(language_code=data["edition"]).first()
    if locale is None:
        form.add_error("edition", _("This edition is not available."))
        return _form_page(request, form, 400)
    sections = list(SectionPage.objects.filter(pk__in=data["sections"], locale=locale).values_list("pk", flat=True))
    if len(sections) != len(set(data["sections"])):
        form.add_error("sections", _("Choose sections of the edition you subscribe to."))
        return _form_page(request, form, 400)
    subscriber = _subscriber(email, locale)
    choices = tokens.Choices(data["daily"], data["sections_digest"], data["alerts"], sections)
    from khabar.newsletters.tasks import send_confirmation

    send_confirmation.enqueue(subscriber.pk, tokens.confirm_token(subscriber, choices))
    # The same answer for a new and a known address: the form tells nobody who subscribes.
    return answer(request, messages.CHECK_INBOX)


def _subscriber(email: str, locale: Locale) -> Subscriber:
    try:
        with transaction.atomic():
            return Subscriber.objects.get_or_create(email=email, locale=locale)[0]
    except IntegrityError:  # two sign-ups raced: the other one made the row
        return Subscriber.objects.get(email=email, locale=locale)


@require_GET
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscriber, nonce, choices = tokens.read_confirm(token)
    except tokens.Expired:
        return answer(request, messages.EXPIRED, 400)
    except tokens.Invalid:
        return answer(request, messages.INVALID, 400)
    if nonce != subscriber.confirm_nonce:
        if subscriber.status == Status.CONFIRMED:
            return answer(request, messages.ALREADY_CONFIRMED)
        return answer(request, messages.INVALID, 400)
    sections = SectionPage.objects.filter(pk__in=choices.sections, locale_id=subscriber.locale_id)
    with transaction.atomic():
        subscriber.daily, subscriber.sections_digest, subscriber.alerts = (
            choices.daily,
            choices.sections_digest,
            choices.alerts,
        )
        subscriber.status = Status.CONFIRMED
        subscriber.confirmed_at = timezone.now()
        subscriber.unsubscribed_at = subscriber.bounced_at = None
        subscriber.last_error = ""
        subscriber.confirm_nonce = new_secret()
        subscriber.save()
        subscriber.sections.set(sections)
    return answer(request, messages.CONFIRMED, subscriber=subscriber)


@csrf_exempt  # the signed token is the proof; RFC 8058 one-click POSTs carry no CSRF token
@limit_body
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscriber = tokens.read_unsubscribe(token)
    except tokens.Invalid:
        return answer(request, messages.INVALID, 400)
    if request.method == "GET":
        # A GET never unsubscribes: mail scanners and link previews follow links.
        context = {"subscriber": subscriber, "action": request.path}
        return private(render(request, "newsletters/unsubscribe.html", context))
    if subscriber.status == Status.UNSUBSCRIBED:
        return answer(request, messages.ALREADY_UNSUBSCRIBED)
    Subscriber.objects.filter(pk=subscriber.pk).update(status=Status.UNSUBSCRIBED, unsubscribed_at=timezone.now())
    return answer(request, messages.UNSUBSCRIBED)


# --- Privacy: download or delete one's subscriptions ------------------------------


@limit_body
@require_http_methods(["GET", "POST"])
def privacy_request(request: HttpRequest) -> HttpResponse:
    from khabar.newsletters.tasks import send_privacy_link

    form = PrivacyRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verdict = hit("newsletter-privacy", ip_hash(request), limit=5, window=3600)
        if not verdict.allowed:
            return answer(request, messages.TOO_MANY % {"minutes": max(1, round(verdict.retry_after / 60))}, 429)
        email = form.cleaned_data["email"].strip().lower()
        if Subscriber.objects.for_email(email).exists():
            link = request.build_absolute_uri(reverse("newsletters:privacy_manage", args=[tokens.privacy_token(email)]))
            send_privacy_link.enqueue(email, link)
        return answer(request, messages.PRIVACY_SENT)
    status = 400 if request.method == "POST" else 200
    return private(render(request, "newsletters/privacy_request.html", {"form": form}, status=status))


def _privacy_email(token: str) -> str | None:
    try:
        return tokens.read_privacy(token)
    except (tokens.Expired, tokens.Invalid):
        return None


@require_GET
def privacy_manage(request: HttpRequest, token: str) -> HttpResponse:
    email = _privacy_email(token)
    if email is None:
        return answer(request, messages.PRIVACY_EXPIRED, 400)
    subscribers = Subscriber.objects.for_email(email).select_related("locale")
    context = {"email": email, "subscribers": subscribers, "token": token}
    return private(render(request, "newsletters/privacy_manage.html", context))


def subscriber_data(email: str) -> dict:
    rows = Subscriber.objects.for_email(email).select_related("locale").prefetch_related("sections")
    rows = rows.prefetch_related("deliveries__issue")
    return {
        "subscriptions": [
            {
                "email": row.email,
                "edition": row.locale.language_code,
                "status": row.status,
                "daily_digest": row.daily,
                "section_digest": row.sections_digest,
                "sections": [section.title for section in row.sections.all()],
                "breaking_news_alerts": row.alerts,
                "signed_up": row.created_at.isoformat(),
                "confirmed": row.confirmed_at.isoformat() if row.confirmed_at else None,
                "emails": [
                    {"subject": d.issue.subject, "state": d.state, "sent": d.sent_at.isoformat() if d.sent_at else None}
                    for d in row.deliveries.all()
                ],
            }
            for row in rows
        ]
    }


@require_GET
def privacy_export(request: HttpRequest, token: str) -> HttpResponse:
    email = _privacy_email(token)
    if email is None:
        return answer(request, messages.PRIVACY_EXPIRED, 400)
    body = json.dumps(subscriber_data(email), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="my-newsletters.json"'
    return private(response)


@require_POST
def privacy_delete(request: HttpRequest, token: str) -> HttpResponse:
    email = _privacy_email(token)
    if email is None:
        return answer(request, messages.PRIVACY_EXPIRED, 400)
    Subscriber.objects.for_email(email).delete()
    return answer(request, messages.DELETED)
