"""Every edition's interface comes out in its own language: the catalogues are complete and sound,
and a reader page rendered in Sorani (ckb) or Persian (fa) shows no English interface strings.

The English source of each catalogue is its ar file: makemessages writes every msgid of the code
into it (`make messages` compiles them all)."""

import ast
import re
from pathlib import Path

import django
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory, SimpleTestCase, TestCase
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from khabar import testing

PACKAGE = Path(__file__).resolve().parents[2]
LANGUAGES = ("ar", "ckb", "fa")
# CLDR's plural rules, as Django's own ckb and fa catalogues declare them: catalogues of one language
# with different rules would each keep their own plural function.
PLURAL_FORMS = {"ckb": "nplurals=2; plural=(n != 1);", "fa": "nplurals=2; plural=(n > 1);"}

# Reader-facing strings of Wagtail and Django that have no ckb translation there (Wagtail ships no
# ckb catalogue): the password-required pages of a restricted page or document. Marked here so
# makemessages keeps them in Khabar's root catalogue, which LOCALE_PATHS puts first.
THIRD_PARTY_READER_STRINGS = [
    gettext_noop("Password required"),
    gettext_noop("You need a password to access this page."),
    gettext_noop("You need a password to access this document."),
    gettext_noop("Continue"),
    gettext_noop("Password"),
    gettext_noop("The password you have entered is not correct. Please try again."),
]

PLACEHOLDER = re.compile(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sdif]|\{[A-Za-z_][A-Za-z0-9_]*\}")


def _unquote(line: str) -> str:
    return ast.literal_eval(line)


def parse_po(path: Path) -> list[dict]:
    """The entries of a .po file: msgid, msgid_plural, msgstr (a list for plurals), flags, obsolete."""
    entries, entry, key = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry is not None and "msgid" in entry:
                entries.append(entry)
            entry, key = None, None
            continue
        entry = entry if entry is not None else {"flags": set(), "obsolete": False, "msgstr": {}}
        if line.startswith("#~"):
            entry["obsolete"] = True
            line = line[2:].lstrip()
        if line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#") or not line:
            continue
        match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$', line)
        if match:
            key = ("msgstr", int(match.group(2) or 0)) if match.group(1).startswith("msgstr") else match.group(1)
        value = _unquote(match.group(3) if match else line)
        if isinstance(key, tuple):
            entry["msgstr"][key[1]] = entry["msgstr"].get(key[1], "") + value
        else:
            entry[key] = entry.get(key, "") + value
    return entries


def catalogue_dirs() -> list[Path]:
    """Each locale directory of Khabar: the root one (shared templates) and each app's."""
    return sorted(p.parents[2] for p in PACKAGE.glob("**/locale/ar/LC_MESSAGES/django.po"))


def po_path(locale_dir: Path, language: str) -> Path:
    return locale_dir / language / "LC_MESSAGES" / "django.po"


def header(entries: list[dict]) -> str:
    return next(e["msgstr"][0] for e in entries if e["msgid"] == "" and not e.get("msgctxt"))


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text.replace("%%", "")))


def label(locale_dir: Path, language: str) -> str:
    return str(po_path(locale_dir, language).relative_to(PACKAGE.parent))


