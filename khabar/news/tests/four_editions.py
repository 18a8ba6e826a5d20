"""A newsroom of four editions (English, Arabic, Central Kurdish, Persian) for the channel tests.

Each edition has a section, an author, an article with a lead image, a topic and a correction;
the sections and articles are translations of the English ones (one translation key), so every
page that has language versions links all four. Tests wrap their class in ``four_editions``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.test import override_settings
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from taggit.models import Tag
from wagtail.models import Locale

from khabar import testing
from khabar.news.models import ArticlePage, AuthorPage, Correction, HomePage, SectionPage

EDITIONS = ["en", "ar", "ckb", "fa"]
RIGHT_TO_LEFT = {"ar", "ckb", "fa"}
LANGUAGES = [("en", "English"), ("ar", "العربية"), ("ckb", "کوردی"), ("fa", "فارسی")]

# The settings Wagtail and Django read the editions from; their caches are cleared on change.
four_editions = override_settings(
    LANGUAGES=LANGUAGES, WAGTAIL_CONTENT_LANGUAGES=LANGUAGES, WAGTAILADMIN_PERMITTED_LANGUAGES=LANGUAGES
)

TEXT = {
    "en": {
        "section": "Iraq News",
        "headline": "Parliament passes the water budget",
        "standfirst": "Lawmakers approved the spending plan after a night of debate.",
        "body": "The vote came after midnight.",
        "author": "Layla Hassan",
        "topic": "Water",
        "correction": "An earlier version gave the wrong total.",
    },
    "ar": {
        "section": "أخبار العراق",
        "headline": "البرلمان يقرّ موازنة المياه",
        "standfirst": "أقرّ النواب خطة الإنفاق بعد ليلة من النقاش.",
        "body": "صوّت النواب بعد منتصف الليل.",
        "author": "ليلى حسن",
        "topic": "المياه",
        "correction": "ذكرت نسخة سابقة مجموعاً خاطئاً.",
    },
    "ckb": {
        "section": "هەواڵەکانی عێراق",
        "headline": "پەرلەمان بودجەی ئاو پەسەند دەکات",
        "standfirst": "پەرلەمانتاران دوای شەوێک گفتوگۆ پلانی خەرجییەکەیان پەسەند کرد.",
        "body": "دەنگدان دوای نیوەشەو کرا.",
        "author": "لەیلا حەسەن",
        "topic": "ئاو",
        "correction": "وەشانێکی پێشوو کۆی گشتیی هەڵەی نووسیبوو.",
    },
    "fa": {
        "section": "اخبار عراق",
        "headline": "مجلس بودجه آب را تصویب کرد",
        "standfirst": "نمایندگان پس از یک شب بحث، طرح هزینه را تصویب کردند.",
        "body": "رأی‌گیری پس از نیمه‌شب انجام شد.",
        "author": "لیلا حسن",
        "topic": "آب",
        "correction": "نسخه‌ای پیشین جمع را اشتباه نوشته بود.",
    },
}


@dataclass
class Edition:
    code: str
    home: HomePage
    section: SectionPage
    author: AuthorPage
    article: ArticlePage
    topic: Tag
    correction: Correction

    @property
    def direction(self) -> str:
        return "rtl" if self.code in RIGHT_TO_LEFT else "ltr"

    @property
    def text(self) -> dict:
        return TEXT[self.code]

    @property
    def topic_url(self) -> str:
        return self.home.topic_url(self.topic.slug)


def build(codes: list[str] = EDITIONS) -> dict[str, Edition]:
    """Every edition in ``codes`` (the first is the one the others translate), built once per class."""
    editions: dict[str, Edition] = {}
    first = None
    now = timezone.now()
    for n, code in enumerate(codes):
        text = TEXT[code]
        if first is None:
            section = testing.section(text["section"], language=code, slug="iraq")
        else:
            section = first.section.copy_for_translation(Locale.objects.get(language_code=code))
            section.title = text["section"]
            section.save()
            testing.publish(section)
        writer = testing.author(text["author"], language=code)
        article = testing.article(
            section,
            text["headline"],
            authors=[writer],
            standfirst=text["standfirst"],
            body=[testing.paragraph(text["body"])],
            lead_image=testing.image(),
            slug="water-budget",
            published=now - timedelta(hours=n + 1),
            **({"translation_key": first.article.translation_key} if first else {}),
        )
        article.topics.add(text["topic"])
        testing.publish(article)
        # After publishing: a publish restores the child rows from the revision (new primary keys).
        correction = Correction.objects.create(
            page=article, text=text["correction"], noted_at=now - timedelta(minutes=n)
        )
        editions[code] = Edition(
            code=code,
            home=testing.home(code),
            section=section,
            author=writer,
            article=ArticlePage.objects.get(pk=article.pk),
            topic=Tag.objects.get(name=text["topic"]),
            correction=correction,
        )
        first = first or editions[code]
    return editions


def interface(code: str, message: str) -> str:
    """An interface string as the edition shows it: its catalogue's translation (English in English)."""
    with translation.override(code):
        return gettext(message)


def interface_plural(code: str, singular: str, plural: str, count: int) -> str:
    """A counted interface string (e.g. "%(count)s Comments") as the edition shows it."""
    with translation.override(code):
        return ngettext(singular, plural, count) % {"count": count}
