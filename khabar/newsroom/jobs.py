"""Periodic jobs the platform's `khabar worker` runs (settings.KHABAR_PERIODIC_JOBS)."""

from __future__ import annotations

from khabar.newsroom.scheduler import run_due

JOB_PATH = "khabar.newsroom.jobs.publish_due"


def publish_due() -> None:
    """Scheduled go-lives and expiries, ended embargoes and expired banners (see scheduler.run_due)."""
    run_due()
