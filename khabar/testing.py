"""Builders and personas for tests: a small newsroom in both editions, and the people who use it.

Tests call these from setUpTestData so the page tree is built once per test class.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Locale, Page

from khabar.news import listing
from khabar.news.editions import ensure_editions
from khabar.news.images import make_news_image
from khabar.news.models import (
    ArticleByline,
    ArticlePage,
    AuthorIndexPage,
    AuthorPage,
    HomePage,
    SectionPage,
    StandardPage,
)

_counter = itertools.count(1)


def paragraph(text: str) -> dict:
    return {"type": "paragraph", "value": f"<p>{text}</p>"}


def image(title: str = "Market at dawn", credit: str = "Photo courtesy of the Basra Trade Office", caption: str = ""):
    n = next(_counter)
    return make_news_image(
        f"{title} {n}",
        alt_text=f"{title} seen from a rooftop",
        credit=credit,
        caption=caption or title,
        seed=n,
        size=(480, 270),  # small: tests create many, and renditions (AVIF especially) cost time
    )


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def _ensure_tree_root() -> None:
    """A TransactionTestCase (e.g. the browser tests' live server) empties every table when it ends,
    Wagtail's root page (made by a migration) with them: later tests build it again."""
    if not Page.objects.filter(depth=1).exists():
        from django.conf import settings

        locale, _ = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))


# The four editions of issue #17, for override_settings(**editions_settings(*FOUR_EDITIONS)).
FOUR_EDITIONS = ("en", "ar", "ckb", "fa")
AUTHOR_INDEX_TITLES = {"en": "Authors", "ar": "الكتّاب", "ckb": "نووسەران", "fa": "نویسندگان"}


def editions_settings(*codes: str) -> dict:
    """The settings of a site whose editions are ``codes`` (first: the default), for override_settings.

    The Locale rows and edition homes follow on the first home() call (ensure_editions)."""
    languages = [(code, settings.KHABAR_LANGUAGE_INFO[code]["name"]) for code in codes]
    return {
        "LANGUAGES": languages,
        "LANGUAGE_CODE": codes[0],
        "WAGTAIL_CONTENT_LANGUAGES": languages,
        "WAGTAILADMIN_PERMITTED_LANGUAGES": languages,
    }


def translation_of(page, language: str, title: str, **fields):
    """A published translation of ``page`` into ``language`` (its parent must be translated already)."""
    home(language)
    copy = page.copy_for_translation(Locale.objects.get(language_code=language))
    copy.title = copy.draft_title = title
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save()
    return publish(copy)


def home(language: str = "en") -> HomePage:
    _ensure_tree_root()
    ensure_editions()
    return HomePage.objects.get(locale__language_code=language)


def section(title: str = "Iraq News", language: str = "en", **fields) -> SectionPage:
    parent = home(language)
    page = SectionPage(title=title, locale=parent.locale, **fields)
    parent.add_child(instance=page)
    return publish(page)


def author(name: str = "Layla Hassan", language: str = "en", **fields) -> AuthorPage:
    parent_home = home(language)
    index = AuthorIndexPage.objects.child_of(parent_home).first()
    if index is None:
        index = AuthorIndexPage(
            title=AUTHOR_INDEX_TITLES.get(language, "Authors"), slug="authors", locale=parent_home.locale
        )
        parent_home.add_child(instance=index)
        publish(index)
    page = AuthorPage(title=name, locale=parent_home.locale, **fields)
    index.add_child(instance=page)
    return publish(page)


def article(
    parent: SectionPage,
    title: str = "Parliament passes the water budget",
    *,
    authors: list[AuthorPage] | None = None,
    body: list | None = None,
    published: timezone.datetime | None = None,
    live: bool = True,
    **fields,
) -> ArticlePage:
    fields.setdefault("standfirst", "Lawmakers approved the spending plan after a night of debate.")
    page = ArticlePage(
        title=title, locale=parent.locale, body=body or [paragraph("The vote came after midnight.")], **fields
    )
    for position, writer in enumerate(authors or []):
        page.bylines.add(ArticleByline(author=writer, sort_order=position))
    page.live = live  # a draft is not live (Wagtail's default is live)
    parent.add_child(instance=page)
    if live:
        publish(page)
        if published is not None:
            ArticlePage.objects.filter(pk=page.pk).update(first_published_at=published, last_published_at=published)
            listing.refresh([page.pk])
            page.refresh_from_db()
    return page


def plain_page(title: str, language: str = "en", *, footer: bool = True, **fields) -> StandardPage:
    parent = home(language)
    page = StandardPage(title=title, locale=parent.locale, show_in_menus=footer, **fields)
    parent.add_child(instance=page)
    return publish(page)


