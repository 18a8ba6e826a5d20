"""Email sent by the task worker (django.tasks): confirmations, privacy links, issues in batches."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Max
from django.tasks import default_task_backend, task
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from khabar.newsletters.models import Delivery, Issue, Subscriber


@task
def send_confirmation(subscriber_id: int, token: str) -> bool:
    from khabar.newsletters.sending import edition_link

    subscriber = Subscriber.objects.select_related("locale").filter(pk=subscriber_id).first()
    if subscriber is None:
        return False
    language = subscriber.locale.language_code
    link = edition_link(language, "confirm", token)
    with translation.override(language):
        subject = _("Confirm your subscription to %(site)s") % {"site": settings.SITE_NAME}
        body = render_to_string("newsletters/email/confirm.txt", {"link": link, "site_name": settings.SITE_NAME})
    send_mail(subject, body, settings.KHABAR_NEWSLETTER_FROM_EMAIL, [subscriber.email])
    return True


@task
def send_privacy_link(email: str, link: str) -> None:
    send_mail(
        _("Your newsletter subscriptions: confirm your email"),
        render_to_string("newsletters/email/privacy_link.txt", {"link": link}),
        settings.KHABAR_NEWSLETTER_FROM_EMAIL,
        [email],
    )


def start_issue(issue: Issue) -> int:
    """Record a delivery for every subscriber of the issue's newsletter and enqueue one task per batch."""
    if issue.skipped:
        return 0
    receivers = Subscriber.objects.receiving(issue.newsletter).values_list("pk", flat=True).order_by("pk")
    ids = list(receivers)
    Delivery.objects.bulk_create(
        [Delivery(issue=issue, subscriber_id=pk) for pk in ids], ignore_conflicts=True, batch_size=1000
    )
    size = settings.KHABAR_NEWSLETTER_BATCH_SIZE
    for start in range(0, len(ids), size):
        send_issue_batch.enqueue(issue.pk, ids[start : start + size])
    return len(ids)


@task
def send_issue_batch(issue_id: int, subscriber_ids: list[int]) -> int:
    from khabar.newsletters.sending import send_batch

    retry = send_batch(issue_id, subscriber_ids)
    if retry:
        _retry_later(issue_id, retry)
    return len(subscriber_ids) - len(retry)


def _retry_later(issue_id: int, subscriber_ids: list[int]) -> None:
    """Queue the transient failures again, later when the backend can defer (the database queue)."""
    if default_task_backend.supports_defer:
        attempts = Delivery.objects.filter(issue_id=issue_id, subscriber_id__in=subscriber_ids).aggregate(
            Max("attempts")
        )["attempts__max"]
        delay = settings.KHABAR_NEWSLETTER_RETRY_SECONDS * (2 ** max(0, (attempts or 1) - 1))
        send_issue_batch.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(issue_id, subscriber_ids)
    else:
        send_issue_batch.enqueue(issue_id, subscriber_ids)  # immediate tasks: the attempt bound stops it


@task
def build_due_digests() -> list[int]:
    from khabar.newsletters.digest import build_issue
    from khabar.newsletters.models import DIGEST_KINDS, Newsletter

    started = []
    for newsletter in Newsletter.objects.filter(active=True, kind__in=DIGEST_KINDS).select_related("locale"):
        issue = build_issue(newsletter)
        if issue is not None and not issue.skipped:
            start_issue(issue)
            started.append(issue.pk)
    return started
