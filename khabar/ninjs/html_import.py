"""Body HTML from the wire → StreamField blocks (paragraph, subheading, image, pull quote, fact box, embed).

The HTML is first cleaned with nh3 (an allow-list: no scripts, styles, event handlers or
javascript: URLs survive), then walked top-level element by top-level element. Rich text is
passed through Wagtail's own Draftail converter so it is stored exactly as the editor would.
Figures are returned as ``FigureSpec`` for the importer to turn into images.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import nh3
from bs4 import BeautifulSoup, NavigableString, Tag

from khabar.core.blocks import PARAGRAPH_FEATURES

ALLOWED_TAGS = {
    "p", "br", "b", "strong", "i", "em", "u", "a", "ul", "ol", "li", "sup", "sub",
    "h1", "h2", "h3", "h4", "h5", "h6", "figure", "figcaption", "img", "small", "cite",
    "blockquote", "footer", "aside", "div", "section", "article", "span", "q",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href"}, "img": {"src", "alt", "title"}, "figure": {"class"}}
LINK_SCHEMES = {"http", "https", "mailto", "tel"}
PICTURE_SCHEMES = {"http", "https", "data", "file", ""}
TRAILING_CREDIT = re.compile(r"\s*[\[(]\s*([^\[\]()]{2,250}?)\s*[\])]\s*$")
CONTAINERS = {"div", "section", "article", "span"}
RUN_TAGS = {"p", "ul", "ol"}


@dataclass
class FigureSpec:
    """A picture placed in the body, before it is fetched."""

    src: str
    alt: str = ""
    caption: str = ""
    credit: str = ""


@dataclass
class BodyParts:
    blocks: list[tuple[str, object]] = field(default_factory=list)  # (block type, value or FigureSpec)
    notes: list[str] = field(default_factory=list)


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "href":
        scheme = urlsplit(value.strip()).scheme.lower()
        return value if scheme in LINK_SCHEMES or (not scheme and not value.strip().startswith("//")) else None
    if tag == "img" and attribute == "src":
        scheme = urlsplit(value.strip()).scheme.lower()
        return value if scheme in PICTURE_SCHEMES else None
    if tag == "figure" and attribute == "class":
        return "embed" if "embed" in value.split() else None
    return value


def sanitise(html: str) -> str:
    """Only the tags a story body may carry; script and style contents are dropped entirely."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=LINK_SCHEMES | PICTURE_SCHEMES - {""},
        attribute_filter=_attribute_filter,
        link_rel=None,
        strip_comments=True,
    )


def text_of(node) -> str:
    """The visible text of a node, with <br> as a line break and runs of spaces collapsed."""
    if isinstance(node, NavigableString):
        return re.sub(r"\s+", " ", str(node))
    parts = []
    for child in node.children:
        if isinstance(child, Tag) and child.name == "br":
            parts.append("\n")
        else:
            parts.append(text_of(child))
    lines = "".join(parts).split("\n")
    return "\n".join(re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in lines).strip()


def rich_text(html: str) -> str:
    """Wagtail's stored rich-text form, through the same converter the admin editor uses."""
    from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter

    converter = ContentstateConverter(features=PARAGRAPH_FEATURES)
    stored = converter.to_database_format(converter.from_database_format(html))
    return stored if text_of(BeautifulSoup(stored, "html.parser")) else ""


def split_credit(caption_node: Tag) -> tuple[str, str]:
    """(caption, credit) from a <figcaption>: a <small>/<cite> inside it, or trailing "[Photo via …]"."""
    credit_node = caption_node.find(["small", "cite"])
    if credit_node is not None:
        credit = text_of(credit_node).strip("[]() ")
        credit_node.extract()
        return text_of(caption_node), credit
    caption = text_of(caption_node)
    match = TRAILING_CREDIT.search(caption)
    if match:
        return caption[: match.start()].strip(), match.group(1).strip()
    return caption, ""


def figure_spec(node: Tag) -> FigureSpec | None:
    img = node if node.name == "img" else node.find("img")
    if img is None or not img.get("src"):
        return None
    caption, credit = "", ""
    figcaption = node.find("figcaption") if node.name == "figure" else None
    if figcaption is not None:
        caption, credit = split_credit(figcaption)
    alt = (img.get("alt") or "").strip()
    return FigureSpec(
        src=img["src"].strip(), alt=alt, caption=caption or (img.get("title") or "").strip(), credit=credit
    )