@dataclass
class Newsroom:
    """A small site: two editions, sections, authors, articles with images."""

    sections: dict[str, SectionPage] = field(default_factory=dict)
    authors: list[AuthorPage] = field(default_factory=list)
    articles: list[ArticlePage] = field(default_factory=list)


def newsroom(articles_per_section: int = 3) -> Newsroom:
    room = Newsroom()
    room.sections["iraq"] = section("Iraq News", slug="iraq")
    room.sections["business"] = section("Business", slug="business")
    room.authors = [
        author("Layla Hassan", role="Baghdad correspondent"),
        author("Omar Khalil", role="Security analyst", kind=AuthorPage.CONTRIBUTOR),
    ]
    now = timezone.now()
    for s_index, sec in enumerate(room.sections.values()):
        for n in range(articles_per_section):
            room.articles.append(
                article(
                    sec,
                    f"{sec.title} story {n + 1}",
                    authors=room.authors,
                    lead_image=image(),
                    published=now - timedelta(hours=s_index * 10 + n),
                )
            )
    return room


def arabic_locale() -> Locale:
    ensure_editions()
    return Locale.objects.get(language_code="ar")


# --- Personas ---------------------------------------------------------------


def user(
    username: str, *, groups: list[str] | None = None, superuser: bool = False, password: str = "a-long-test-passphrase"
):
    from django.contrib.auth.models import Group

    User = get_user_model()
    person = User.objects.create_user(username, f"{username}@example.org", password, is_staff=bool(groups) or superuser)
    if superuser:
        person.is_superuser = True
        person.save()
    for name in groups or []:
        person.groups.add(Group.objects.get_or_create(name=name)[0])
    return person


# --- Browser tests ------------------------------------------------------------


def restore_wagtail_roots() -> None:
    """Recreate what Wagtail's migrations made (root collection, root page), which a flush removes."""
    from django.conf import settings
    from wagtail.models import Collection, Page

    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    if not Page.objects.exists():
        locale, _created = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


NODE_MODULES = Path(settings.BASE_DIR) / "node_modules"  # `make test` installs the validators there
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"


def nu_html_errors(pages: dict[str, bytes]) -> list[str]:
    """The Nu Html Checker's errors for these pages (label -> HTML), each as "label: message"."""
    with tempfile.TemporaryDirectory() as folder:
        files = {}
        for n, (label, html) in enumerate(pages.items()):
            path = Path(folder) / f"page{n}.html"
            path.write_bytes(html)
            files[str(path)] = label
        result = subprocess.run(  # noqa: S603 - a fixed command on files the test wrote
            ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *files],  # noqa: S607
            capture_output=True,
            text=True,
            timeout=180,
        )
    messages = json.loads(result.stderr or "{}").get("messages", [])
    return [f"{files.get(m['url'].removeprefix('file:'), m['url'])}: {m['message']}" for m in messages]


def _browser_test_base():
    import os

    from django.test import LiveServerTestCase

    class BrowserTestCase(LiveServerTestCase):
        """A live server on 127.0.0.1 (static files from STATIC_ROOT through WhiteNoise, as in production)
        and Debian's Chromium driven by Playwright.

        Fails (never skips) when Chromium is missing: `make test` installs it.
        """

        host = "127.0.0.1"
        tags = {"browser"}  # `make test-fast` leaves these out; `make test` runs them

        @classmethod
        def _fixture_setup(cls):
            super()._fixture_setup()
            restore_wagtail_roots()

        @classmethod
        def setUpClass(cls):
            # Playwright's sync API runs an event loop; Django's ORM calls in tests are still synchronous.
            os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
            super().setUpClass()
            from playwright.sync_api import sync_playwright

            cls._playwright = sync_playwright().start()
            cls.browser = cls._playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        @classmethod
        def tearDownClass(cls):
            cls.browser.close()
            cls._playwright.stop()
            super().tearDownClass()

        def new_page(self, **context_options):
            context = self.browser.new_context(**context_options)
            self.addCleanup(context.close)
            return context.new_page()

        def axe_problems(self, page, label: str) -> list[str]:
            """axe-core's serious and critical WCAG 2.1 AA findings on the page now open (the page's
            context needs ``bypass_csp=True``: axe is injected by the test, not served by the site)."""
            page.evaluate(AXE.read_text())
            found = page.evaluate(
                "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice']}))"
                ".violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length}))"
            )
            return [
                f"{label}: {v['id']} ({v['impact']}, {v['nodes']} nodes)"
                for v in found
                if v["impact"] in ("serious", "critical")
            ]

    return BrowserTestCase


BrowserTestCase = _browser_test_base()
