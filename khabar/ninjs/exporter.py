"""Published ArticlePages → IPTC ninjs 2.2 items (the mapping is in docs/ninjs.md).

The body is written as plain, portable HTML (not the site's templates): <p>/<ul>/<ol> for text,
<h2> for subheadings, <figure><img><figcaption>caption <small>credit</small></figcaption></figure>
for pictures, <blockquote><p>…</p><footer><cite>speaker</cite>, role</footer></blockquote> for pull
quotes, <aside><h3>…</h3><ul>…</ul></aside> for fact boxes, <figure class="embed"> for embeds.
The importer reads exactly these shapes back, so export → import gives the same article.
"""

from __future__ import annotations

import mimetypes
import re

from django.utils.html import escape, format_html
from wagtail.rich_text import expand_db_html

from khabar.news.models import ArticleByline, ArticlePage
from khabar.ninjs.schema import NINJS_SCHEMA_URI, NINJS_VERSION
from khabar.ninjs.uris import article_uri, tag_uri

# Partners get the largest picture the site publishes, never the uploaded original (which is not
# served: khabar/core/media.py).
PUBLISHED_RENDITION = "max-2000x2000"
_RELATIVE_HREF = re.compile(r'(href|src)="(/[^/"][^"]*|/)"')
_BLOCK_KEY = re.compile(r' data-block-key="[^"]*"')


def published_articles(language: str | None = None):
    """What the export covers: every article a reader may see, with what the item needs in few queries."""
    articles = ArticlePage.objects.published().select_related("lead_image", "locale")
    if language:
        articles = articles.filter(locale__language_code=language)
    return articles.prefetch_related("tagged_topics__tag", "bylines__author").order_by("first_published_at", "pk")


def _absolute(url: str, base_url: str) -> str:
    return url if re.match(r"^[a-z][a-z0-9+.-]*:", url, re.I) else base_url.rstrip("/") + "/" + url.lstrip("/")


def _iso(value) -> str:
    return value.isoformat().replace("+00:00", "Z")


def _figure(image, caption: str, credit: str, base_url: str) -> str:
    figcaption = ""
    if caption or credit:
        credit_html = format_html(" <small>{}</small>", credit) if credit else ""
        figcaption = format_html("<figcaption>{}{}</figcaption>", caption, credit_html)
    published = image.get_rendition(PUBLISHED_RENDITION)
    return format_html(
        '<figure><img src="{}" alt="{}" width="{}" height="{}">{}</figure>',
        _absolute(published.url, base_url),
        image.alt_text,
        published.width,
        published.height,
        figcaption,
    )


def body_html(page: ArticlePage, base_url: str) -> str:
    parts = []
    for child in page.body:
        kind, value = child.block_type, child.value
        if kind == "paragraph":
            html = _BLOCK_KEY.sub("", expand_db_html(value.source))
            parts.append(_RELATIVE_HREF.sub(lambda m: f'{m[1]}="{_absolute(m[2], base_url)}"', html))
        elif kind == "subheading":
            parts.append(format_html("<h2>{}</h2>", value))
        elif kind == "image" and value.get("image"):
            image = value["image"]
            parts.append(
                _figure(image, value.get("caption") or image.caption, value.get("credit") or image.credit, base_url)
            )
        elif kind == "pull_quote":
            quote = "<br>".join(escape(line) for line in value["quote"].splitlines())
            role = format_html(", {}", value["role"]) if value.get("role") else ""
            parts.append(
                format_html(
                    "<blockquote><p>{}</p><footer><cite>{}</cite>{}</footer></blockquote>",
                    _Safe(quote),
                    value["speaker"],
                    role,
                )
            )
        elif kind == "fact_box":
            items = "".join(format_html("<li>{}</li>", fact) for fact in value["facts"])
            parts.append(format_html("<aside><h3>{}</h3><ul>{}</ul></aside>", value["title"], _Safe(items)))
        elif kind == "embed" and value:
            url = value.url
            parts.append(format_html('<figure class="embed"><a href="{}">{}</a></figure>', url, url))
    return "".join(parts)


class _Safe(str):
    """Already-escaped HTML for format_html."""

    def __html__(self) -> str:
        return str(self)


def _picture(page: ArticlePage, uri: str, base_url: str) -> dict:
    image = page.lead_image
    published = image.get_rendition(PUBLISHED_RENDITION)
    rendition = {
        "name": "large",
        "href": _absolute(published.url, base_url),
        "contenttype": mimetypes.guess_type(published.file.name)[0] or "application/octet-stream",
        "width": published.width,
        "height": published.height,
    }
    year = (page.first_published_at or image.created_at).year
    picture = {
        "name": "featureimage",
        "uri": tag_uri("image", image.pk, year),
        "type": "picture",
        "headlines": [{"role": "main", "value": image.title}],
        "descriptions": [{"role": "alt", "value": image.alt_text}],
        "copyrightnotice": page.credit,
        "renditions": [rendition],
    }
    if page.caption:
        picture["descriptions"].insert(0, {"role": "caption", "value": page.caption})
    return picture


def to_ninjs(page: ArticlePage, base_url: str) -> dict:
    """One published article as a ninjs 2.2 item (valid against the official schema)."""
    uri = article_uri(page)
    bylines: list[ArticleByline] = sorted(page.bylines.all(), key=lambda b: b.sort_order or 0)
    section = page.get_parent()
    item: dict = {
        "standard": {"name": "ninjs", "version": NINJS_VERSION, "schema": NINJS_SCHEMA_URI},
        "uri": uri,
        "type": "text",
        "representationtype": "full",
        "version": str(page.live_revision_id or 1),
        "pubstatus": "usable",
        "language": page.locale.language_code,
        "headlines": [{"role": "main", "value": page.title}],
        "descriptions": [{"role": "summary", "contenttype": "text/plain", "value": page.standfirst}],
        "bodies": [{"role": "main", "contenttype": "text/html", "value": body_html(page, base_url)}],
        "altids": [{"role": "url", "value": _absolute(page.get_url() or page.url_path, base_url)}],
    }
    if page.first_published_at:
        item["firstcreated"] = _iso(page.first_published_at)
        item["versioncreated"] = _iso(page.updated_at or page.first_published_at)
    if bylines:
        names = [b.author.title for b in bylines]
        item["by"] = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        item["people"] = [
            {"name": b.author.title, "rel": "author", "uri": _absolute(b.author.get_url() or "/", base_url)}
            for b in bylines
        ]
    subjects = [{"name": tag.name, "rel": "topic", "literal": tag.slug} for tag in page.topics.all()]
    if section is not None:
        subjects.append({"name": section.title, "rel": "section", "literal": section.slug})
    if subjects:
        item["subjects"] = subjects
    if page.dateline:
        item["located"] = page.dateline
    if page.lead_image:
        item["associations"] = [_picture(page, uri, base_url)]
    return item
