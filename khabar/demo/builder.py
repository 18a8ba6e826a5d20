"""Builds demo content: a demo site in every configured edition, and bulk-generated articles for scale tests."""

from __future__ import annotations

import json
import random
import sys
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag
from tqdm import tqdm
from wagtail.models import Page

from khabar.core.models import NewsroomSettings
from khabar.demo import content, content_ckb, content_fa
from khabar.news import listing
from khabar.news.editions import ensure_editions
from khabar.news.images import make_news_image
from khabar.news.models import (
    ArticleByline,
    ArticlePage,
    ArticleTopic,
    AuthorIndexPage,
    AuthorPage,
    Correction,
    HomePage,
    LiveUpdate,
    SectionPage,
    StandardPage,
)

ENGLISH_ARTICLES = 60
ARABIC_TRANSLATIONS = 16
ARABIC_ONLY = 8
REGIONAL_EDITIONS = {edition.language: edition for edition in (content_ckb.EDITION, content_fa.EDITION)}


def article_count() -> int:
    return ArticlePage.objects.count()


def _publish(page, when=None):
    page.save_revision().publish()
    if when is not None:
        type(page).objects.filter(pk=page.pk).update(first_published_at=when, last_published_at=when)
        listing.refresh([page.pk])
    return page


def _translate(page, locale, **fields):
    """A linked translation of ``page`` in ``locale`` (same translation key), published."""
    translated = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translated, name, value)
    translated.draft_title = translated.title
    translated.save()
    return _publish(translated)


def _translated(source, locale, parent, model, **fields):
    """``_translate(source, …)`` or, when the source's edition is off, the same page made on its own."""
    if source is not None:
        return _translate(source, locale, **fields)
    page = model(locale=locale, **fields)
    parent.add_child(instance=page)
    return _publish(page)


# --- The full demo site -----------------------------------------------------


@transaction.atomic
def build_demo_site(seed: int = 7) -> str:
    rng = random.Random(seed)
    ensure_editions()
    homes = _edition_homes()
    home_en, home_ar = homes.get("en"), homes.get("ar")
    ar = home_ar.locale if home_ar else None
    _update_homes(home_en, home_ar)

    images = _images(rng)
    settings_obj = NewsroomSettings.load()
    settings_obj.publisher_name = "Khabar"
    settings_obj.logo = images["logo"]
    settings_obj.save()

    sections_en, sections_ar = _sections(home_en, home_ar, ar)
    authors_en, authors_ar = _authors(home_en, home_ar, ar, images)
    _plain_pages(home_en, home_ar, ar)
    now = timezone.now()
    english = _english_articles(rng, sections_en, authors_en, images, now) if home_en else []
    arabic = []
    if ar:
        arabic = _arabic_articles(rng, english, sections_ar, authors_ar, images, now, ar)
    _developing_and_corrections(english, arabic, now)
    # The other editions come last and draw on no shared random numbers, so English and Arabic are
    # the same whichever other editions are on.
    regional = {
        code: _regional_edition(REGIONAL_EDITIONS[code], home, english, now)
        for code, home in homes.items()
        if code in REGIONAL_EDITIONS
    }
    return _summary(sections_en, authors_en, english, arabic, ar, regional)


def _edition_homes() -> dict[str, HomePage]:
    """Each configured edition's home, by language code, in the order of LANGUAGES."""
    homes = {}
    for code, _name in settings.LANGUAGES:
        home = HomePage.objects.filter(locale__language_code=code).select_related("locale").order_by("path").first()
        if home is not None:
            homes[code] = home
    return homes


def _summary(sections_en, authors_en, english, arabic, ar, regional) -> str:
    parts = []
    if english:
        parts.append(f"{len(sections_en)} sections, {len(authors_en)} authors and {len(english)} articles in English")
    if ar:
        parts.append(f"{len(arabic)} articles in Arabic")
    parts += [f"{len(articles)} articles in {REGIONAL_EDITIONS[code].name}" for code, articles in regional.items()]
    return f"Demo content loaded: {'; '.join(parts)}."


def _update_homes(home_en: HomePage | None, home_ar: HomePage | None) -> None:
    if home_en:
        home_en.tagline = "News from Iraq and the region"
        _publish(home_en)
    if home_ar:
        home_ar.tagline = "أخبار العراق والمنطقة"
        _publish(home_ar)


