"""Template helpers for reader pages: dates and digits in the reader's language, figures."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format

register = template.Library()

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@register.filter
def digits(value) -> str:
    """Arabic-Indic digits on Arabic pages when the newsroom chooses them (KHABAR_ARABIC_DIGITS)."""
    text = str(value)
    if translation.get_language() == "ar" and settings.KHABAR_ARABIC_DIGITS == "arabic-indic":
        return text.translate(ARABIC_INDIC)
    return text


@register.filter
def newsdate(value, fmt: str = "DATE_FORMAT") -> str:
    """A date in the active language's own format and month names, in the newsroom's time zone."""
    if not value:
        return ""
    from django.utils import timezone

    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return digits(date_format(value, fmt))


@register.simple_tag(takes_context=True)
def translated_url(context, code: str) -> str:
    """Where the language switcher goes: the page's translation if live, else that edition's home."""
    page = context.get("page")
    cache = context.render_context.setdefault("khabar_translations", {})
    if page is not None and hasattr(page, "get_translations") and "pages" not in cache:
        cache["pages"] = {
            p.locale.language_code: p for p in page.get_translations(inclusive=True).live().select_related("locale")
        }
    translated = cache.get("pages", {}).get(code)
    if translated is not None:
        return translated.url
    return f"/{code}/"


@register.filter
def within(page, ancestor) -> bool:
    """True when ``page`` is ``ancestor`` or below it in the page tree."""
    page_path = getattr(page, "path", "")
    ancestor_path = ancestor["path"] if isinstance(ancestor, dict) else ancestor.path
    return bool(page_path) and page_path.startswith(ancestor_path)
