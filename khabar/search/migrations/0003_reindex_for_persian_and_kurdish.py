"""Rewrite every entry's terms under the normalisation rules of issue #17 (Persian and Sorani).

The rules changed for every edition (ھ and ۀ fold into ه, Kurdish letters typed with a
v-mark are composed, ZWNJ-joined words are also indexed by their parts, Arabic prefixes are
no longer stripped from Persian and Sorani words), so entries written before would not
match the queries made now. A fresh database has no entries and this does nothing.

It runs the live indexing code (the terms come from the article's body, bylines and topics,
which only the live models read). Should a much later upgrade meet a schema those models
no longer fit, the rebuild is skipped with a note instead of failing the migration: then run
``khabar reindex_search``.
"""

import sys

from django.db import DatabaseError, migrations, transaction


def reindex(apps, schema_editor):
    if not apps.get_model("search", "SearchEntry").objects.exists():
        return
    from khabar.search import indexing

    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            written = indexing.reindex_all()
    except DatabaseError as error:
        sys.stderr.write(f"\n  Search index not rebuilt ({error}); run `khabar reindex_search`.\n")
        return
    sys.stderr.write(f"\n  Search index rebuilt for the new spelling rules: {written} articles.\n")


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext_index"), ("news", "0004_listing")]

    operations = [migrations.RunPython(reindex, migrations.RunPython.noop, elidable=True)]