def _images(rng: random.Random) -> dict:
    images: dict = {"logo": make_news_image("Khabar logo", alt_text="Khabar", credit="Khabar", seed=999)}
    captions = [
        ("Farmers walk along a river embankment at sunset", "مزارعون يسيرون على ضفة النهر عند الغروب"),
        ("The old quarter seen from a rooftop", "الحي القديم كما يبدو من أحد الأسطح"),
        ("Date palms near the river", "نخيل التمر قرب النهر"),
        ("Morning light over the market", "ضوء الصباح فوق السوق"),
        ("A new road on the edge of the city", "طريق جديد عند أطراف المدينة"),
        ("Hills outside the city in spring", "تلال خارج المدينة في الربيع"),
    ]
    images["stock"] = []
    for n in range(18):
        caption_en, caption_ar = captions[n % len(captions)]
        place_en, place_ar = content.PLACES[n % len(content.PLACES)]
        credit_en, credit_ar = content.CREDITS[n % len(content.CREDITS)]
        image = make_news_image(
            f"{caption_en} ({place_en})",
            alt_text=f"{caption_en} in {place_en}",
            caption=f"{caption_en} in {place_en}.",
            credit=credit_en.format(place=place_en),
            seed=rng.randint(1, 10_000),
        )
        image.caption_ar = f"{caption_ar} في {place_ar}."
        image.credit_ar = credit_ar.format(place=place_ar)
        images["stock"].append(image)
    return images


def _sections(home_en, home_ar, ar):
    sections_en, sections_ar = {}, {}
    for slug, title, description, title_ar, description_ar in content.SECTIONS:
        section = None
        if home_en:
            section = SectionPage(title=title, slug=slug, description=description, locale=home_en.locale)
            home_en.add_child(instance=section)
            sections_en[slug] = _publish(section)
        if ar:
            sections_ar[slug] = _translated(
                section, ar, home_ar, SectionPage, title=title_ar, description=description_ar, slug=slug
            )
    return sections_en, sections_ar


def _authors(home_en, home_ar, ar, images):
    index = None
    if home_en:
        index = AuthorIndexPage(title="Our writers", slug="authors", locale=home_en.locale)
        home_en.add_child(instance=index)
        _publish(index)
    index_ar = _translated(index, ar, home_ar, AuthorIndexPage, title="كتّابنا", slug="authors") if ar else None
    authors_en, authors_ar = [], []
    bios = (
        "Writes about {beat} for Khabar and has reported from every province of Iraq.",
        "يكتب عن {beat} في خبر، وغطّى الأحداث في كل محافظات العراق.",
    )
    for n, (name, name_ar, role, role_ar, kind) in enumerate(content.AUTHORS):
        photo = images["stock"][n % len(images["stock"])]
        author = None
        if index:
            author = AuthorPage(
                title=name,
                slug=slugify(name),
                role=role,
                kind=kind,
                photo=photo,
                bio=bios[0].format(beat=role.lower()),
                locale=home_en.locale,
            )
            index.add_child(instance=author)
            authors_en.append(_publish(author))
        if index_ar:
            # slug, kind and photo are the English page's already; they matter when it is not there.
            ar_fields = {"slug": slugify(name), "kind": kind, "photo": photo}
            authors_ar.append(
                _translated(
                    author,
                    ar,
                    index_ar,
                    AuthorPage,
                    title=name_ar,
                    role=role_ar,
                    bio=bios[1].format(beat=role_ar),
                    **ar_fields,
                )  # fmt: skip
            )
    return authors_en, authors_ar


