"""Scheduled publishing that does not depend on someone remembering a cron entry.

``run_due()`` does, every KHABAR_SCHEDULER_SECONDS (30 s by default):
  1. Wagtail's own ``publish_scheduled`` command (go-live and expiry of pages and
     snippets; we call it, we do not reimplement it);
  2. purges the pages of articles whose embargo has just ended, and sends
     news.published.embargo_ended for each (they become visible
     without being published again, so nothing else would tell the page cache);
  3. purges an edition whose breaking-news banner has just expired.

Its one entry point is the periodic job ``khabar.newsroom.jobs.publish_due`` of ``khabar worker``
(settings.KHABAR_PERIODIC_JOBS; ``khabar serve`` starts that worker beside the web server when
tasks run immediately). This is also the one place that purges the pages of an ended embargo.
``overdue_schedules()`` is the health check: anything that should have happened more
than two minutes ago and has not.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

log = logging.getLogger(__name__)

GRACE = timedelta(minutes=2)
JOB = "publish"
# How far back the embargo/banner checks look the very first time the loop runs.
FIRST_LOOKBACK = timedelta(days=1)


def interval_seconds() -> int:
    return getattr(settings, "KHABAR_SCHEDULER_SECONDS", 30)


@dataclass
class RunReport:
    skipped: bool = False
    published: int = 0
    unpublished: int = 0
    embargoes_lifted: list[int] = field(default_factory=list)
    banners_expired: int = 0
    errors: list[str] = field(default_factory=list)


def _draft_state_models() -> list:
    """Every model Wagtail's publish_scheduled looks at: pages and draft-state snippets."""
    from wagtail.models import DraftStateMixin, Page

    return [Page] + [m for m in apps.get_models() if issubclass(m, DraftStateMixin) and not issubclass(m, Page)]


def _claim(now: datetime, force: bool) -> datetime | None | bool:
    """Record this run; False if another process ran less than half an interval ago.

    Several workers run the job (e.g. one per machine); the row lock
    (PostgreSQL) or the immediate transaction (SQLite) lets only one of them claim a turn.
    Returns the previous run time (None on the first run)."""
    from khabar.newsroom.models import SchedulerState

    with transaction.atomic():
        state, _ = SchedulerState.objects.select_for_update().get_or_create(name=JOB)
        previous = state.last_run_at
        if not force and previous and previous > now - timedelta(seconds=interval_seconds() / 2):
            return False
        state.last_run_at = now
        state.save(update_fields=["last_run_at"])
    return previous


def run_due(now: datetime | None = None, *, force: bool = False) -> RunReport:
    """Publish and unpublish what is due, and purge what became visible or hidden by time."""
    from wagtail.models import Revision

    now = now or timezone.now()
    previous = _claim(now, force)
    if previous is False:
        return RunReport(skipped=True)
    since = previous or now - FIRST_LOOKBACK
    report = RunReport()
    report.published = Revision.objects.filter(approved_go_live_at__lt=now).count()
    report.unpublished = sum(m.objects.filter(live=True, expire_at__lt=now).count() for m in _draft_state_models())
    if report.published or report.unpublished:
        try:
            call_command("publish_scheduled", stdout=io.StringIO())
        except Exception as exc:  # logged and left for the health check; the loop must go on
            log.exception("Scheduled publishing failed")
            report.errors.append(f"publish_scheduled: {exc}")
    report.embargoes_lifted = _purge_lifted_embargoes(since, now, report)
    report.banners_expired = _purge_expired_banners(since, now, report)
    return report


def _purge_lifted_embargoes(since: datetime, now: datetime, report: RunReport) -> list[int]:
    from khabar.news.models import ArticlePage, public
    from khabar.news.published import embargo_ended
    from khabar.newsroom.purging import purge_article_and_listings

    lifted = list(public(ArticlePage.objects.live()).filter(embargo_until__gt=since, embargo_until__lte=now))
    for article in lifted:
        try:
            purge_article_and_listings(article)
        except Exception as exc:
            log.exception("Purging article %s after its embargo failed", article.pk)
            report.errors.append(f"purge article {article.pk}: {exc}")
        try:
            embargo_ended.send(sender=ArticlePage, article=article)
        except Exception as exc:
            log.exception("A receiver of embargo_ended failed for article %s", article.pk)
            report.errors.append(f"embargo ended {article.pk}: {exc}")
    return [a.pk for a in lifted]


def _purge_expired_banners(since: datetime, now: datetime, report: RunReport) -> int:
    from khabar.newsroom.models import BreakingNews
    from khabar.newsroom.purging import purge_edition

    locale_ids = set(
        BreakingNews.objects.filter(expires_at__gt=since, expires_at__lte=now).values_list("locale_id", flat=True)
    )
    for locale_id in locale_ids:
        try:
            purge_edition(locale_id)
        except Exception as exc:
            log.exception("Purging edition %s after a banner expired failed", locale_id)
            report.errors.append(f"purge edition {locale_id}: {exc}")
    return len(locale_ids)


# --- Health check ---------------------------------------------------------------


@dataclass
class Overdue:
    kind: str  # "publish" or "expire"
    model: str
    object_id: str
    title: str
    due_at: datetime


def _model_name(content_type) -> str:
    model = content_type.model_class()  # None when the model's app was removed
    return model.__name__ if model else content_type.model


def overdue_schedules(now: datetime | None = None) -> list[Overdue]:
    """Go-lives and expiries that should have happened more than GRACE ago."""
    from wagtail.models import Revision

    limit = (now or timezone.now()) - GRACE
    found = [
        Overdue("publish", _model_name(rev.content_type), rev.object_id, rev.object_str, rev.approved_go_live_at)
        for rev in Revision.objects.filter(approved_go_live_at__lt=limit)
        .select_related("content_type")
        .order_by("approved_go_live_at")
    ]
    for model in _draft_state_models():
        for obj in model.objects.filter(live=True, expire_at__lt=limit).order_by("expire_at"):
            found.append(Overdue("expire", type(obj).__name__, str(obj.pk), str(obj), obj.expire_at))
    return found


def last_run_at() -> datetime | None:
    from khabar.newsroom.models import SchedulerState

    return SchedulerState.objects.filter(name=JOB).values_list("last_run_at", flat=True).first()
