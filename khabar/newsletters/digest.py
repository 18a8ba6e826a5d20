"""Which stories go in a digest, and when a digest is due (in the newsroom's time zone)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from khabar.news.models import ArticlePage
from khabar.newsletters.models import DIGEST_KINDS, Issue, Newsletter

log = logging.getLogger(__name__)
MAX_STORIES = 30
MOST_READ_DAYS = 7
MOST_READ_LIMIT = 5
FIRST_LOOKBACK = timedelta(days=1)


def newsroom_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def new_stories(newsletter: Newsletter, since: datetime, until: datetime) -> list[int]:
    """Stories readers may see (published()) that became visible in (since, until]: newly published, or
    out of embargo. An embargoed story is never in it, whatever its publication date."""
    visible = ArticlePage.objects.published().filter(locale_id=newsletter.locale_id)
    became_visible = models.Q(first_published_at__gt=since, first_published_at__lte=until) | models.Q(
        embargo_until__gt=since, embargo_until__lte=until
    )
    rows = visible.filter(became_visible).order_by("-first_published_at", "-pk")
    return list(rows.values_list("pk", flat=True)[:MAX_STORIES])


def most_read(newsletter: Newsletter, now: datetime) -> list[int]:
    """The week's most read, when KHABAR_DIGEST_MOST_READ names a function that can be imported."""
    path = getattr(settings, "KHABAR_DIGEST_MOST_READ", "")
    if not path:
        return []
    try:
        ranking = import_string(path)
    except ImportError:
        return []  # the most-read app is not installed: the digest goes without that part
    pages = ranking(newsletter.locale, since=now - timedelta(days=MOST_READ_DAYS), limit=MOST_READ_LIMIT)
    wanted = [page.pk for page in pages]
    # The ranking may lag behind an unpublish or an embargo: only what readers may see now.
    allowed = set(ArticlePage.objects.published().filter(pk__in=wanted).values_list("pk", flat=True))
    return [pk for pk in wanted if pk in allowed]


def is_due(newsletter: Newsletter, now: datetime) -> bool:
    local = now.astimezone(newsroom_zone())
    return local.time() >= newsletter.send_time


def build_issue(newsletter: Newsletter, now: datetime | None = None) -> Issue | None:
    """Today's issue of a digest if it is due and not made yet (skipped when nothing is new), else None."""
    now = now or timezone.now()
    if newsletter.kind not in DIGEST_KINDS or not newsletter.active or not is_due(newsletter, now):
        return None
    day = now.astimezone(newsroom_zone()).date()
    if Issue.objects.filter(newsletter=newsletter, day=day).exists():
        return None
    previous = Issue.objects.filter(newsletter=newsletter, day__isnull=False).order_by("-day").first()
    since = previous.cutoff if previous else now - FIRST_LOOKBACK
    stories = new_stories(newsletter, since, now)
    issue = Issue(newsletter=newsletter, day=day, since=since, cutoff=now, article_ids=stories, skipped=not stories)
    issue.subject = digest_subject(newsletter, day)
    if stories:
        issue.most_read_ids = most_read(newsletter, now)
    try:
        with transaction.atomic():
            issue.save()
    except IntegrityError:
        return None  # another worker made today's issue first
    return issue


def digest_subject(newsletter: Newsletter, day) -> str:
    from django.utils import formats, translation

    with translation.override(newsletter.locale.language_code):
        return f"{newsletter.name}: {formats.date_format(day, 'DATE_FORMAT')}"