POLICY_EN = [
    ("paragraph", "<p>We welcome comments that add to the story: facts, experience and civil disagreement.</p>"),
    ("subheading", "What we do not publish"),
    (
        "paragraph",
        "<p>Insults, threats, hate against any group, personal information about others, spam and "
        "advertising, and comments unrelated to the article.</p>",
    ),
    ("subheading", "How moderation works"),
    (
        "paragraph",
        "<p>Most comments are read by a moderator before they appear. We may remove comments that "
        "break these rules and block commenters who break them repeatedly. Your email address is never "
        "shown publicly.</p>",
    ),
]
POLICY_AR = [
    ("paragraph", "<p>نرحب بالتعليقات التي تضيف إلى الخبر: معلومات وتجارب واختلافاً في الرأي بأسلوب لائق.</p>"),
    ("subheading", "ما لا ننشره"),
    (
        "paragraph",
        "<p>الشتائم والتهديدات وخطاب الكراهية ضد أي جماعة، والمعلومات الشخصية عن الآخرين، والرسائل "
        "الدعائية، والتعليقات التي لا صلة لها بالمقال.</p>",
    ),
    ("subheading", "كيف تتم المراجعة"),
    (
        "paragraph",
        "<p>يقرأ مشرف معظم التعليقات قبل نشرها. قد نحذف التعليقات المخالفة لهذه القواعد ونحظر من "
        "يكرر المخالفة. لا نعرض بريدك الإلكتروني أبداً.</p>",
    ),
]


def _plain_pages(home_en, home_ar, ar):
    pages = [
        (
            "About us",
            "about",
            "Khabar is an independent newsroom reporting from Iraq in Arabic and English.",
            [("paragraph", "<p>Our reporters work in Baghdad, Basra, Erbil and Mosul.</p>")],
            "من نحن",
            "خبر غرفة أخبار مستقلة تغطي العراق باللغتين العربية والإنجليزية.",
            [("paragraph", "<p>يعمل مراسلونا في بغداد والبصرة وأربيل والموصل.</p>")],
        ),
        (
            "Contact",
            "contact",
            "Write to the newsroom at newsroom@khabar.example.",
            [("paragraph", "<p>For corrections, write to corrections@khabar.example.</p>")],
            "اتصل بنا",
            "راسلوا غرفة الأخبار على newsroom@khabar.example.",
            [("paragraph", "<p>لطلب التصحيح، راسلونا على corrections@khabar.example.</p>")],
        ),
        (
            "Comment Policy",
            "comment-policy",
            "How we keep the conversation useful and civil.",
            POLICY_EN,
            "سياسة التعليقات",
            "كيف نحافظ على نقاش مفيد ومهذب.",
            POLICY_AR,
        ),
    ]
    for title, slug, intro, body, title_ar, intro_ar, body_ar in pages:
        page = page_ar = None
        if home_en:
            page = StandardPage(
                title=title, slug=slug, intro=intro, body=body, show_in_menus=True, locale=home_en.locale
            )
            home_en.add_child(instance=page)
            _publish(page)
        if ar:
            page_ar = _translated(
                page, ar, home_ar, StandardPage, title=title_ar, intro=intro_ar, body=body_ar, slug=slug,
                show_in_menus=True,
            )  # fmt: skip
        if slug == "comment-policy":
            _choose_comment_policy(page or page_ar)


def _choose_comment_policy(page) -> None:
    """Settings → Comments → comment policy page (unless one is chosen): the comment form's
    "I agree to the Comment Policy" links to it, in each edition to its translation there."""
    from khabar.comments.models import CommentSettings

    config = CommentSettings.load()
    if config.policy_page_id is None:
        config.policy_page = page
        config.save()


def _story_body(kind: content.StoryKind, slots: dict, image, language: int, caption: str, credit: str) -> list:
    def text(pair):
        return content.fill(pair[language], slots)

    body = [("paragraph", f"<p>{text(p)}</p>") for p in kind.paragraphs]
    body.append(
        (
            "pull_quote",
            {"quote": kind.quote[language], "speaker": kind.speaker[language], "role": kind.speaker_role[language]},
        )
    )
    body.append(("subheading", kind.subheading[language]))
    body.append(("image", {"image": image, "caption": caption, "credit": credit}))
    body += [("paragraph", f"<p>{text(p)}</p>") for p in kind.more]
    if kind.facts:
        title = "Key facts" if language == 0 else "حقائق أساسية"
        body.append(("fact_box", {"title": title, "facts": [text(f) for f in kind.facts]}))
    return body


