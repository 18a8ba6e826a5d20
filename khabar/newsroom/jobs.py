"""Periodic jobs the platform's `khabar worker` runs (settings.KHABAR_PERIODIC_JOBS)."""

from __future__ import annotations

import logging

from khabar.newsroom.scheduler import run_due

JOB_PATH = "khabar.newsroom.jobs.publish_due"

log = logging.getLogger("khabar.newsroom.scheduler")


def publish_due() -> None:
    """Scheduled go-lives and expiries, ended embargoes and expired banners (see scheduler.run_due)."""
    report = run_due()
    if not report.skipped and (report.published or report.unpublished or report.embargoes_lifted):
        log.info(
            "Scheduler: %s published, %s unpublished, %s embargoes lifted",
            report.published,
            report.unpublished,
            len(report.embargoes_lifted),
        )
