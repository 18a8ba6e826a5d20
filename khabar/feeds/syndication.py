"""RSS 2.0 and Atom 1.0 feeds of articles, built on Django's syndication framework.

Decisions (documented in docs/api.md too):
- guid / Atom id: a tag: URI (RFC 4151) built from the public host and the page id,
  e.g. ``tag:news.example,2026:article/42`` with ``isPermaLink="false"``; it does not
  change when the story is edited, retitled or moved to another section.
- pubDate / published: first publication. Atom ``updated`` (and ``atom:updated`` in RSS
  items): the latest of first publication, the editor's "last updated" time and any
  correction or update note — the changes a reader should hear about.
- The lead image is the RSS enclosure (and an Atom ``rel="enclosure"`` link) and a
  ``media:content`` with size, type, width, height, caption and credit.
- Description/summary: the standfirst plus the article's corrections; ``?full=1`` adds
  the body as ``content:encoded`` (RSS) or ``content`` (Atom), sanitised.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed, rfc3339_date
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from wagtail.models import Page

from khabar.core.models import NewsImage
from khabar.feeds import body
from khabar.feeds.channels import Channel
from khabar.feeds.links import ENCLOSURE_SPEC, absolute, rendition_size
from khabar.lib.controls import strip_control_characters, strip_control_characters_deep
from khabar.news.models import ArticleByline, ArticlePage, Correction

MEDIA_NS = "http://search.yahoo.com/mrss/"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
GUID_DATE = "2026"  # fixed forever: changing it would change every guid


def guid(article: ArticlePage) -> str:
    host = urlsplit(settings.BASE_URL).hostname or "localhost"
    return f"tag:{host},{GUID_DATE}:article/{article.pk}"


def entry_updated(article: ArticlePage) -> datetime:
    dates = [article.first_published_at, article.last_updated]
    return max(d for d in dates if d)


def corrections_html(article: ArticlePage) -> str:
    return format_html_join(
        "",
        "<p><strong>{}</strong> <time>{}</time> — {}</p>",
        (
            (
                _("Update:") if note.kind == Correction.UPDATE else _("Correction:"),
                note.noted_at.strftime("%Y-%m-%d %H:%M UTC"),
                note.text,
            )
            for note in article.corrections.all()
        ),
    )


def feed_articles(channel: Channel, *, full: bool, limit: int) -> list[ArticlePage]:
    """The newest articles of a channel with all a feed item needs, in a fixed number of queries."""
    queryset = (
        channel.articles.select_related("locale")
        .prefetch_related(
            Prefetch("lead_image", queryset=NewsImage.objects.prefetch_renditions(ENCLOSURE_SPEC)),
            Prefetch("bylines", queryset=ArticleByline.objects.select_related("author").order_by("sort_order")),
            Prefetch("corrections", queryset=Correction.objects.order_by("noted_at")),
            "topics",
        )
        .order_by("-first_published_at", "-pk")
    )
    if not full:
        queryset = queryset.defer_streamfields()
    articles = list(queryset[:limit])
    # Each article's section, in one query (get_parent() would cost one per item).
    parents = {p.path: p for p in Page.objects.filter(path__in={a.path[: -a.steplen] for a in articles})}
    for article in articles:
        article.feed_section = parents.get(article.path[: -article.steplen])
    return articles


class XmlSafeItems:
    """A second defence behind the page's own cleaning: one story with a control character (illegal in
    XML 1.0; Django refuses to write it) must not make the whole feed fail."""

    def add_item(self, *args, **kwargs) -> None:
        super().add_item(*strip_control_characters_deep(args), **strip_control_characters_deep(kwargs))


class KhabarRssFeed(XmlSafeItems, Rss201rev2Feed):
    def rss_attributes(self) -> dict:
        return {**super().rss_attributes(), "xmlns:media": MEDIA_NS, "xmlns:content": CONTENT_NS, "xmlns:dc": DC_NS}

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        for name, _url in item["bylines"]:
            handler.addQuickElement("dc:creator", name)
        if item["updateddate"] is not None:
            handler.addQuickElement("atom:updated", rfc3339_date(item["updateddate"]))
        if item["content"]:
            handler.addQuickElement("content:encoded", item["content"])
        add_media(handler, item)


class KhabarAtomFeed(XmlSafeItems, Atom1Feed):
    def root_attributes(self) -> dict:
        return {**super().root_attributes(), "xmlns:media": MEDIA_NS}

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        for name, url in item["bylines"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            if url:
                handler.addQuickElement("uri", url)
            handler.endElement("author")
        if item["content"]:
            handler.addQuickElement("content", item["content"], {"type": "html"})
        add_media(handler, item)


def add_media(handler, item) -> None:
    media = item["media"]
    if not media:
        return
    handler.startElement(
        "media:content",
        {
            "url": media["url"],
            "type": "image/jpeg",
            "medium": "image",
            "fileSize": str(media["length"]),
            "width": str(media["width"]),
            "height": str(media["height"]),
        },
    )
    if media["caption"]:
        handler.addQuickElement("media:description", media["caption"], {"type": "plain"})
    if media["credit"]:
        handler.addQuickElement("media:credit", media["credit"])
    handler.endElement("media:content")


class ArticleFeed(Feed):
    """One channel's articles; a new instance serves each request (it keeps per-request state)."""

    feed_type = KhabarRssFeed
    atom = False

    def __init__(self, channel: Channel, *, full: bool) -> None:
        super().__init__()
        self.channel = channel
        self.full = full
        self.language = channel.language
        self.author_name = settings.SITE_NAME  # Atom needs an author when an entry has no byline

    def get_object(self, request: HttpRequest, *args, **kwargs) -> Channel:
        self.request = request
        return self.channel

    def title(self, obj: Channel) -> str:
        return strip_control_characters(obj.title)

    def link(self, obj: Channel) -> str:
        return obj.link

    def description(self, obj: Channel) -> str:
        return strip_control_characters(obj.description)

    subtitle = description

    def feed_url(self, obj: Channel) -> str:
        path = obj.atom_path if self.atom else obj.feed_path
        return path + ("?full=1" if self.full else "")

    def items(self, obj: Channel) -> list[ArticlePage]:
        items = feed_articles(obj, full=self.full, limit=settings.KHABAR_FEED_SIZE)
        self.bodies = body.bodies_html(items, self.request) if self.full else {}
        return items

    def item_title(self, item: ArticlePage) -> str:
        return item.title

    def item_link(self, item: ArticlePage) -> str:
        return item.get_url(self.request)

    def item_guid(self, item: ArticlePage) -> str:
        return guid(item)

    item_guid_is_permalink = False

    def item_pubdate(self, item: ArticlePage) -> datetime:
        return item.first_published_at

    def item_updateddate(self, item: ArticlePage) -> datetime:
        return entry_updated(item)

    def item_description(self, item: ArticlePage) -> str:
        return format_html("<p>{}</p>", item.standfirst) + corrections_html(item)

    def item_categories(self, item: ArticlePage) -> list[str]:
        section = [item.feed_section.title] if item.feed_section else []
        return section + [tag.name for tag in item.topics.all()]

    def item_enclosures(self, item: ArticlePage) -> list[Enclosure]:
        media = self._media(item)
        return [Enclosure(media["url"], str(media["length"]), "image/jpeg")] if media else []

    def item_extra_kwargs(self, item: ArticlePage) -> dict:
        content = None
        if self.full:
            content = self.bodies.get(item.pk, "") + corrections_html(item)
        # An author page that is not live is a 404: no link to it (the name alone).
        bylines = [
            (b.author.title, absolute(b.author.get_url(self.request), self.request) if b.author.live else None)
            for b in item.bylines.all()
        ]
        return {"bylines": bylines, "media": self._media(item), "content": content}

    def _media(self, item: ArticlePage) -> dict | None:
        if not item.lead_image:
            return None
        if not hasattr(item, "_feed_media"):
            rendition = item.lead_image.get_rendition(ENCLOSURE_SPEC)
            item._feed_media = {
                "url": absolute(rendition.url, self.request),
                "length": rendition_size(rendition),
                "width": rendition.width,
                "height": rendition.height,
                "caption": item.caption,
                # The article's own credit override where the news app has one, else the image's.
                "credit": getattr(item, "credit", "") or item.lead_image.credit,
            }
        return item._feed_media


class AtomArticleFeed(ArticleFeed):
    feed_type = KhabarAtomFeed
    atom = True
