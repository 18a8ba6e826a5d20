"""Editions: one Wagtail locale and one HomePage per configured language."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from wagtail.models import Locale, Page, Site

from khabar.lib import languages
from khabar.news.models import HomePage


@transaction.atomic
def ensure_editions() -> HomePage:
    """Make sure every language in LANGUAGES has a locale and a live edition home.

    The default language's home is the Site root; the other editions' homes
    are its translations (same translation key), as Wagtail's i18n expects.
    Returns the default edition's home. Safe to call again: it only adds what is missing.
    """
    locales = {code: Locale.objects.get_or_create(language_code=code)[0] for code, _name in settings.LANGUAGES}
    default_locale = locales[settings.LANGUAGE_CODE]
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    root = Page.get_first_root_node()

    home = HomePage.objects.filter(locale=default_locale).order_by("path").first()
    if home is None:
        home = HomePage(
            title=languages.edition_title(settings.LANGUAGE_CODE),
            slug=settings.LANGUAGE_CODE,
            locale=default_locale,
        )
        root.add_child(instance=home)
        home.save_revision().publish()
    if site is None:
        site = Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=settings.SITE_NAME
        )
    elif site.root_page_id != home.pk:
        old_root = site.root_page
        site.root_page = home
        site.site_name = settings.SITE_NAME
        site.save()
        # Wagtail's placeholder "Welcome" page is of no use to a newsroom.
        if type(old_root.specific) is Page and old_root.slug == "home" and not old_root.get_children().exists():
            old_root.delete()

    for code, locale in locales.items():
        if code == settings.LANGUAGE_CODE or HomePage.objects.filter(locale=locale).exists():
            continue
        translation = home.copy_for_translation(locale)
        translation.title = languages.edition_title(code)
        translation.draft_title = translation.title
        translation.slug = code
        translation.save()
        translation.save_revision().publish()
    return home
