"""Validation of ninjs documents against the official IPTC ninjs 2.2 JSON Schema.

The schema file is kept verbatim in ``schemas/`` (see SOURCES.md there). ninjs 2.2 is a superset of
2.0 and 2.1 (IPTC's own test suites agree), so every 2.x document is checked against it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
SCHEMA_FILE = SCHEMA_DIR / "ninjs-schema_2.2.json"
GEOJSON_ID = "https://geojson.org/schema/GeoJSON.json"
NINJS_VERSION = "2.2"
NINJS_SCHEMA_URI = "http://www.iptc.org/std/ninjs/ninjs-schema_2.2.json"

# RFC 3339 date-time, as JSON Schema's "date-time" format means it.
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


@dataclass(frozen=True)
class SchemaProblem:
    pointer: str  # a JSON pointer to the offending value, "" for the document itself
    message: str

    def __str__(self) -> str:
        return f"{self.pointer or '/'}: {self.message}"


def parse_date_time(value: str) -> datetime | None:
    """An aware datetime for an RFC 3339 string, or None when it is not one."""
    if not isinstance(value, str) or not _DATE_TIME.match(value):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("z", "Z").replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None


def _format_checker():
    from jsonschema import FormatChecker

    checker = FormatChecker()

    # jsonschema checks "date-time" and "uri" only with optional packages; these two checks are
    # all ninjs needs, so they are written here rather than adding dependencies.
    @checker.checks("date-time")
    def is_date_time(value) -> bool:
        return not isinstance(value, str) or parse_date_time(value) is not None

    # Lenient on purpose, like IPTC's own suite (which accepts "uri": "002-schema"): a URI reference
    # (relative paths included, as renditions beside a file are) with no spaces or control characters.
    @checker.checks("uri")
    def is_uri(value) -> bool:
        return not isinstance(value, str) or (value != "" and not any(c.isspace() or ord(c) < 32 for c in value))

    return checker


@cache
def validator():
    from jsonschema import validators
    from referencing import Registry, Resource

    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    geojson = json.loads((SCHEMA_DIR / "GeoJSON.json").read_text(encoding="utf-8"))
    registry = Registry().with_resource(GEOJSON_ID, Resource.from_contents(geojson))
    cls = validators.validator_for(schema)
    return cls(schema, registry=registry, format_checker=_format_checker())


def _pointer(path) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def problems(document) -> list[SchemaProblem]:
    """Every way the document breaks ninjs 2.2, most specific first, at most 10."""
    found = []
    for error in sorted(validator().iter_errors(document), key=lambda e: list(map(str, e.absolute_path))):
        # "oneOf"/"anyOf" failures hide the useful message one level down.
        best = error
        if error.context:
            from jsonschema.exceptions import best_match

            best = best_match(error.context) or error
        found.append(SchemaProblem(_pointer(best.absolute_path), best.message))
        if len(found) >= 10:
            break
    return found
