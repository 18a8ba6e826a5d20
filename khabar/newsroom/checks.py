"""A system check so scheduled publishing cannot be switched off by a settings mistake."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Warning, register

from khabar.newsroom.jobs import JOB_PATH


@register()
def scheduler_is_a_periodic_job(app_configs, **kwargs) -> list:
    if not getattr(settings, "KHABAR_SCHEDULER", True):
        return []
    jobs = getattr(settings, "KHABAR_PERIODIC_JOBS", [])
    if any(isinstance(job, dict) and job.get("callable") == JOB_PATH for job in jobs):
        return []
    return [
        Warning(
            "Scheduled publishing is not among KHABAR_PERIODIC_JOBS: go-lives and expiries would be missed.",
            hint=f'Add {{"callable": "{JOB_PATH}", "every": KHABAR_SCHEDULER_SECONDS}} after the setting is '
            "defined, or set KHABAR_SCHEDULER=0 if nothing may be published on time here.",
            id="newsroom.W001",
        )
    ]
