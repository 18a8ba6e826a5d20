"""IPTC ninjs 2.x → draft (or published) ArticlePages, one transaction per item.

The database half of the import: ``khabar.ninjs.mapping`` reads what an item says (docs/ninjs.md
has the mapping); this module finds or makes its section, authors and pictures and saves it.
Every item ends as an ``Outcome``: created, updated, skipped (a deliberate choice, with the
reason) or failed (bad input, with the reason). A failed item leaves nothing behind: its
database rows are rolled back and its picture files deleted.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import override

from khabar.news.editions import ensure_editions
from khabar.news.models import ArticleByline, ArticlePage, AuthorIndexPage, AuthorPage, HomePage, SectionPage
from khabar.ninjs.html_import import FigureSpec
from khabar.ninjs.mapping import (
    Article,
    ItemFailed,
    ItemSkipped,
    best_rendition,
    item_credit,
    main_headline,
    picture_alt,
    picture_caption,
    read_item,
)
from khabar.ninjs.pictures import PictureError, check_picture, read_rendition, store_picture
from khabar.ninjs.uris import page_id_from_uri

logger = logging.getLogger(__name__)

CREATED, UPDATED, SKIPPED, FAILED = "created", "updated", "skipped", "failed"
WIRE_SLUG = "wire"
_IDS = re.compile(r'"id": "[^"]*"')
_BLOCK_KEY = re.compile(r' data-block-key="[^"]*"')


@dataclass
class Outcome:
    label: str
    status: str
    message: str = ""
    page: ArticlePage | None = None
    notes: list[str] = field(default_factory=list)


# --- The importer ------------------------------------------------------------------


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
            article = read_item(document, set(self.homes))
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


def _validation_message(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in exc.message_dict.items())
    return " ".join(exc.messages)