class CatalogueCompletenessTests(SimpleTestCase):
    def test_every_app_with_strings_has_ckb_and_fa_catalogues(self):
        self.assertGreater(len(catalogue_dirs()), 10)
        for locale_dir in catalogue_dirs():
            for language in LANGUAGES:
                self.assertTrue(po_path(locale_dir, language).exists(), f"missing {label(locale_dir, language)}")

    def test_every_source_msgid_is_translated_in_every_language(self):
        for locale_dir in catalogue_dirs():
            source = [e for e in parse_po(po_path(locale_dir, "ar")) if e["msgid"] and not e["obsolete"]]
            for language in LANGUAGES:
                entries = {
                    (e.get("msgctxt"), e["msgid"]): e
                    for e in parse_po(po_path(locale_dir, language))
                    if e["msgid"] and not e["obsolete"]
                }
                for wanted in source:
                    where = f"{label(locale_dir, language)}: msgid {wanted['msgid']!r}"
                    entry = entries.get((wanted.get("msgctxt"), wanted["msgid"]))
                    self.assertIsNotNone(entry, f"{where} is missing")
                    self.assertNotIn("fuzzy", entry["flags"], f"{where} is fuzzy")
                    forms = entry["msgstr"]
                    self.assertTrue(forms and all(v.strip() for v in forms.values()), f"{where} is untranslated")

    def test_no_catalogue_has_a_fuzzy_header(self):
        for locale_dir in catalogue_dirs():
            for language in LANGUAGES:
                head = next(e for e in parse_po(po_path(locale_dir, language)) if e["msgid"] == "")
                self.assertNotIn("fuzzy", head["flags"], f"{label(locale_dir, language)}: fuzzy header")
                self.assertIn(f"Language: {language}\n", head["msgstr"][0], label(locale_dir, language))

    def test_placeholders_and_markup_are_kept(self):
        for locale_dir in catalogue_dirs():
            for language in LANGUAGES:
                for e in parse_po(po_path(locale_dir, language)):
                    if not e["msgid"] or e["obsolete"]:
                        continue
                    where = f"{label(locale_dir, language)}: msgid {e['msgid']!r}"
                    if "msgid_plural" not in e:
                        self.assertEqual(placeholders(e["msgstr"][0]), placeholders(e["msgid"]), where)
                        self.assertEqual(
                            re.findall(r"</?\w+", e["msgstr"][0]), re.findall(r"</?\w+", e["msgid"]), where
                        )
                        continue
                    # A plural form may leave the count out ("one comment"), never invent a name;
                    # the last form ("other") says everything the English plural says.
                    allowed = placeholders(e["msgid"]) | placeholders(e["msgid_plural"])
                    for form in e["msgstr"].values():
                        self.assertLessEqual(placeholders(form), allowed, where)
                    self.assertEqual(
                        placeholders(e["msgstr"][max(e["msgstr"])]), placeholders(e["msgid_plural"]), where
                    )

    def test_plural_forms_follow_cldr_and_djangos_own_catalogues(self):
        django_locale = Path(django.__file__).parent / "conf" / "locale"
        for language, rule in PLURAL_FORMS.items():
            self.assertIn(
                f"Plural-Forms: {rule}\n", header(parse_po(django_locale / language / "LC_MESSAGES" / "django.po"))
            )
            nplurals = int(re.search(r"nplurals=(\d+)", rule).group(1))
            for locale_dir in catalogue_dirs():
                entries = parse_po(po_path(locale_dir, language))
                self.assertIn(f"Plural-Forms: {rule}\n", header(entries), label(locale_dir, language))
                for e in entries:
                    if "msgid_plural" in e and not e["obsolete"]:
                        self.assertEqual(
                            sorted(e["msgstr"]), list(range(nplurals)), f"{label(locale_dir, language)}: {e['msgid']!r}"
                        )

    def test_plural_forms_are_chosen_per_language(self):
        # fa says "one" for 0 and 1 (n > 1), ckb only for 1 (n != 1): the compiled rule decides.
        singular, plural = "%(count)s Comment", "%(count)s Comments"
        for language, one_for in (("ckb", {1}), ("fa", {0, 1})):
            entries = parse_po(PACKAGE / "comments" / "locale" / language / "LC_MESSAGES" / "django.po")
            forms = next(e["msgstr"] for e in entries if e["msgid"] == singular)
            with translation.override(language):
                for n in (0, 1, 2, 5):
                    self.assertEqual(
                        translation.ngettext(singular, plural, n), forms[0 if n in one_for else 1], (language, n)
                    )

    def test_third_party_reader_strings_are_translated_in_every_edition(self):
        for language in LANGUAGES:
            with translation.override(language):
                for msgid in THIRD_PARTY_READER_STRINGS:
                    self.assertNotEqual(gettext(msgid), msgid, f"{language}: {msgid!r} is not translated")


# English interface strings a reader page may show; none of them may be left in a ckb or fa page.
ENGLISH_READER_STRINGS = [
    "Skip to content",
    "Sections",
    "Language",
    "Published",
    "Share this story",
    "Leave a comment",
    "Post comment",
    "Comment Policy",
    "Do you like this article?",
    "Export or delete your comments",
    "* Denotes Required Field",
    "Never shown publicly.",
    "About this site",
    "Search the news",
    "Password required",
    "You need a password to access this page.",
]


class ReaderPagesInEveryEditionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")
        cls.article = testing.article(cls.section, "Water budget")

    def render_article(self, language: str) -> str:
        request = RequestFactory().get(self.article.url)
        request.user = AnonymousUser()
        with translation.override(language):
            response = self.article.serve(request)
            return response.render().content.decode()

    def render_password_page(self, language: str) -> str:
        from wagtail.forms import PasswordViewRestrictionForm
        from wagtail.models import PageViewRestriction

        restriction = PageViewRestriction(page=self.article, restriction_type="password", password="s3cret")
        with translation.override(language):
            form = PasswordViewRestrictionForm(data={"password": "wrong", "return_url": "/"}, instance=restriction)
            form.is_valid()
            return render_to_string("wagtailcore/password_required.html", {"form": form, "action_url": "/"})

    def test_article_page_has_no_english_interface_strings(self):
        english = self.render_article("en")
        shown = [s for s in ENGLISH_READER_STRINGS if s in english]
        self.assertGreater(len(shown), 8, "the English page should show the listed strings")
        for language in ("ckb", "fa"):
            page = self.render_article(language)
            with translation.override(language):
                for msgid in shown:
                    self.assertFalse(f">{msgid}<" in page, f"{language}: {msgid!r} left in English")
                    self.assertTrue(gettext(msgid) in page, f"{language}: {msgid!r} not shown translated")

    def test_password_required_page_and_its_error_come_out_translated(self):
        wrong = "The password you have entered is not correct. Please try again."
        for language in ("ckb", "fa"):
            page = self.render_password_page(language)
            with translation.override(language):
                for msgid in ("Password required", "You need a password to access this page.", "Continue", wrong):
                    self.assertFalse(msgid in page, f"{language}: {msgid!r} left in English")
                    self.assertTrue(gettext(msgid) in page, f"{language}: {msgid!r} not shown translated")
