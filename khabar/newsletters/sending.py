"""Turn an issue into emails and send one batch of them through Django's email API.

A batch claims its deliveries in one UPDATE (so two workers never send the same one), sends them
over one connection and records the outcome of all of them in one bulk update: the number of
queries does not grow with the number of subscribers. A permanent refusal (SMTP 5xx, every
recipient refused) marks the address bounced for good; a transient failure is tried again later,
at most KHABAR_NEWSLETTER_MAX_ATTEMPTS times.
"""

from __future__ import annotations

import smtplib
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from khabar.core.links import page_link
from khabar.lib import languages
from khabar.news.models import ArticlePage
from khabar.newsletters import tokens
from khabar.newsletters.models import Delivery, Issue, Kind, Status, Subscriber

IMAGE_FILTER = "fill-600x338"


@dataclass
class Story:
    title: str
    standfirst: str
    link: str
    section_pk: int | None
    image_url: str = ""
    image_alt: str = ""
    credit: str = ""


def absolute(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else settings.BASE_URL + url


def stories(ids: list[int]) -> dict[int, Story]:
    """The stories of an issue, readable now (published()), with their pictures: a few queries per issue."""
    pages = ArticlePage.objects.published().filter(pk__in=ids).select_related("lead_image", "locale")
    found = {}
    for page in pages.defer_streamfields():
        story = Story(page.title, page.standfirst, page_link(page), (page.section or {}).get("pk"))
        if page.lead_image:
            story.image_url = absolute(page.lead_image.get_rendition(IMAGE_FILTER).url)
            story.image_alt = page.lead_image.alt_text
            story.credit = page.credit
        found[page.pk] = story
    return found


def edition_link(language: str, name: str, *args) -> str:
    with translation.override(language):
        return settings.BASE_URL + reverse(f"newsletters:{name}", args=args)


def build_message(issue: Issue, subscriber: Subscriber, content: dict, section_ids: set[int] | None = None):
    """One email: HTML and plain text, in the edition's language and direction, with RFC 8058 headers."""
    language = issue.newsletter.locale.language_code
    unsubscribe = edition_link(language, "unsubscribe", tokens.unsubscribe_token(subscriber))
    chosen = [content[pk] for pk in issue.article_ids if pk in content]
    if section_ids is not None:
        chosen = [story for story in chosen if story.section_pk in section_ids]
    context = {
        "issue": issue,
        "newsletter": issue.newsletter,
        "stories": chosen,
        "most_read": [content[pk] for pk in issue.most_read_ids if pk in content],
        "is_alert": issue.newsletter.kind == Kind.ALERTS,
        "language": language,
        "direction": languages.direction(language),
        "unsubscribe_url": unsubscribe,
        "privacy_url": edition_link(language, "privacy"),
        "site_name": settings.SITE_NAME,
    }
    with translation.override(language):
        text = render_to_string("newsletters/email/issue.txt", context)
        html = render_to_string("newsletters/email/issue.html", context)
    headers = {"List-Unsubscribe": list_unsubscribe(unsubscribe), "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    message = EmailMultiAlternatives(
        issue.subject, text, settings.KHABAR_NEWSLETTER_FROM_EMAIL, [subscriber.email], headers=headers
    )
    message.attach_alternative(html, "text/html")
    return message


def list_unsubscribe(url: str) -> str:
    mailto = settings.KHABAR_NEWSLETTER_UNSUBSCRIBE_MAILTO
    return f"<{url}>, <mailto:{mailto}?subject=unsubscribe>" if mailto else f"<{url}>"


def is_permanent(error: Exception) -> bool:
    # django-anymail (an optional ESP backend) says so by its own exception; it is not imported here.
    if type(error).__name__ == "AnymailRecipientsRefused":
        return True
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        # smtplib raises this for a 4xx "try later" too: permanent only if every refusal was a 5xx.
        codes = [code for code, _text in error.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    code = getattr(error, "smtp_code", None)
    return isinstance(code, int) and 500 <= code < 600


def claim(issue_id: int, subscriber_ids: list[int]) -> str:
    """Take this batch's unsent deliveries for this run (one UPDATE): others see them as sending."""
    token = uuid.uuid4().hex
    Delivery.objects.filter(
        issue_id=issue_id, subscriber_id__in=subscriber_ids, state__in=[Delivery.State.PENDING, Delivery.State.RETRY]
    ).update(state=Delivery.State.SENDING, claim=token)
    return token


def send_batch(issue_id: int, subscriber_ids: list[int]) -> list[int]:
    """Send what is still unsent of this batch; returns the subscribers to try again later."""
    issue = Issue.objects.select_related("newsletter__locale").get(pk=issue_id)
    token = claim(issue_id, subscriber_ids)
    deliveries = list(
        Delivery.objects.filter(claim=token, state=Delivery.State.SENDING)
        .select_related("subscriber")
        .prefetch_related("subscriber__sections")
    )
    if not deliveries:
        return []
    content = stories(issue.article_ids + issue.most_read_ids)
    connection = get_connection()
    retry, bounced = [], []
    with connection:
        for delivery in deliveries:
            _send_one(issue, delivery, content, connection, retry, bounced)
    Delivery.objects.bulk_update(deliveries, ["state", "attempts", "sent_at", "error", "claim"])
    if bounced:
        Subscriber.objects.filter(pk__in=bounced).update(status=Status.BOUNCED, bounced_at=timezone.now())
    return retry


def _send_one(issue, delivery, content, connection, retry: list, bounced: list) -> None:
    subscriber = delivery.subscriber
    delivery.attempts += 1
    delivery.claim = ""
    sections = None
    if issue.newsletter.kind == Kind.SECTIONS:
        sections = {section.pk for section in subscriber.sections.all()}
    try:
        connection.send_messages([build_message(issue, subscriber, content, sections)])
    except Exception as error:  # noqa: BLE001 - SMTP, network or ESP: one address must not stop the batch
        delivery.error = str(error)[:300]
        if is_permanent(error):
            delivery.state = Delivery.State.BOUNCED
            bounced.append(subscriber.pk)
        elif delivery.attempts >= settings.KHABAR_NEWSLETTER_MAX_ATTEMPTS:
            delivery.state = Delivery.State.FAILED
        else:
            delivery.state = Delivery.State.RETRY
            retry.append(subscriber.pk)
        _reset(connection)
        return
    delivery.state = Delivery.State.SENT
    delivery.sent_at = timezone.now()
    delivery.error = ""


def _reset(connection) -> None:
    """After a failure the SMTP session may be in any state: start the next message on a fresh one."""
    try:
        connection.close()
    except Exception:  # noqa: BLE001 - closing a broken connection may fail in any way
        connection.connection = None
