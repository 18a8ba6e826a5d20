"""`khabar demo` extension: generated articles (``--articles N``) bypass the publish signals, so index them."""

from __future__ import annotations

import sys

from tqdm import tqdm

from khabar.search import indexing


def add_arguments(parser) -> None:
    """No options of our own."""


def run(options: dict, stdout) -> None:
    missing = indexing.articles_to_index().filter(search_entry__isnull=True)
    total = missing.count()
    if not total:
        return
    show = not options.get("no_progress") and options.get("verbosity", 1) > 0
    with tqdm(total=total, unit="article", desc="Search index", disable=not show, file=sys.stderr) as bar:
        written = indexing.index_missing(progress=bar.update)
    stdout.write(f"Search index: {written:,} articles added.")
