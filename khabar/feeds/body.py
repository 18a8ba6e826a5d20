"""A story body as safe, self-contained HTML for feed readers (the full-text option).

Feed readers show HTML without our CSS or scripts, from another origin: so the
body is rebuilt from the StreamField's raw data into plain semantic HTML with
absolute URLs, then cleaned with nh3 (an allow-list sanitiser). Images and
internal links are resolved for all items at once, so a feed costs the same
number of queries whatever its length.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import nh3
from django.http import HttpRequest
from django.utils.html import format_html
from wagtail.rich_text import expand_db_html

from khabar.core.models import NewsImage
from khabar.feeds.links import absolute

BODY_IMAGE_SPEC = "width-1200|format-jpeg"
ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "a", "ul", "ol", "li", "sup", "sub", "h2", "h3",
    "blockquote", "figure", "figcaption", "img", "aside", "small", "cite", "footer",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "width", "height"}}
# Marks the boundary between rich-text blocks so that all of them are expanded in one call.
_SEPARATOR = "<!--khabar-block-->"


def _image_ids(raw_blocks: Iterable[dict]) -> set[int]:
    return {block["value"].get("image") for block in raw_blocks if block.get("type") == "image"} - {None}


def _figure(value: dict, images: dict[int, NewsImage], request: HttpRequest | None) -> str:
    image = images.get(value.get("image"))
    if image is None:
        return ""  # the image was deleted: show nothing rather than a broken picture
    rendition = image.get_rendition(BODY_IMAGE_SPEC)
    caption = value.get("caption") or image.caption
    credit = value.get("credit") or image.credit
    figcaption = ""
    if caption or credit:
        figcaption = format_html(
            "<figcaption>{}{}</figcaption>", caption, format_html(" <small>[{}]</small>", credit) if credit else ""
        )
    return format_html(
        '<figure><img src="{}" alt="{}" width="{}" height="{}">{}</figure>',
        absolute(rendition.url, request),
        image.alt_text,
        rendition.width,
        rendition.height,
        figcaption,
    )


def _plain_block(kind: str, value, images, request) -> str:
    if kind == "subheading":
        return format_html("<h2>{}</h2>", value)
    if kind == "image":
        return _figure(value, images, request)
    if kind == "pull_quote":
        who = ", ".join(part for part in (value.get("speaker"), value.get("role")) if part)
        return format_html("<blockquote><p>{}</p><footer>— {}</footer></blockquote>", value.get("quote", ""), who)
    if kind == "embed":
        return format_html('<p><a href="{}">{}</a></p>', value, value)
    if kind == "fact_box":
        items = "".join(format_html("<li>{}</li>", fact) for fact in value.get("facts", []))
        return format_html("<aside><h3>{}</h3><ul>{}</ul></aside>", value.get("title", ""), items)
    return ""  # a block type added later shows nothing until it is taught here


def _url_rewriter(request: HttpRequest | None) -> Callable[[str, str, str], str | None]:
    def rewrite(tag: str, attribute: str, value: str) -> str | None:
        if attribute in {"href", "src"}:
            return absolute(value, request) if value.startswith("/") else value
        return value

    return rewrite


def bodies_html(articles: Iterable, request: HttpRequest | None = None) -> dict[int, str]:
    """Safe HTML of each article's body, keyed by page id, in a fixed number of queries."""
    raw = {article.pk: list(article.body.raw_data) for article in articles}
    ids = set().union(*(_image_ids(blocks) for blocks in raw.values())) if raw else set()
    images = {img.pk: img for img in NewsImage.objects.filter(pk__in=ids).prefetch_renditions(BODY_IMAGE_SPEC)}

    # Expand every paragraph of every article in one call (one query per link type, not per article).
    paragraphs = [block["value"] for blocks in raw.values() for block in blocks if block.get("type") == "paragraph"]
    expanded = iter(expand_db_html(_SEPARATOR.join(paragraphs)).split(_SEPARATOR)) if paragraphs else iter(())

    result = {}
    for pk, blocks in raw.items():
        parts = []
        for block in blocks:
            kind = block.get("type")
            parts.append(
                next(expanded) if kind == "paragraph" else _plain_block(kind, block.get("value"), images, request)
            )
        result[pk] = clean("".join(parts), request)
    return result


def clean(html: str, request: HttpRequest | None = None) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener",
        attribute_filter=_url_rewriter(request),
    )