def _english_articles(rng, sections, authors, images, now):
    combos = [(k, p) for k in range(len(content.STORY_KINDS)) for p in range(len(content.PLACES))]
    rng.shuffle(combos)
    staff = [a for a in authors if a.kind == AuthorPage.STAFF]
    guests = [a for a in authors if a.kind == AuthorPage.CONTRIBUTOR]
    articles = []
    for n, (kind_index, place_index) in enumerate(combos[:ENGLISH_ARTICLES]):
        kind = content.STORY_KINDS[kind_index]
        place_en, _place_ar = content.PLACES[place_index]
        slots = content.slots_for(rng, place_en, "en")
        lead, figure = rng.sample(images["stock"], 2)
        writers = [rng.choice(staff)] + ([rng.choice(guests)] if n % 4 == 0 else [])
        page = ArticlePage(
            title=content.fill(kind.headline[0], slots),
            slug=slugify(content.fill(kind.headline[0], slots))[:80],
            standfirst=content.fill(kind.standfirst[0], slots),
            dateline=place_en,
            lead_image=lead,
            body=_story_body(kind, slots, figure, 0, figure.caption, figure.credit),
            locale=sections[kind.section].locale,
        )
        page.seed_kind, page.seed_place, page.seed_slots = kind_index, place_index, slots
        for position, writer in enumerate(writers):
            page.bylines.add(ArticleByline(author=writer, sort_order=position))
        page.topics.add(*[t[0] for t in kind.topics], place_en)
        sections[kind.section].add_child(instance=page)
        # Spread over the last 30 days; the newest few fall inside Google News' 48-hour window.
        published = now - timedelta(hours=n * 11 + rng.randint(0, 5), minutes=rng.randint(0, 59))
        _publish(page, when=published)
        page.published_for_demo = published
        articles.append(page)
    return articles


def _arabic_articles(rng, english, sections_ar, authors_ar, images, now, ar):
    by_key = {a.translation_key: a for a in authors_ar}
    articles = []
    for source in english[:ARABIC_TRANSLATIONS]:
        kind = content.STORY_KINDS[source.seed_kind]
        place_ar = content.PLACES[source.seed_place][1]
        slots = content.slots_for(rng, place_ar, "ar")
        figure = images["stock"][rng.randrange(len(images["stock"]))]
        page = ArticlePage(
            title=content.fill(kind.headline[1], slots),
            slug=source.slug,
            standfirst=content.fill(kind.standfirst[1], slots),
            dateline=place_ar,
            lead_image=source.lead_image,
            lead_caption=getattr(source.lead_image, "caption_ar", ""),
            lead_credit=getattr(source.lead_image, "credit_ar", ""),
            body=_story_body(kind, slots, figure, 1, figure.caption_ar, figure.credit_ar),
            locale=ar,
            translation_key=source.translation_key,
        )
        for position, byline in enumerate(source.bylines.all()):
            page.bylines.add(ArticleByline(author=by_key[byline.author.translation_key], sort_order=position))
        page.topics.add(*[t[1] for t in kind.topics], place_ar)
        sections_ar[kind.section].add_child(instance=page)
        _publish(page, when=source.published_for_demo + timedelta(minutes=40))
        articles.append(page)
    used = {(a.seed_kind, a.seed_place) for a in english}
    spare = [(k, p) for k in range(len(content.STORY_KINDS)) for p in range(len(content.PLACES)) if (k, p) not in used]
    for n, (kind_index, place_index) in enumerate(spare[:ARABIC_ONLY]):
        kind = content.STORY_KINDS[kind_index]
        place_ar = content.PLACES[place_index][1]
        slots = content.slots_for(rng, place_ar, "ar")
        lead, figure = rng.sample(images["stock"], 2)
        page = ArticlePage(
            title=content.fill(kind.headline[1], slots),
            slug=f"ar-{kind_index}-{place_index}",
            standfirst=content.fill(kind.standfirst[1], slots),
            dateline=place_ar,
            lead_image=lead,
            lead_caption=lead.caption_ar,
            lead_credit=lead.credit_ar,
            body=_story_body(kind, slots, figure, 1, figure.caption_ar, figure.credit_ar),
            locale=ar,
        )
        page.bylines.add(ArticleByline(author=rng.choice(authors_ar), sort_order=0))
        page.topics.add(*[t[1] for t in kind.topics], place_ar)
        sections_ar[kind.section].add_child(instance=page)
        _publish(page, when=now - timedelta(hours=n * 17 + 3))
        articles.append(page)
    return articles


