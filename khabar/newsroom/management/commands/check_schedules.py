"""`khabar check_schedules`: exit non-zero when a go-live or expiry is overdue."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from khabar.newsroom import scheduler


class Command(BaseCommand):
    help = "Report scheduled go-lives and expiries overdue by more than two minutes; exit 1 if any."

    def handle(self, *args, **options) -> None:
        overdue = scheduler.overdue_schedules()
        last = scheduler.last_run_at()
        self.stdout.write(f"Scheduler last ran: {timezone.localtime(last).isoformat() if last else 'never'}")
        for item in overdue:
            self.stdout.write(
                f"OVERDUE {item.kind}: {item.model} {item.object_id} “{item.title}” "
                f"due {timezone.localtime(item.due_at).isoformat()}"
            )
        if overdue:
            raise CommandError(
                f"{len(overdue)} scheduled change(s) overdue; is `khabar worker` (or `khabar serve`) running?"
            )
        self.stdout.write("No overdue schedules.")
