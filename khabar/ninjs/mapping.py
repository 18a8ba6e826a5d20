"""IPTC ninjs 2.x → what one item says in Khabar's terms (``Article``), with no database.

The pure half of the import (docs/ninjs.md has the mapping): reading files, checking each item
against the ninjs schema and Khabar's limits, and picking headline, summary, body, authors,
topics, dates and pictures out of it. ``khabar.ninjs.importer`` writes the result as pages.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime

from bs4 import BeautifulSoup
from django.conf import settings
from django.utils.html import escape
from django.utils.translation import gettext as _

from khabar.ninjs import schema
from khabar.ninjs.html_import import BodyParts, body_blocks, plain_text, rich_text, text_of

ARTICLE_TYPES = {"text", "composite"}
AUTHOR_RELS = {"author", "creator", "byline", "writer", "contributor"}
SUMMARY_ROLES = {"summary", "abstract", "description", "standfirst", "teaser", "lead", ""}
ALT_ROLES = {"alt", "alttext", "alternative", "alternativetext", "accessibility"}
LEAD_NAMES = {"featureimage", "featuremedia", "leadimage", "lead", "main", "mainpicture"}


class ItemFailed(Exception):
    """Bad input: the item is not imported; the message says why."""


class ItemSkipped(Exception):
    """A deliberate refusal (not an error): the message says why."""


# --- Reading files -------------------------------------------------------------


def decode_documents(raw: bytes, label: str) -> list[tuple[str, object]]:
    """(label, document) pairs from one file: a JSON object, an array of them, or JSON lines.

    Raises ItemFailed naming the line and column of the first syntax error.
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ItemFailed(_("not UTF-8 text (bad byte at offset %(offset)s)") % {"offset": exc.start})
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg != "Extra data":
            raise ItemFailed(_bad_json(exc))
        return _json_lines(text, label)
    if isinstance(document, list):
        return [(f"{label}[{n}]", item) for n, item in enumerate(document)]
    return [(label, document)]


def _bad_json(exc: json.JSONDecodeError, line_offset: int = 0) -> str:
    return _("invalid JSON at line %(line)s, column %(column)s: %(reason)s") % {
        "line": exc.lineno + line_offset,
        "column": exc.colno,
        "reason": exc.msg,
    }


def _json_lines(text: str, label: str) -> list[tuple[str, object]]:
    documents = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            documents.append((f"{label}:{number}", json.loads(line)))
        except json.JSONDecodeError as exc:
            documents.append((f"{label}:{number}", ItemFailed(_bad_json(exc, number - 1))))
    return documents


def check_size(size: int) -> None:
    limit = settings.KHABAR_NINJS_MAX_FILE_BYTES
    if size > limit:
        raise ItemFailed(
            _("file is %(size).1f MB, over the %(limit).1f MB limit; not read")
            % {"size": size / (1024 * 1024), "limit": limit / (1024 * 1024)}
        )


# --- Picking values from a ninjs document -------------------------------------------------


def _role(entry: dict) -> str:
    return str(entry.get("role", "")).rsplit("/", 1)[-1].rsplit(":", 1)[-1].lower()


def _text(entry: dict) -> str:
    value = entry.get("value", "")
    if "html" in str(entry.get("contenttype", "")).lower() or re.search(r"<[a-zA-Z]", value):
        return plain_text(value)
    return re.sub(r"\s+", " ", value).strip()


def main_headline(doc: dict) -> str:
    headlines = [h for h in doc.get("headlines", []) if h.get("value", "").strip()]
    chosen = next((h for h in headlines if _role(h) in {"main", ""}), headlines[0] if headlines else None)
    return _text(chosen) if chosen else ""


def summary(doc: dict) -> str:
    descriptions = [d for d in doc.get("descriptions", []) if d.get("value", "").strip()]
    chosen = next((d for d in descriptions if _role(d) in SUMMARY_ROLES), descriptions[0] if descriptions else None)
    return _text(chosen) if chosen else ""


def main_body(doc: dict) -> tuple[str, str] | None:
    """(value, contenttype) of the body to publish: the HTML main body when there is one."""
    bodies = [b for b in doc.get("bodies", []) if b.get("value", "").strip()]
    if not bodies:
        return None

    def rank(body: dict) -> tuple[int, int]:
        return (0 if _role(body) in {"main", ""} else 1, 0 if "html" in body.get("contenttype", "html") else 1)

    best = sorted(bodies, key=rank)[0]
    return best["value"], best.get("contenttype", "text/html")


