"""Template helpers for reader pages: dates and digits in the reader's language, figures."""

from __future__ import annotations

from collections import OrderedDict

from django import template
from django.utils import timezone, translation
from django.utils.formats import date_format, get_format

from khabar.lib import jalali, languages

register = template.Library()


@register.filter
def digits(value) -> str:
    """Digits in the reader's language's own system (KHABAR_DIGITS, e.g. ٠١٢٣ or ۰۱۲۳)."""
    return languages.localise_digits(str(value), translation.get_language())


@register.filter
def direction(code) -> str:
    """ "rtl" or "ltr" for a language code (``dir="{{ language|direction }}"``)."""
    return languages.direction(str(code or ""))


@register.filter
def newsdate(value, fmt: str = "DATE_FORMAT") -> str:
    """A date in the active language's own format, month names, calendar and digits, in the
    newsroom's time zone. Only what readers read changes: ``<time datetime>`` stays ISO (machine_date)."""
    if not value:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    language = translation.get_language()
    text = ""
    if languages.calendar(language) == "solar-hijri":
        try:
            text = jalali.format_date(value, get_format(fmt))
        except ValueError:  # a year the calendar's table does not cover: the Gregorian date
            text = ""
    return digits(text or date_format(value, fmt))


@register.filter
def within(page, ancestor) -> bool:
    """True when ``page`` is ``ancestor`` or below it in the page tree."""
    page_path = getattr(page, "path", "")
    ancestor_path = ancestor["path"] if isinstance(ancestor, dict) else ancestor.path
    return bool(page_path) and page_path.startswith(ancestor_path)


@register.filter
def machine_date(value) -> str:
    """A timestamp for ``<time datetime>`` (whole seconds, as HTML expects)."""
    return value.isoformat(timespec="seconds") if value else ""


FORMATS = [("avif", "image/avif"), ("webp", "image/webp"), ("jpeg", "image/jpeg")]


_PICTURES: OrderedDict = OrderedDict()  # rendered <picture> markup, most recently used last
_PICTURES_MAX = 4000


@register.simple_tag
def picture(image, widths: str, **options) -> str:
    """A responsive ``<picture>``, remembered per process for as long as the image stays the same.

    The key holds everything the markup depends on (file, focal point, options),
    so a new upload or focal point gives new markup; the markup only names
    rendition URLs, which stay valid while their image is unchanged.
    """
    if image is None:
        return ""
    focal = image.get_focal_point()
    key = (image.pk, image.file.name, focal.as_tuple() if focal else None, widths, tuple(sorted(options.items())))
    html = _PICTURES.get(key)
    if html is None:
        html = _picture(image, widths, **options)
        _PICTURES[key] = html
        if len(_PICTURES) > _PICTURES_MAX:
            _PICTURES.popitem(last=False)
    else:
        _PICTURES.move_to_end(key)
    return html


def _picture(
    image,
    widths: str,
    *,
    ratio: str = "",
    sizes: str = "100vw",
    alt: str = "",
    loading: str = "lazy",
    css_class: str = "",
) -> str:
    """A responsive ``<picture>``: AVIF, WebP and JPEG sources at the widths asked for.

    Widths larger than the original are dropped (no upscaled copies, and no
    duplicate widths in srcset); ``ratio`` ("16x9") crops around the focal point.
    All renditions are looked up in one batch (and found in the renditions cache once warm).
    """
    from django.utils.html import format_html, format_html_join

    if image is None:
        return ""
    asked = [int(w) for w in widths.split(",")]
    usable = [w for w in asked if w <= image.width] or [min(asked[0], image.width)]
    ratio_w, ratio_h = (int(n) for n in ratio.split("x")) if ratio else (0, 0)

    def spec(width: int, fmt: str) -> str:
        size = f"fill-{width}x{round(width * ratio_h / ratio_w)}" if ratio else f"width-{width}"
        return f"{size}|format-{fmt}"

    renditions = image.get_renditions(*[spec(w, f) for f, _type in FORMATS for w in usable])

    def srcset(fmt: str) -> str:
        seen, parts = set(), []
        for width in usable:
            rendition = renditions[spec(width, fmt)]
            if rendition.width not in seen:
                seen.add(rendition.width)
                parts.append(f"{rendition.url} {rendition.width}w")
        return ", ".join(parts)

    fallback = renditions[spec(usable[0], "jpeg")]
    sources = format_html_join(
        "", '<source type="{}" srcset="{}" sizes="{}">', ((mime, srcset(fmt), sizes) for fmt, mime in FORMATS[:2])
    )
    return format_html(
        '<picture>{}<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" loading="{}"{}></picture>',
        sources,
        fallback.url,
        srcset("jpeg"),
        sizes,
        fallback.width,
        fallback.height,
        alt,
        loading,
        format_html(' class="{}"', css_class) if css_class else "",
    )


@register.filter
def own_direction(value) -> str:
    """``dir="ltr"`` (or rtl) for a block written in the other direction from the page, else "".

    Used on story blocks, so untranslated English copy in an Arabic story reads left to right."""
    from django.utils.html import format_html

    from khabar.lib.direction import differing_direction

    direction = differing_direction(_block_text(value), translation.get_language_bidi())
    return format_html(' dir="{}"', direction) if direction else ""


def _block_text(value) -> str:
    """The words of a block value: rich text's HTML, a struct's or a list's parts (not their reprs)."""
    from wagtail.blocks.list_block import ListValue

    if value is None:
        return ""
    if hasattr(value, "source"):  # RichText
        return value.source
    if isinstance(value, dict):  # StructValue
        return " ".join(_block_text(part) for part in value.values())
    if isinstance(value, (list, tuple, ListValue)):
        return " ".join(_block_text(part) for part in value)
    return value if isinstance(value, str) else ""
