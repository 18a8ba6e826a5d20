"""IPTC ninjs 2.x → draft (or published) ArticlePages, one transaction per item.

The mapping is documented in docs/ninjs.md. Every item ends as an ``Outcome``: created, updated,
skipped (a deliberate choice, with the reason) or failed (bad input, with the reason). A failed
item leaves nothing behind: its database rows are rolled back and its picture files deleted.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bs4 import BeautifulSoup
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import override

from khabar.news.editions import ensure_editions
from khabar.news.models import ArticleByline, ArticlePage, AuthorIndexPage, AuthorPage, HomePage, SectionPage
from khabar.ninjs import schema
from khabar.ninjs.html_import import BodyParts, FigureSpec, body_blocks, plain_text, rich_text, text_of
from khabar.ninjs.pictures import PictureError, check_picture, read_rendition, store_picture
from khabar.ninjs.uris import page_id_from_uri

logger = logging.getLogger(__name__)

CREATED, UPDATED, SKIPPED, FAILED = "created", "updated", "skipped", "failed"
ARTICLE_TYPES = {"text", "composite"}
AUTHOR_RELS = {"author", "creator", "byline", "writer", "contributor"}
SUMMARY_ROLES = {"summary", "abstract", "description", "standfirst", "teaser", "lead", ""}
ALT_ROLES = {"alt", "alttext", "alternative", "alternativetext", "accessibility"}
LEAD_NAMES = {"featureimage", "featuremedia", "leadimage", "lead", "main", "mainpicture"}
WIRE_SLUG = "wire"
_IDS = re.compile(r'"id": "[^"]*"')
_BLOCK_KEY = re.compile(r' data-block-key="[^"]*"')


class ItemFailed(Exception):
    """Bad input: the item is not imported; the message says why."""


class ItemSkipped(Exception):
    """A deliberate refusal (not an error): the message says why."""


@dataclass
class Outcome:
    label: str
    status: str
    message: str = ""
    page: ArticlePage | None = None
    notes: list[str] = field(default_factory=list)


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


# --- The importer ------------------------------------------------------------------


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


class Importer:
    def __init__(self, *, publish: bool = False, section: str | None = None) -> None:
        self.publish = publish
        self.section_slug = section
        ensure_editions()
        self.homes = {home.locale.language_code: home for home in HomePage.objects.select_related("locale")}

    # -- entry point --

    def import_document(self, document, *, label: str, base_dir: Path | None) -> Outcome:
        created_files: list[str] = []
        try:
            if isinstance(document, ItemFailed):
                raise document
            article = self.read(document)
            with transaction.atomic():
                outcome = self.save(article, base_dir=base_dir, created_files=created_files, label=label)
        except ItemSkipped as exc:
            return Outcome(label, SKIPPED, str(exc))
        except (ItemFailed, PictureError) as exc:
            self._remove(created_files)
            return Outcome(label, FAILED, str(exc))
        except ValidationError as exc:
            self._remove(created_files)
            return Outcome(label, FAILED, _validation_message(exc))
        except Exception as exc:  # one broken item must never stop the batch
            logger.exception("ninjs import of %s failed", label)
            self._remove(created_files)
            return Outcome(label, FAILED, _("unexpected error: %(error)s") % {"error": exc})
        return outcome

    @staticmethod
    def _remove(names: list[str]) -> None:
        for name in names:
            default_storage.delete(name)

    # -- reading --

    def read(self, doc) -> Article:
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
        language = self.edition_language(doc)
        body = self.read_body(doc)
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

    def edition_language(self, doc: dict) -> str:
        language = doc.get("language") or settings.LANGUAGE_CODE
        code = language.split("-")[0].lower()
        if code not in self.homes:
            raise ItemSkipped(
                _("language %(language)s has no edition here (editions: %(editions)s)")
                % {"language": language, "editions": ", ".join(sorted(self.homes))}
            )
        return code

    def read_body(self, doc: dict) -> BodyParts:
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

    # -- writing --

    def save(self, article: Article, *, base_dir: Path | None, created_files: list[str], label: str) -> Outcome:
        home = self.homes[article.language]
        existing = self.find_existing(article.uri)
        if existing is not None and existing.locale_id != home.locale_id:
            raise ItemSkipped(
                _("already imported into the %(language)s edition (page %(id)s); its language is not changed")
                % {"language": existing.locale.language_code, "id": existing.pk}
            )
        pictures = PictureResolver(article, base_dir, created_files)
        fields = {
            "title": article.headline,
            "draft_title": article.headline,
            "standfirst": article.standfirst,
            "dateline": article.dateline,
            "body": pictures.body_blocks(),
            "updated_at": article.updated,
            "embargo_until": article.embargo,
        }
        lead_image, lead_caption, lead_credit = pictures.lead()
        fields.update(lead_image=lead_image, lead_caption=lead_caption, lead_credit=lead_credit)
        if pictures.extra:
            fields["body"] = fields["body"] + pictures.extra
        authors = [self.author(home, name) for name in article.authors]
        if existing is None:
            return self.create(article, home, fields, authors, label)
        return self.update(article, existing, fields, authors, label)

    def find_existing(self, uri: str) -> ArticlePage | None:
        page = ArticlePage.objects.filter(source_uri=uri).select_related("locale").first()
        if page is None:
            own_id = page_id_from_uri(uri)  # an article exported from this site comes back to itself
            if own_id is not None:
                page = ArticlePage.objects.filter(pk=own_id).select_related("locale").first()
        return page

    def create(self, article: Article, home: HomePage, fields: dict, authors: list[AuthorPage], label: str) -> Outcome:
        section = self.section(home, article)
        page = ArticlePage(locale=home.locale, live=False, source_uri=article.uri, **fields)
        page.first_published_at = article.first_published
        if not slugify(article.headline, allow_unicode=True):
            page.slug = "item-" + hashlib.sha1(article.uri.encode()).hexdigest()[:10]  # noqa: S324 - a name, not security
        page.bylines = [ArticleByline(author=a, sort_order=n) for n, a in enumerate(authors)]
        page.topics.add(*article.topics)
        section.add_child(instance=page)
        revision = page.save_revision(log_action=True)
        if self.publish:
            revision.publish()
            page.refresh_from_db()
        return Outcome(label, CREATED, page=page, notes=article.notes)

    def update(self, article: Article, page: ArticlePage, fields: dict, authors: list[AuthorPage], label: str):
        page = page.specific
        draft = page.get_latest_revision_as_object()
        before = snapshot(draft)
        for name, value in fields.items():
            setattr(draft, name, value)
        if page.first_published_at is None:
            draft.first_published_at = article.first_published
        draft.bylines = [ArticleByline(author=a, sort_order=n) for n, a in enumerate(authors)]
        draft.topics.clear()
        draft.topics.add(*article.topics)
        unpublished = not page.live or page.has_unpublished_changes
        if snapshot(draft) == before and not (self.publish and unpublished):
            raise ItemSkipped(_("unchanged since the last import (page %(id)s)") % {"id": page.pk})
        revision = draft.save_revision(log_action=True)
        if self.publish:
            revision.publish()
        page.refresh_from_db()
        return Outcome(label, UPDATED, page=page, notes=article.notes)

    def section(self, home: HomePage, article: Article) -> SectionPage:
        sections = list(SectionPage.objects.child_of(home))
        if self.section_slug:
            chosen = next((s for s in sections if s.slug == self.section_slug), None)
            if chosen is None:
                raise ItemFailed(
                    _("no section %(slug)s in the %(language)s edition")
                    % {"slug": self.section_slug, "language": article.language}
                )
            return chosen
        by_key = {}
        for sec in sections:
            by_key.setdefault(sec.slug.lower(), sec)
            by_key.setdefault(sec.title.lower(), sec)
        ordered = sorted(article.subjects, key=lambda s: 0 if str(s.get("rel", "")).lower() == "section" else 1)
        for subject in ordered:
            for key in (subject.get("literal"), subject.get("name")):
                if key and key.strip().lower() in by_key:
                    return by_key[key.strip().lower()]
        return self.wire_section(home, sections)

    @staticmethod
    def wire_section(home: HomePage, sections: list[SectionPage]) -> SectionPage:
        wire = next((s for s in sections if s.slug == WIRE_SLUG), None)
        if wire is None:
            with override(home.locale.language_code):
                wire = SectionPage(title=_("Wire"), slug=WIRE_SLUG, locale=home.locale)
            home.add_child(instance=wire)
            wire.save_revision().publish()
        return wire

    @staticmethod
    def author(home: HomePage, name: str) -> AuthorPage:
        found = AuthorPage.objects.descendant_of(home).filter(title__iexact=name).first()
        if found is not None:
            return found
        index = AuthorIndexPage.objects.child_of(home).first()
        if index is None:
            with override(home.locale.language_code):
                index = AuthorIndexPage(title=_("Authors"), slug="authors", locale=home.locale)
            home.add_child(instance=index)
            index.save_revision().publish()
        author = AuthorPage(title=name, kind=AuthorPage.CONTRIBUTOR, locale=home.locale)
        if not slugify(name, allow_unicode=True):
            author.slug = "author-" + hashlib.sha1(name.encode()).hexdigest()[:10]  # noqa: S324 - a name, not security
        index.add_child(instance=author)
        author.save_revision().publish()
        return author


class PictureResolver:
    """Turns FigureSpecs and picture associations into NewsImages, once per distinct rendition."""

    def __init__(self, article: Article, base_dir: Path | None, created_files: list[str]) -> None:
        self.article = article
        self.base_dir = base_dir
        self.created_files = created_files
        self.used_hrefs: set[str] = set()
        self.extra: list[dict] = []

    def image(self, href: str, *, title: str, alt: str, caption: str, credit: str):
        if not credit:
            raise ItemFailed(
                _("picture %(href)s has no credit (no copyrightnotice, by or copyrightholder, and none in the caption)")
                % {"href": href[:200]}
            )
        if not alt:
            alt = _("Picture accompanying “%(headline)s”") % {"headline": self.article.headline}
        picture = check_picture(read_rendition(href, self.base_dir), href)
        self.used_hrefs.add(href)
        return store_picture(
            picture, title=title or caption or alt, alt_text=alt, caption=caption, credit=credit,
            created=self.created_files,
        )  # fmt: skip

    def body_blocks(self) -> list[dict]:
        blocks = []
        for block_type, value in self.article.body.blocks:
            if isinstance(value, FigureSpec):
                credit = value.credit or self.article.credit_fallback
                image = self.image(
                    value.src, title=value.caption, alt=value.alt or value.caption, caption=value.caption, credit=credit
                )
                value = {
                    "image": image.pk,
                    "caption": "" if value.caption == image.caption else value.caption[:500],
                    "credit": "" if credit == image.credit else credit[:250],
                }
            blocks.append({"type": block_type, "value": value})
        return blocks

    def lead(self):
        """(lead image, caption, credit) from the first picture association; the others go after the body.

        Caption and credit are blank when they are the image's own (the page falls back to those)."""
        lead, caption, lead_credit = None, "", ""
        for n, item in enumerate(self.article.pictures):
            href = best_rendition(item)
            if href in self.used_hrefs:
                continue
            item_caption = picture_caption(item)
            credit = item_credit(item) or self.article.credit_fallback
            image = self.image(
                href, title=main_headline(item) or item.get("title", ""), alt=picture_alt(item),
                caption=item_caption, credit=credit,
            )  # fmt: skip
            if n == 0:
                lead, caption = image, ("" if item_caption == image.caption else item_caption[:500])
                lead_credit = "" if credit == image.credit else credit[:250]
            else:
                self.extra.append(
                    {"type": "image", "value": {
                        "image": image.pk, "caption": "" if item_caption == image.caption else item_caption[:500],
                        "credit": "" if credit == image.credit else credit[:250]}}
                )  # fmt: skip
        return lead, caption, lead_credit