def author_names(doc: dict) -> list[str]:
    people = [p for p in doc.get("people", []) if (p.get("name") or p.get("literal"))]
    named = [
        (p.get("name") or p.get("literal")).strip()
        for p in people
        if str(p.get("rel", "")).rsplit("/", 1)[-1].rsplit(":", 1)[-1].lower() in AUTHOR_RELS
    ]
    if not named and doc.get("by"):
        by = re.sub(r"^\s*(by|بقلم)[:\s]+", "", doc["by"], flags=re.I)
        named = [n.strip() for n in re.split(r",|;|&|\s+and\s+|\s+و\s+", by) if n.strip()]
    unique = []
    for name in named:
        if name.lower() not in {u.lower() for u in unique}:
            unique.append(name[:255])
    return unique


def topic_names(doc: dict) -> list[str]:
    names = []
    for subject in doc.get("subjects", []):
        if str(subject.get("rel", "")).lower() == "section":
            continue
        name = (subject.get("name") or subject.get("literal") or "").strip()[:100]
        if name and name.lower() not in {n.lower() for n in names}:
            names.append(name)
    return names


def dates(doc: dict) -> tuple[datetime | None, datetime | None, datetime | None]:
    """(first published, updated, embargoed until) from firstcreated/contentcreated, versioncreated, embargoed."""
    first = schema.parse_date_time(doc.get("firstcreated") or doc.get("contentcreated") or "")
    version = schema.parse_date_time(doc.get("versioncreated") or "")
    embargo = schema.parse_date_time(doc.get("embargoed") or "")
    if first is None:
        first = version
    updated = version if version and first and version > first else None
    return first, updated, embargo


def _descriptions(item: dict, roles: set[str]) -> str:
    return next((_text(d) for d in item.get("descriptions", []) if _role(d) in roles and d.get("value")), "")


def picture_caption(item: dict) -> str:
    return (
        _descriptions(item, {"caption"})
        or _descriptions(item, SUMMARY_ROLES)
        or main_headline(item)
        or (item.get("title") or "").strip()
    )


def picture_alt(item: dict) -> str:
    return _descriptions(item, ALT_ROLES) or picture_caption(item)


def item_credit(item: dict, keys: tuple[str, ...] = ("copyrightnotice", "by", "copyrightholder")) -> str:
    """A picture's credit; for a text item only its copyright (its `by` names the writer, not the photographer)."""
    for key in keys:
        if str(item.get(key, "")).strip():
            return item[key].strip()
    return ""


def best_rendition(item: dict) -> str:
    renditions = [r for r in item.get("renditions", []) if r.get("href")]
    if not renditions:
        raise ItemFailed(
            _("picture %(name)s has no rendition with an href") % {"name": item.get("name") or item.get("uri")}
        )
    named = next((r for r in renditions if r.get("name", "").lower() == "original"), None)
    return (named or max(renditions, key=lambda r: (r.get("width") or 0) * (r.get("height") or 0)))["href"]


def picture_associations(doc: dict) -> list[dict]:
    pictures = [a for a in doc.get("associations", []) if a.get("type") in {"picture", "graphic"}]
    # The one named as the lead ("featureimage" and similar) goes first.
    return sorted(pictures, key=lambda a: 0 if a.get("name", "").lower().replace("_", "") in LEAD_NAMES else 1)


# --- One item ----------------------------------------------------------------------


@dataclass
class Article:
    """What one ninjs item says, in Khabar's terms, before it touches the database."""

    uri: str
    language: str
    headline: str
    standfirst: str
    dateline: str
    body: BodyParts
    authors: list[str]
    topics: list[str]
    pictures: list[dict]
    first_published: datetime | None
    updated: datetime | None
    embargo: datetime | None
    subjects: list[dict]
    credit_fallback: str
    notes: list[str] = field(default_factory=list)


