"""The full-text structures of the search index, one kind per database.

SQLite: an FTS5 table with external content (search_searchentry), kept in step
by triggers, so every ORM write (save, bulk_create, delete, cascades) updates it.
The tokenizer only splits on what our normaliser already treats as separators;
``remove_diacritics 0`` because khabar.lib.arabic does all folding itself.
NOTE: SQLite's schema editor rebuilds a table on some AlterField operations,
which drops triggers; a later migration that alters SearchEntry must re-run
SQLITE_FORWARDS (tests check the triggers exist).

PostgreSQL: a generated tsvector column ('simple' configuration: no stemming,
no stop words, so only our terms count), headline terms weighted A, the rest B,
with a GIN index.
"""

from django.db import migrations

SQLITE_FORWARDS = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_entry_fts USING fts5("
    "title_terms, body_terms, content='search_searchentry', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER IF NOT EXISTS search_entry_ai AFTER INSERT ON search_searchentry BEGIN "
    "INSERT INTO search_entry_fts(rowid, title_terms, body_terms) VALUES (new.id, new.title_terms, new.body_terms); "
    "END",
    "CREATE TRIGGER IF NOT EXISTS search_entry_ad AFTER DELETE ON search_searchentry BEGIN "
    "INSERT INTO search_entry_fts(search_entry_fts, rowid, title_terms, body_terms) "
    "VALUES ('delete', old.id, old.title_terms, old.body_terms); "
    "END",
    "CREATE TRIGGER IF NOT EXISTS search_entry_au AFTER UPDATE ON search_searchentry BEGIN "
    "INSERT INTO search_entry_fts(search_entry_fts, rowid, title_terms, body_terms) "
    "VALUES ('delete', old.id, old.title_terms, old.body_terms); "
    "INSERT INTO search_entry_fts(rowid, title_terms, body_terms) VALUES (new.id, new.title_terms, new.body_terms); "
    "END",
    # Entries that existed before this migration (none on a fresh site).
    "INSERT INTO search_entry_fts(search_entry_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARDS = [
    "DROP TRIGGER IF EXISTS search_entry_au",
    "DROP TRIGGER IF EXISTS search_entry_ad",
    "DROP TRIGGER IF EXISTS search_entry_ai",
    "DROP TABLE IF EXISTS search_entry_fts",
]
POSTGRES_FORWARDS = [
    "ALTER TABLE search_searchentry ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, title_terms), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, body_terms), 'B')) STORED",
    "CREATE INDEX search_entry_vector_gin ON search_searchentry USING GIN (search_vector)",
]
POSTGRES_BACKWARDS = [
    "DROP INDEX IF EXISTS search_entry_vector_gin",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            raise RuntimeError(
                f"Khabar search supports SQLite and PostgreSQL, not {schema_editor.connection.vendor!r}."
            )
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_entry")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARDS, "postgresql": POSTGRES_FORWARDS}),
            _run({"sqlite": SQLITE_BACKWARDS, "postgresql": POSTGRES_BACKWARDS}),
        )
    ]
