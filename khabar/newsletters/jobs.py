"""The periodic job of `khabar worker` (settings.KHABAR_PERIODIC_JOBS): digests that are due."""

from __future__ import annotations

JOB_PATH = "khabar.newsletters.jobs.send_due_digests"


def send_due_digests() -> None:
    """Enqueue the task that builds today's due digests (in the newsroom's time zone) and sends them."""
    from khabar.newsletters.tasks import build_due_digests

    build_due_digests.enqueue()
