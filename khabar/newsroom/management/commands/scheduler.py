"""`khabar scheduler`: publish, unpublish and lift embargoes on time, in the foreground."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from khabar.newsroom import scheduler


class Command(BaseCommand):
    help = (
        "Run scheduled publishing every KHABAR_SCHEDULER_SECONDS (also runs inside `khabar serve` and `khabar worker`)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="Run once and exit.")

    def handle(self, *args, once: bool = False, **options) -> None:
        if once:
            report = scheduler.run_due(force=True)
            self.stdout.write(
                f"published {report.published}, unpublished {report.unpublished}, "
                f"embargoes lifted {len(report.embargoes_lifted)}, banners expired {report.banners_expired}"
            )
            for error in report.errors:
                self.stderr.write(error)
            return
        self.stdout.write(f"Scheduler running every {scheduler.interval_seconds()} s; Ctrl+C to stop.")
        try:
            scheduler.run_forever()
        except KeyboardInterrupt:
            pass