def pull_quote(node: Tag) -> dict | None:
    """A <blockquote> with its speaker in a <footer> or <cite>; None when nobody is named."""
    footer = node.find("footer")
    cite = (footer or node).find("cite")
    speaker, role = "", ""
    if cite is not None:
        speaker = text_of(cite)
        if footer is not None:
            cite.extract()
            role = text_of(footer).strip(" ,—–-")
    elif footer is not None:
        speaker = text_of(footer).strip(" —–-")
    for part in (footer, cite):
        if part is not None:
            part.extract()
    paragraphs = [text_of(p) for p in node.find_all("p")] or [text_of(node)]
    quote = "\n".join(p for p in paragraphs if p)
    if not quote:
        return None
    if not speaker:
        return {"quote": quote}
    return {"quote": quote, "speaker": speaker[:200], "role": role[:200]}


def fact_box(node: Tag) -> dict | None:
    heading = node.find(["h1", "h2", "h3", "h4", "h5", "h6"])
    items = [text_of(li) for li in node.find_all("li")]
    if heading is None or not items:
        return None
    return {"title": text_of(heading)[:200], "facts": [item[:400] for item in items if item]}


class _Walker:
    def __init__(self) -> None:
        self.parts = BodyParts()
        self.run: list[str] = []

    def flush(self) -> None:
        if self.run:
            stored = rich_text("".join(self.run))
            if stored:
                self.parts.blocks.append(("paragraph", stored))
            self.run = []

    def add(self, block_type: str, value) -> None:
        self.flush()
        self.parts.blocks.append((block_type, value))

    def walk(self, parent) -> None:
        for node in list(parent.children):
            if isinstance(node, NavigableString):
                if str(node).strip():
                    self.run.append(f"<p>{nh3.clean_text(str(node).strip())}</p>")
                continue
            self.element(node)

    def element(self, node: Tag) -> None:
        name = node.name
        if name in CONTAINERS:
            self.walk(node)
        elif name in RUN_TAGS:
            # Pictures inside a paragraph become image blocks after it.
            images = [img.extract() for img in node.find_all("img")]
            self.run.append(str(node))
            for img in images:
                self.figure(img)
        elif name in {"h1", "h2", "h3", "h4"}:
            text = text_of(node).replace("\n", " ")
            if text:
                self.add("subheading", text[:255])
        elif name in {"h5", "h6"}:
            self.run.append(f"<p><b>{nh3.clean_text(text_of(node))}</b></p>")
        elif name in {"figure", "img"}:
            self.figure(node)
        elif name == "blockquote":
            value = pull_quote(node)
            if value and "speaker" in value:
                self.add("pull_quote", value)
            elif value:  # an unattributed quote stays in the text, in quotation marks
                self.run.append(f"<p>“{nh3.clean_text(value['quote'])}”</p>")
        elif name == "aside":
            value = fact_box(node)
            if value:
                self.add("fact_box", value)
            else:
                self.walk(node)
        elif name == "br":
            return
        else:  # inline content at the top level (b, a, q…): keep it as a paragraph
            self.run.append(f"<p>{node}</p>")

    def figure(self, node: Tag) -> None:
        if node.name == "figure" and "embed" in (node.get("class") or []) and node.find("img") is None:
            link = node.find("a")
            if link is not None and urlsplit(link.get("href", "")).scheme in {"http", "https"}:
                self.add("embed", link["href"])
                return
        spec = figure_spec(node)
        if spec is not None:
            self.add("image", spec)
            return
        text = text_of(node)
        if text:
            self.run.append(f"<p>{nh3.clean_text(text)}</p>")


def body_blocks(html: str) -> BodyParts:
    """StreamField block values for an HTML body (figures as FigureSpec, resolved by the importer)."""
    clean = sanitise(html)
    if clean != html and re.search(r"<\s*(script|style|iframe|object)|\son\w+\s*=|javascript:", html, re.I):
        note = "unsafe HTML removed from the body (scripts, styles, event handlers or javascript: links)"
    else:
        note = ""
    walker = _Walker()
    walker.walk(BeautifulSoup(clean, "html.parser"))
    walker.flush()
    if note:
        walker.parts.notes.append(note)
    return walker.parts


def plain_text(html: str) -> str:
    """Text for a headline or summary that arrived as HTML."""
    return text_of(BeautifulSoup(sanitise(html), "html.parser")).replace("\n", " ")