def read_item(doc, languages: set[str]) -> Article:
    """What one ninjs item says, checked against the schema and Khabar's limits (no database).

    ``languages`` are the editions here; an item in another language is skipped.
    """
    if not isinstance(doc, dict):
        raise ItemFailed(_("a ninjs item must be a JSON object, not %(kind)s") % {"kind": type(doc).__name__})
    problems = schema.problems(doc)
    if problems:
        raise ItemFailed(_("not valid ninjs 2.x: %(problems)s") % {"problems": "; ".join(str(p) for p in problems)})
    kind = doc.get("type", "text")
    if kind not in ARTICLE_TYPES:
        raise ItemSkipped(_("a %(type)s item, not a text story") % {"type": kind})
    if doc.get("pubstatus") in {"withheld", "canceled"}:
        raise ItemSkipped(_("pubstatus is %(status)s") % {"status": doc["pubstatus"]})
    if len(doc["uri"]) > 500:
        raise ItemFailed(_("/uri: %(n)s characters, over the 500 Khabar keeps") % {"n": len(doc["uri"])})
    headline = main_headline(doc)
    if not headline:
        raise ItemFailed(_("no headline (/headlines has no non-empty value)"))
    if len(headline) > 255:
        raise ItemFailed(_("/headlines: the headline is %(n)s characters, over 255") % {"n": len(headline)})
    language = edition_language(doc, languages)
    body = read_body(doc)
    first, updated, embargo = dates(doc)
    standfirst = summary(doc) or _first_paragraph(body) or headline
    notes = list(body.notes)
    if len(standfirst) > 600:
        standfirst = standfirst[:599].rsplit(" ", 1)[0] + "…"
        notes.append(_("standfirst shortened to 600 characters"))
    return Article(
        uri=doc["uri"],
        language=language,
        headline=headline,
        standfirst=standfirst,
        dateline=(doc.get("located") or "").strip()[:100],
        body=body,
        authors=author_names(doc),
        topics=topic_names(doc),
        pictures=picture_associations(doc),
        first_published=first,
        updated=updated,
        embargo=embargo,
        subjects=list(doc.get("subjects", [])) + list(doc.get("genres", [])),
        credit_fallback=item_credit(doc, ("copyrightnotice", "copyrightholder")),
        notes=notes,
    )


def edition_code(tag: str) -> str:
    """The edition code a BCP 47 tag asks for: its primary subtag (ckb-IQ → ckb, fa-IR → fa), or the
    language whose "content_tags" (settings.KHABAR_LANGUAGE_INFO) name it: Sorani is also tagged
    Kurdish + Arabic script (ku-Arab), Iranian Persian has its own ISO 639-3 code (pes). Kurdish in
    Latin script or with no script is not Sorani and finds no edition through it."""
    subtags = tag.replace("_", "-").lower().split("-")
    script = next((s for s in subtags[1:] if len(s) == 4 and s.isalpha()), None)
    asked = {f"{subtags[0]}-{script}", subtags[0]} if script else {subtags[0]}
    for code, row in settings.KHABAR_LANGUAGE_INFO.items():
        if asked & {alias.lower() for alias in row.get("content_tags", [])}:
            return code
    return subtags[0]


def edition_language(doc: dict, languages: set[str]) -> str:
    language = doc.get("language") or settings.LANGUAGE_CODE
    code = edition_code(language)
    if code not in languages:
        raise ItemSkipped(
            _("language %(language)s has no edition here (editions: %(editions)s)")
            % {"language": language, "editions": ", ".join(sorted(languages))}
        )
    return code


def read_body(doc: dict) -> BodyParts:
    found = main_body(doc)
    if found is None:
        return BodyParts()
    value, contenttype = found
    size = len(value.encode("utf-8"))
    if size > settings.KHABAR_NINJS_MAX_BODY_BYTES:
        raise ItemFailed(
            _("/bodies: the body is %(size).1f MB, over the %(limit).1f MB limit; not parsed")
            % {"size": size / (1024 * 1024), "limit": settings.KHABAR_NINJS_MAX_BODY_BYTES / (1024 * 1024)}
        )
    if "html" not in contenttype.lower():
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", value) if p.strip()]
        html = "".join(f"<p>{_escape(p)}</p>" for p in paragraphs)
        return BodyParts(blocks=[("paragraph", rich_text(html))] if paragraphs else [])
    return body_blocks(value)


def _first_paragraph(body: BodyParts) -> str:
    for block_type, value in body.blocks:
        if block_type == "paragraph":
            text = text_of(BeautifulSoup(value, "html.parser")).split("\n")[0]
            if text:
                return text
    return ""


def _escape(text: str) -> str:
    return escape(text).replace("\n", "<br>")
