"""`khabar import PATH... [--publish] [--section SLUG]`: IPTC ninjs files, folders or stdin → articles."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from tqdm import tqdm

from khabar.news.models import SectionPage
from khabar.ninjs.importer import FAILED, Importer, Outcome
from khabar.ninjs.mapping import ItemFailed, check_size, decode_documents


class Command(BaseCommand):
    help = "Import IPTC ninjs 2.x items (JSON files, folders of *.json, or - for stdin) as draft articles."

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH", help="a ninjs JSON file, a folder, or - for stdin")
        parser.add_argument("--publish", action="store_true", help="publish new articles and updates at once")
        parser.add_argument("--section", metavar="SLUG", help="put new articles in this section of their edition")

    def handle(self, *args, paths: list[str], publish: bool, section: str | None, **options) -> None:
        if section and not SectionPage.objects.filter(slug=section).exists():
            raise CommandError(_("No section with the slug %(slug)s in any edition.") % {"slug": section})
        files, missing = self.collect(paths)
        importer = Importer(publish=publish, section=section)
        counts: Counter[str] = Counter()
        for label in missing:
            self.report(Outcome(label, FAILED, _("no such file or folder")), counts)
        show_bar = any(Path(p).is_dir() for p in paths if p != "-")
        bar = tqdm(files, file=sys.stderr, unit="file", disable=not show_bar, leave=False, desc="ninjs")
        for path in bar:
            for outcome in self.import_file(importer, path):
                self.report(outcome, counts, bar if show_bar else None)
        bar.close()
        self.stdout.write(
            _("%(created)s created, %(updated)s updated, %(skipped)s skipped, %(failed)s failed")
            % {name: counts[name] for name in ("created", "updated", "skipped", "failed")}
        )
        if counts[FAILED]:
            raise CommandError(
                ngettext("%(n)s item failed to import.", "%(n)s items failed to import.", counts[FAILED])
                % {"n": counts[FAILED]},
                returncode=1,
            )

    @staticmethod
    def collect(paths: list[str]) -> tuple[list[str], list[str]]:
        """Files to read, in a stable order (folders recursively, *.json and *.jsonl), and missing paths."""
        files, missing = [], []
        for raw in paths:
            if raw == "-":
                files.append("-")
                continue
            path = Path(raw)
            if path.is_dir():
                files += sorted(str(p) for p in path.rglob("*") if p.suffix in {".json", ".jsonl"} and p.is_file())
            elif path.is_file():
                files.append(raw)
            else:
                missing.append(raw)
        return files, missing

    def import_file(self, importer: Importer, name: str) -> list[Outcome]:
        label = "<stdin>" if name == "-" else name
        base_dir = None if name == "-" else Path(name).resolve().parent
        try:
            raw = self.read(name)
            documents = decode_documents(raw, label)
        except ItemFailed as exc:
            return [Outcome(label, FAILED, str(exc))]
        except OSError as exc:
            return [Outcome(label, FAILED, _("cannot be read: %(error)s") % {"error": exc.strerror or exc})]
        if not documents:
            return [Outcome(label, FAILED, _("no ninjs item in it"))]
        return [importer.import_document(doc, label=item_label, base_dir=base_dir) for item_label, doc in documents]

    @staticmethod
    def read(name: str) -> bytes:
        from django.conf import settings

        if name == "-":
            limit = settings.KHABAR_NINJS_MAX_FILE_BYTES
            data = sys.stdin.buffer.read(limit + 1)  # never more than the limit is held in memory
            if len(data) > limit:
                raise ItemFailed(_("input is over the %(limit).1f MB limit; not parsed") % {"limit": limit / 2**20})
            return data
        check_size(Path(name).stat().st_size)  # refused before a byte is read or parsed
        return Path(name).read_bytes()

    def report(self, outcome: Outcome, counts: Counter, bar=None) -> None:
        counts[outcome.status] += 1
        line = self.describe(outcome)
        if bar is not None:
            bar.write(line, file=self.stdout)
        else:
            self.stdout.write(line)

    def describe(self, outcome: Outcome) -> str:
        status = {
            "created": self.style.SUCCESS(_("created")),
            "updated": self.style.SUCCESS(_("updated")),
            "skipped": self.style.WARNING(_("skipped")),
            "failed": self.style.ERROR(_("failed")),
        }[outcome.status]
        if outcome.page is not None:
            page = outcome.page
            if not page.live:
                state = _("draft")
            elif page.has_unpublished_changes:
                state = _("published; the changes wait as a draft")
            else:
                state = _("published")
            detail = _("page %(id)s, %(state)s, %(path)s") % {"id": page.pk, "state": state, "path": page.url_path}
        else:
            detail = outcome.message
        notes = "".join(f" ({note})" for note in outcome.notes)
        return f"{status} {outcome.label}: {detail}{notes}"
