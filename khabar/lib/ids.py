"""Record ids taken from addresses and query strings.

An id no database can hold (above 2**63 - 1, the largest integer SQLite and PostgreSQL store)
cannot name a record; passed on to the database it raises an overflow error (a 500) instead of
"not found". ``parse_id`` and the ``<id:...>`` path converter turn such an id into "no match".
"""

from __future__ import annotations

MAX_ID = 2**63 - 1


def parse_id(raw: str) -> int | None:
    """The id in ``raw`` (ASCII digits only), or None when it is not one or cannot exist."""
    if not raw or not raw.isascii() or not raw.isdigit() or len(raw) > len(str(MAX_ID)):
        return None
    value = int(raw)
    return value if value <= MAX_ID else None


class IdConverter:
    """``<id:article_id>``: like ``<int:…>``, but an id that cannot exist does not match (a 404, never a 500)."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        parsed = parse_id(value)
        if parsed is None:
            raise ValueError(f"{value[:30]} is not a possible id")
        return parsed

    def to_url(self, value: int) -> str:
        return str(int(value))