def snapshot(page: ArticlePage) -> dict:
    """What a reader would call "the article", as plain data: equal snapshots read the same.

    Used to tell an unchanged re-import, and by the round-trip tests. Consecutive paragraph blocks
    count as one (they render the same), and a caption or credit equal to the image's own counts as
    the image's own.
    """
    lead = page.lead_image
    return {
        "title": page.title,
        "standfirst": page.standfirst,
        "dateline": page.dateline,
        "body": body_snapshot(page),
        "lead_image": page.lead_image_id,
        "lead_caption": page.lead_caption or (lead.caption if lead else ""),
        "lead_credit": page.lead_credit or (lead.credit if lead else ""),
        "topics": sorted(t.name.lower() for t in page.topics.all()),
        "authors": [b.author_id for b in page.bylines.all()],
        "updated_at": page.updated_at,
        "embargo_until": page.embargo_until,
    }


def body_snapshot(page: ArticlePage) -> list:
    blocks: list = []
    for child in page.body:
        if child.block_type == "paragraph":
            html = _BLOCK_KEY.sub("", child.value.source)
            if blocks and blocks[-1][0] == "paragraph":
                blocks[-1] = ("paragraph", blocks[-1][1] + html)
                continue
            blocks.append(("paragraph", html))
        elif child.block_type == "image":
            image = child.value.get("image")
            caption = child.value.get("caption") or (image.caption if image else "")
            credit = child.value.get("credit") or (image.credit if image else "")
            blocks.append(("image", (image.pk if image else None, caption, credit)))
        else:
            prep = json.dumps(child.block.get_prep_value(child.value), sort_keys=True, default=str)
            blocks.append((child.block_type, _IDS.sub("", prep)))
    return blocks


def _first_paragraph(body: BodyParts) -> str:
    for block_type, value in body.blocks:
        if block_type == "paragraph":
            text = text_of(BeautifulSoup(value, "html.parser")).split("\n")[0]
            if text:
                return text
    return ""


def _escape(text: str) -> str:
    return escape(text).replace("\n", "<br>")


def _validation_message(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in exc.message_dict.items())
    return " ".join(exc.messages)