def _republish(page):
    """Publish a new revision and keep the (back-dated) first publication date _publish gave the page."""
    first = type(page).objects.filter(pk=page.pk).values_list("first_published_at", flat=True).get()
    page.first_published_at = first
    page.save_revision().publish()
    type(page).objects.filter(pk=page.pk).update(first_published_at=first)
    listing.refresh([page.pk])
    return first


def _after_publication(page, now, before_now):
    """A note time ``before_now`` ago, but never before the story was first published."""
    first = type(page).objects.filter(pk=page.pk).values_list("first_published_at", flat=True).get()
    return max(now - before_now, first + (now - first) / 2)


def _developing_and_corrections(english, arabic, now):
    if english:
        _english_developing_and_corrected(english, now)
    if arabic:
        arabic[0].corrections.add(
            Correction(
                kind=Correction.UPDATE,
                noted_at=_after_publication(arabic[0], now, timedelta(hours=1)),
                text="أُضيفت إلى هذا المقال تصريحات جديدة من مجلس المحافظة.",
            )
        )
        _republish(arabic[0])


def _english_developing_and_corrected(english, now):
    developing = english[0]
    developing.is_developing = True
    for minutes, text in [
        (90, "The council session has opened; members are debating the budget line by line."),
        (45, "A first vote on the funding passed with 21 votes in favour and 4 against."),
        (10, "The final vote is expected within the hour."),
    ]:
        developing.live_updates.add(LiveUpdate(posted_at=now - timedelta(minutes=minutes), text=text))
    _republish(developing)
    corrected = english[3]
    corrected.corrections.add(
        Correction(
            kind=Correction.CORRECTION,
            noted_at=_after_publication(corrected, now, timedelta(hours=2)),
            text="An earlier version of this article gave the wrong date for the vote. It was on Tuesday.",
        )
    )
    _republish(corrected)


# --- Editions beyond English and Arabic (content_ckb.py, content_fa.py) ----------------------
#
# Each is built from its own written content. A page is linked as a translation (same translation
# key) to the page of the same kind and slug in the editions built before it: its sections, writers'
# index and plain pages always have one when English or Arabic is on; a writer or story only when
# it says so (a writer's slug, a story's ``translates``).


def _regional_edition(edition: content.EditionContent, home: HomePage, english: list, now) -> list[ArticlePage]:
    home.tagline = edition.tagline
    _publish(home)
    sections = {
        slug: _linked(home, SectionPage(title=title, slug=slug, description=description))
        for slug, (title, description) in edition.sections.items()
    }
    index = _linked(home, AuthorIndexPage(title=edition.writers_title, slug="authors"))
    pictures = [_story_picture(edition, n, story) for n, story in enumerate(edition.stories)]
    writers = [
        _linked(index, AuthorPage(title=w.name, slug=w.slug, role=w.role, bio=w.bio, kind=w.kind, photo=pictures[n]))
        for n, w in enumerate(edition.writers)
    ]
    for slug, title, intro, body in edition.pages:
        page = _linked(home, StandardPage(title=title, slug=slug, intro=intro, body=body, show_in_menus=True))
        if slug == "comment-policy":
            _choose_comment_policy(page)
    return [
        _regional_article(edition, n, story, sections, writers, pictures, english, now)
        for n, story in enumerate(edition.stories)
    ]


def _linked(parent, page):
    """Publish ``page`` under ``parent`` in the parent's edition, as the translation of the page of
    its kind with its slug and depth in another edition, when there is one."""
    page.locale = parent.locale
    counterpart = (
        type(page)
        .objects.filter(slug=page.slug, depth=parent.depth + 1)
        .exclude(locale=parent.locale)
        .order_by("path")
        .first()
    )
    if counterpart is not None:
        page.translation_key = counterpart.translation_key
    parent.add_child(instance=page)
    return _publish(page)


def _story_picture(edition: content.EditionContent, n: int, story: content.Story):
    """The story's lead picture, drawn as the other demo pictures are, described in the edition's language."""
    return make_news_image(
        story.caption.rstrip("."),
        alt_text=story.caption.rstrip("."),
        caption=story.caption,
        credit=story.credit,
        seed=edition.picture_seed + n,
    )


