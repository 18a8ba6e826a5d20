"""``khabar reindex_search``: rebuild the search index from every live article.

For content created in bulk without Wagtail's publish signals (imports,
``bulk_create``, restored backups) and after changing KHABAR_SEARCH_TA_MARBUTA.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand
from tqdm import tqdm

from khabar.search import indexing


class Command(BaseCommand):
    help = "Rebuild the search index from every live article (in one transaction)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--no-progress", action="store_true", help="Do not draw a progress bar.")

    def handle(self, *args, **options) -> None:
        total = indexing.articles_to_index().count()
        show = not options["no_progress"] and options["verbosity"] > 0
        with tqdm(total=total, unit="article", desc="Indexing", disable=not show, file=sys.stderr) as bar:
            written = indexing.reindex_all(progress=bar.update)
        if options["verbosity"] > 0:
            self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {written} articles."))
