"""Lite-edition tags: links between full and lite pages, the banner, pictures on request, body blocks."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html

from khabar.lite import links
from khabar.newsroom.banner import current_banner

register = template.Library()

PICTURE_SALT = "khabar.lite.picture"
LITE_TYPES = {"homepage", "sectionpage", "articlepage"}


def has_lite_version(page) -> bool:
    return getattr(page, "_meta", None) is not None and page._meta.model_name in LITE_TYPES


@register.filter
def lite_path(url: str) -> str:
    return links.lite_path(url) if url else ""


@register.filter
def lite_url(page) -> str:
    return links.lite_url(page)


@register.simple_tag(takes_context=True)
def lite_alternate(context) -> str:
    """<link rel="alternate"> from a full page to its lite version (home, sections, stories)."""
    page = context.get("page")
    if not has_lite_version(page) or getattr(context.get("request"), "is_preview", False):
        return ""
    return format_html('<link rel="alternate" href="{}" title="{}">', links.lite_url(page), _lite_label())


@register.simple_tag(takes_context=True)
def lite_link(context) -> str:
    """The visible link to the lite version of this page, else to the lite front page."""
    page = context.get("page")
    url = links.lite_url(page) if has_lite_version(page) else reverse("lite_page", args=[""])
    return format_html('<a class="lite-link" href="{}">{}</a>', url, _lite_label())


def _lite_label() -> str:
    return translation.gettext("Lite version (text only, for slow connections)")


@register.simple_tag
def lite_banner() -> str:
    banner = current_banner(translation.get_language() or settings.LANGUAGE_CODE)
    return render_to_string("lite/banner.html", {"banner": banner}) if banner else ""


@register.inclusion_tag("lite/languages.html")
def lite_languages() -> dict:
    current = translation.get_language()
    return {"editions": [(code, name, f"/{code}/lite/") for code, name in settings.LANGUAGES if code != current]}


@register.simple_tag
def lite_picture(image, caption: str = "", credit: str = "") -> str:
    """A picture as its caption and credit, with a link that loads it only when the reader asks."""
    # A plain signature (no timestamp, unlike signing.dumps) so a page renders to the same bytes every time.
    url = reverse("lite_picture", args=[signing.Signer(salt=PICTURE_SALT).sign(str(image.pk))])
    return render_to_string(
        "lite/figure.html",
        {"caption": caption or image.caption, "credit": credit or image.credit, "picture_url": url},
    )


@register.simple_tag
def lite_block(block) -> str:
    """A story body block without pictures, embeds or scripts."""
    if block.block_type == "image":
        value = block.value
        return lite_picture(value["image"], value.get("caption", ""), value.get("credit", ""))
    return render_to_string(f"lite/blocks/{block.block_type}.html", {"value": block.value})
