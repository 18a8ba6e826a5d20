"""`khabar demo`: fill an empty site with demo news, or add many generated articles fast.

    khabar demo                  # an empty site gets every edition's demo content; otherwise nothing changes
    khabar demo --articles 100000   # bulk-add generated articles (progress bar), with or without content

Other apps extend it: a module ``khabar/<app>/demo.py`` with ``add_arguments(parser)``
and ``run(options, stdout)`` is discovered and called after the news content
(the comments app adds ``--comments M`` this way).
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import logging
from types import ModuleType

from django.apps import apps
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from khabar.demo import builder as demo_builder


def positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"takes a whole number, not {value!r}") from None
    if number < 1 or number > 5_000_000:
        raise argparse.ArgumentTypeError(f"must be between 1 and 5,000,000 (got {number})")
    return number


def demo_extensions() -> list[ModuleType]:
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("khabar.") or config.name == "khabar.demo":
            continue
        name = f"{config.name}.demo"
        if importlib.util.find_spec(name) is not None:
            modules.append(importlib.import_module(name))
    return modules


class Command(BaseCommand):
    help = "Load demo news into an empty site, or bulk-add generated articles with --articles N."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--articles", type=positive, metavar="N", help="bulk-add N generated articles")
        parser.add_argument("--seed", type=int, default=7, help="random seed for generated content")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")
        for module in demo_extensions():
            module.add_arguments(parser)

    def handle(self, *args, **options) -> None:
        # Every demo page publish logs a line or two; at the default verbosity the operator sees only
        # the summary (and, from `make serve`, the admin account and the address after it).
        quiet = options["verbosity"] < 2
        if quiet:
            logging.disable(logging.INFO)
        try:
            self._load(options)
        finally:
            if quiet:
                logging.disable(logging.NOTSET)

    def _load(self, options) -> None:
        if options["articles"]:
            created = demo_builder.bulk_articles(
                options["articles"], seed=options["seed"], progress=not options["no_progress"]
            )
            self.stdout.write(self.style.SUCCESS(f"Added {created:,} generated articles."))
        else:
            existing = demo_builder.article_count()
            if existing:
                self.stdout.write(f"The site already has content ({existing:,} articles): demo content not loaded.")
            else:
                summary = demo_builder.build_demo_site(seed=options["seed"])
                self.stdout.write(self.style.SUCCESS(summary))
        for module in demo_extensions():
            module.run(options, self.stdout)
        if options["articles"] or options.get("comments"):
            # Bulk inserts leave the query planner's statistics stale; refresh them once.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
