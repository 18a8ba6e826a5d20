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
        parser.add_argument(
            "--missing", action="store_true", help="Only index live articles that have no entry yet (faster)."
        )

    def handle(self, *args, **options) -> None:
        articles = indexing.articles_to_index()
        if options["missing"]:
            articles = articles.filter(search_entry__isnull=True)
        show = not options["no_progress"] and options["verbosity"] > 0
        with tqdm(total=articles.count(), unit="article", desc="Indexing", disable=not show, file=sys.stderr) as bar:
            if options["missing"]:
                written = indexing.index_missing(progress=bar.update)
            else:
                written = indexing.reindex_all(progress=bar.update)
        if options["verbosity"] > 0:
            done = "indexed" if options["missing"] else "rebuilt"
            self.stdout.write(self.style.SUCCESS(f"Search index {done}: {written} articles."))