def _regional_article(edition, n, story, sections, writers, pictures, english, now) -> ArticlePage:
    source = (
        next((a for a in english if a.seed_kind == story.translates), None) if story.translates is not None else None
    )
    place = edition.places[source.seed_place if source else story.place]
    slots = {"place": place}
    figure = pictures[(n + 1) % len(pictures)]
    page = ArticlePage(
        title=story.headline.format(**slots),
        slug=source.slug if source else story.slug,
        standfirst=story.standfirst.format(**slots),
        dateline=place,
        lead_image=pictures[n],
        body=_regional_body(edition, story, slots, figure),
        locale=sections[story.section].locale,
    )
    if source:
        page.translation_key = source.translation_key
    else:  # a translation of the same story in another regional edition, if that one is built already
        counterpart = ArticlePage.objects.filter(slug=story.slug).exclude(locale=page.locale).first()
        if counterpart is not None and story.translates is not None:
            page.translation_key = counterpart.translation_key
    page.bylines.add(ArticleByline(author=writers[story.writer], sort_order=0))
    page.topics.add(*story.topics, place)
    sections[story.section].add_child(instance=page)
    if source:  # a translation follows its source, but never into the future
        published = min(source.published_for_demo + timedelta(minutes=50), now)
    else:
        published = now - timedelta(hours=story.hours_ago)
    return _publish(page, when=published)


def _regional_body(edition, story, slots, figure) -> list:
    body = [("paragraph", f"<p>{text.format(**slots)}</p>") for text in story.paragraphs]
    body.append(("pull_quote", {"quote": story.quote, "speaker": story.speaker, "role": story.speaker_role}))
    body.append(("subheading", story.subheading))
    body.append(("image", {"image": figure, "caption": figure.caption, "credit": figure.credit}))
    body += [("paragraph", f"<p>{text.format(**slots)}</p>") for text in story.more]
    if story.facts:
        body.append(("fact_box", {"title": edition.key_facts, "facts": list(story.facts)}))
    return body


# --- Bulk generation for scale tests ------------------------------------------

ALPHABET = Page.alphabet
STEPLEN = Page.steplen


def _encode_step(number: int) -> str:
    digits = []
    while number:
        number, remainder = divmod(number, len(ALPHABET))
        digits.append(ALPHABET[remainder])
    return "".join(reversed(digits)).rjust(STEPLEN, "0")


def _decode_step(step: str) -> int:
    return int(step, len(ALPHABET))


def bulk_articles(count: int, *, seed: int = 7, progress: bool = True, batch_size: int = 2000) -> int:
    """Add ``count`` published articles spread over every section, bypassing per-page saves.

    Rows go in with bulk inserts (tree paths computed here, as treebeard would),
    one transaction per batch, so 100,000 articles take minutes. These articles
    have no revisions (Wagtail edits them from their current state) and are
    not in the search index until `khabar reindex_search` (or Wagtail's
    update_index) runs.
    """
    if not SectionPage.objects.exists():
        build_demo_site(seed=seed)
    sections = list(SectionPage.objects.select_related("locale").order_by("path"))
    authors_by_locale: dict[int, list[int]] = {}
    for author_id, locale_id in AuthorPage.objects.values_list("pk", "locale_id"):
        authors_by_locale.setdefault(locale_id, []).append(author_id)
    image_ids = list(ArticlePage.objects.exclude(lead_image=None).values_list("lead_image_id", flat=True)[:50])
    tags = list(Tag.objects.values_list("pk", flat=True)[:40])
    content_type = ContentType.objects.get_for_model(ArticlePage)
    rng = random.Random(seed)
    now = timezone.now()
    next_step = {s.pk: _last_child_step(s) for s in sections}
    bar = tqdm(total=count, unit="article", disable=not progress, file=sys.stderr)
    made = 0
    while made < count:
        size = min(batch_size, count - made)
        with transaction.atomic():
            _bulk_batch(size, made, sections, next_step, authors_by_locale, image_ids, tags, content_type, rng, now)
        made += size
        bar.update(size)
    bar.close()
    return made


def _last_child_step(section: SectionPage) -> int:
    last = Page.objects.filter(path__startswith=section.path, depth=section.depth + 1).order_by("-path").first()
    return _decode_step(last.path[-STEPLEN:]) if last else 0


