"""`khabar export --format ninjs [--out DIR] [--language en]`: every published article as ninjs 2.2."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from tqdm import tqdm

from khabar.ninjs import schema
from khabar.ninjs.exporter import published_articles, to_ninjs


class Command(BaseCommand):
    help = "Export every published article as IPTC ninjs 2.2: one JSON file per article, or JSON lines to stdout."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--format", choices=["ninjs"], default="ninjs", help="the export format (ninjs)")
        parser.add_argument("--out", metavar="DIR", help="write one <page id>-<slug>.json per article here")
        parser.add_argument("--language", metavar="CODE", help="only this edition (e.g. en, ar)")
        parser.add_argument("--base-url", default=settings.BASE_URL, help="the site's public address for links")

    def handle(self, *args, out: str | None, language: str | None, base_url: str, **options) -> None:
        editions = [code for code, _name in settings.LANGUAGES]
        if language and language not in editions:
            raise CommandError(
                _("No %(language)s edition (editions: %(editions)s).")
                % {"language": language, "editions": ", ".join(editions)}
            )
        folder = Path(out) if out else None
        if folder is not None:
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise CommandError(_("Cannot create %(dir)s: %(error)s") % {"dir": folder, "error": exc.strerror})
        articles = published_articles(language)
        count, invalid = 0, 0
        for page in tqdm(articles, file=sys.stderr, unit="article", disable=folder is None, leave=False):
            item = to_ninjs(page, base_url)
            problems = schema.problems(item)
            if problems:  # a bug here, never the reader's fault: say so and keep going
                invalid += 1
                self.stderr.write(_("page %(id)s: invalid ninjs: %(problems)s") % {"id": page.pk, "problems": problems})
                continue
            text = json.dumps(item, ensure_ascii=False)
            if folder is None:
                self.stdout.write(text)
            else:
                (folder / f"{page.pk}-{page.slug[:80]}.json").write_text(text + "\n", encoding="utf-8")
            count += 1
        if folder is not None:
            self.stdout.write(
                ngettext("%(n)s article written to %(dir)s", "%(n)s articles written to %(dir)s", count)
                % {"n": count, "dir": folder}
            )
        if invalid:
            raise CommandError(
                ngettext("%(n)s article could not be exported.", "%(n)s articles could not be exported.", invalid)
                % {"n": invalid},
                returncode=1,
            )
