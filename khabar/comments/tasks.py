"""Email sent in the background (``django.tasks``): reply notices and queue alerts."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import send_mail
from django.db.models import Q
from django.tasks import task
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from khabar.core.links import page_link
from khabar.lib.text import without_bidi_controls


@task
def send_reply_notice(reply_id: int) -> bool:
    """Tell a commenter who asked for it that someone replied (only once the reply is public)."""
    from khabar.comments.models import Comment, Status

    reply = Comment.objects.select_related("parent", "article").filter(pk=reply_id).first()
    if not reply or reply.status != Status.APPROVED or not reply.parent or not reply.parent.notify_replies:
        return False
    # Plain text has no <bdi> to contain a reader's bidi override: it is removed from what they wrote.
    title = without_bidi_controls(reply.article.title)
    context = {
        "name": without_bidi_controls(reply.name),
        "title": title,
        "body": without_bidi_controls(reply.body),
        "link": f"{page_link(reply.article)}#comment-{reply.pk}",
    }
    send_mail(
        _("New reply to your comment on “%(title)s”") % {"title": title},
        render_to_string("comments/email/reply_notice.txt", context),
        None,
        [reply.parent.email],
    )
    return True


def moderator_emails() -> list[str]:
    permission = Permission.objects.get(codename="moderate_comment", content_type__app_label="comments")
    people = get_user_model().objects.filter(is_active=True).exclude(email="")
    people = people.filter(
        Q(is_superuser=True) | Q(user_permissions=permission) | Q(groups__permissions=permission)
    ).distinct()
    return sorted({person.email for person in people})


@task
def alert_moderators(pending: int) -> int:
    recipients = moderator_emails()
    if recipients:
        send_mail(
            _("%(count)s comments are waiting for moderation") % {"count": pending},
            render_to_string("comments/email/queue_alert.txt", {"pending": pending}),
            None,
            recipients,
        )
    return len(recipients)


@task
def send_privacy_link(email: str, link: str) -> None:
    send_mail(
        _("Your comments: confirm your email"),
        render_to_string("comments/email/privacy_link.txt", {"link": link}),
        None,
        [email],
    )