def _bulk_batch(size, offset, sections, next_step, authors_by_locale, image_ids, tags, content_type, rng, now):
    kinds = content.STORY_KINDS
    pages, extra = [], []
    per_section: dict[int, int] = {}
    for n in range(size):
        section = sections[(offset + n) % len(sections)]
        next_step[section.pk] += 1
        per_section[section.pk] = per_section.get(section.pk, 0) + 1
        number = offset + n + 1
        headline, standfirst, dateline, paragraphs = _bulk_text(kinds, section.locale.language_code, rng)
        title = f"{headline} ({number})"
        slug = f"generated-{number}-{uuid.uuid4().hex[:6]}"
        published = now - timedelta(minutes=number * 3 + rng.randint(0, 2))
        pages.append(
            Page(
                title=title,
                draft_title=title,
                slug=slug,
                content_type=content_type,
                path=section.path + _encode_step(next_step[section.pk]),
                depth=section.depth + 1,
                numchild=0,
                url_path=f"{section.url_path}{slug}/",
                live=True,
                has_unpublished_changes=False,
                first_published_at=published,
                last_published_at=published,
                locale_id=section.locale_id,
                translation_key=uuid.uuid4(),
            )
        )
        body = [{"type": "paragraph", "value": f"<p>{p}</p>", "id": str(uuid.uuid4())} for p in paragraphs]
        extra.append(
            (
                standfirst,
                dateline,
                rng.choice(image_ids) if image_ids else None,
                json.dumps(body, ensure_ascii=False),
                section.locale_id,
            )
        )
    Page.objects.bulk_create(pages, batch_size=500)
    if pages[0].pk is None:  # backends that cannot return ids from bulk inserts
        paths = [p.path for p in pages]
        ids = dict(Page.objects.filter(path__in=paths).values_list("path", "pk"))
        for page in pages:
            page.pk = ids[page.path]
    _insert_article_rows(pages, extra)
    listing.refresh(page.pk for page in pages)
    bylines, topics = [], []
    for page, (_s, _p, _i, _b, locale_id) in zip(pages, extra, strict=True):
        authors = authors_by_locale.get(locale_id) or []
        if authors:
            bylines.append(ArticleByline(page_id=page.pk, author_id=rng.choice(authors), sort_order=0))
        if tags:
            topics.append(ArticleTopic(content_object_id=page.pk, tag_id=rng.choice(tags)))
    ArticleByline.objects.bulk_create(bylines, batch_size=1000)
    ArticleTopic.objects.bulk_create(topics, batch_size=1000)
    for section_id, added in per_section.items():
        Page.objects.filter(pk=section_id).update(numchild=F("numchild") + added)


def _bulk_text(kinds, language: str, rng: random.Random) -> tuple[str, str, str, list[str]]:
    """Headline, standfirst, dateline and paragraphs of one generated article in ``language``: from
    the story kinds in English and Arabic, from the edition's own stories in the other editions."""
    regional = REGIONAL_EDITIONS.get(language)
    if regional is not None:
        story = regional.stories[rng.randrange(len(regional.stories))]
        place = regional.places[rng.randrange(len(regional.places))]
        fill = {"place": place}
        paragraphs = [p.format(**fill) for p in story.paragraphs + story.more]
        return story.headline.format(**fill), story.standfirst.format(**fill), place, paragraphs
    kind = kinds[rng.randrange(len(kinds))]
    place = content.PLACES[rng.randrange(len(content.PLACES))]
    index = 1 if language == "ar" else 0
    slots = content.slots_for(rng, place[index], "ar" if index else "en")
    paragraphs = [content.fill(p[index], slots) for p in kind.paragraphs + kind.more]
    return (
        content.fill(kind.headline[index], slots),
        content.fill(kind.standfirst[index], slots),
        place[index],
        paragraphs,
    )


def _insert_article_rows(pages, extra) -> None:
    table = connection.ops.quote_name(ArticlePage._meta.db_table)
    columns = [
        "page_ptr_id",
        "standfirst",
        "dateline",
        "lead_image_id",
        "lead_caption",
        "lead_credit",
        "body",
        "is_developing",
        "comment_mode",
        "reactions_enabled",
        "source_uri",
    ]
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608 (fixed names)
    rows = [
        (page.pk, standfirst, dateline, image_id, "", "", body, False, "", True, "")
        for page, (standfirst, dateline, image_id, body, _locale) in zip(pages, extra, strict=True)
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
