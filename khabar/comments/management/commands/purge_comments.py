"""`khabar purge_comments`: apply KHABAR_COMMENT_RETENTION_DAYS.

Unpublished comments (pending, rejected, spam) older than the retention period are deleted;
published ones stay with their article, but every comment's IP hash older than it is cleared.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from khabar.comments.models import BannedCommenter, Comment, Status


class Command(BaseCommand):
    help = "Delete old unpublished comments and clear old IP hashes (KHABAR_COMMENT_RETENTION_DAYS)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, help="Override KHABAR_COMMENT_RETENTION_DAYS for this run.")
        parser.add_argument("--dry-run", action="store_true", help="Count what would go; change nothing.")

    def handle(self, *args, days=None, dry_run=False, **options):
        days = settings.KHABAR_COMMENT_RETENTION_DAYS if days is None else days
        if days < 0:
            raise CommandError(f"--days must be 0 or more, not {days}.")
        if days == 0:
            self.stdout.write("Retention is 0 days (keep everything): nothing to do.")
            return
        cutoff = timezone.now() - timedelta(days=days)
        old = Comment.objects.filter(created_at__lt=cutoff)
        doomed = old.exclude(status=Status.APPROVED)
        hashed = old.exclude(ip_hash="")
        expired_bans = BannedCommenter.objects.filter(expires_at__lt=timezone.now())
        counts = (doomed.count(), hashed.count(), expired_bans.count())
        if not dry_run:
            doomed.delete()
            hashed.update(ip_hash="")
            expired_bans.delete()
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(
            f"{verb} {counts[0]} unpublished comments older than {days} days; "
            f"cleared {counts[1]} IP hashes; removed {counts[2]} expired bans."
        )
