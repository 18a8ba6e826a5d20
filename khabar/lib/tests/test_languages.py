"""The one table of language facts, the helpers that read it, and the rule that nothing else names a language."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from django.conf import global_settings, settings
from django.test import SimpleTestCase, override_settings

from khabar.lib import languages

PACKAGE = Path(__file__).resolve().parents[2]
SCANNED_SUFFIXES = {".py", ".html", ".js", ".css", ".txt", ".xml"}
# Where a language code may be written: the table, its reader, translations, demo data, tests and
# test builders (khabar/testing.py and each app's testing.py).
ALLOWED = {"settings.py", "lib/languages.py"}
ALLOWED_DIRECTORIES = {"locale", "migrations", "tests", "demo"}


def language_codes() -> set[str]:
    codes = set(settings.KHABAR_LANGUAGE_INFO) | set(global_settings.LANGUAGES_BIDI)
    for info in settings.KHABAR_LANGUAGE_INFO.values():
        codes |= {alias.split("-", 1)[0] for alias in info["aliases"]}
    return codes


def literal_pattern(codes: set[str]) -> re.Pattern:
    """A code in quotes ("ar", 'fa-IR') or in a CSS :lang(); longest codes first (ckb before ku)."""
    names = "|".join(sorted((re.escape(code) for code in codes), key=len, reverse=True))
    return re.compile(rf"""(["'])(?:{names})(?:[-_][A-Za-z0-9]{{2,8}})*\1|:lang\(\s*["']?(?:{names})\b""")


def scanned_files():
    for path in sorted(PACKAGE.rglob("*")):
        relative = path.relative_to(PACKAGE)
        if path.suffix not in SCANNED_SUFFIXES or not path.is_file():
            continue
        if (
            relative.as_posix() in ALLOWED
            or path.name == "testing.py"
            or ALLOWED_DIRECTORIES & set(relative.parts[:-1])
        ):
            continue
        yield path, relative


def code_literals(text: str, pattern: re.Pattern) -> list[tuple[int, str]]:
    return [(number, line.strip()) for number, line in enumerate(text.splitlines(), start=1) if pattern.search(line)]


class NoLanguageCodeOutsideTheTableTests(SimpleTestCase):
    def test_no_code_outside_settings_names_a_language(self):
        pattern = literal_pattern(language_codes())
        found = []
        for path, relative in scanned_files():
            for number, line in code_literals(path.read_text(encoding="utf-8"), pattern):
                found.append(f"khabar/{relative}:{number}: {line}")
        self.assertEqual(found, [], "ask khabar.lib.languages instead of naming a language:\n" + "\n".join(found))

    def test_the_scan_finds_codes_in_each_kind_of_file(self):
        # The scanner itself must be able to fail: each of these is a language code written in code.
        pattern = literal_pattern(language_codes())
        for line in [
            'if language == "ar":',
            "RTL = {'fa', 'ckb'}",
            "{% if language == 'ar' %}rtl{% endif %}",
            ":lang(ar) body { font-size: 1.1rem; }",
            'locale: "fa_IR"',
            'lang="ckb-IQ"',
        ]:
            with self.subTest(line=line):
                self.assertTrue(code_literals(line, pattern))
        for line in ['"/en/iraq/story/"', '"area"', '"en route"', "return 'far'", "arabic-indic"]:
            with self.subTest(line=line):
                self.assertFalse(code_literals(line, pattern))

    def test_the_scan_covers_python_templates_scripts_and_styles(self):
        suffixes = {path.suffix for path, _relative in scanned_files()}
        self.assertLessEqual({".py", ".html", ".js", ".css"}, suffixes)


FOUR = [(code, settings.KHABAR_LANGUAGE_INFO[code]["name"]) for code in ("en", "ar", "ckb", "fa")]


class LanguageFactsTests(SimpleTestCase):
    def test_every_known_language_has_every_fact(self):
        for code, info in settings.KHABAR_LANGUAGE_INFO.items():
            with self.subTest(code=code):
                facts = {"name", "direction", "og_locale", "edition_title", "aliases", "digits", "calendar"}
                facts |= {"search_arabic_prefixes", "search_legacy_ae", "content_tags"}
                self.assertEqual(set(info), facts)
                self.assertIn(info["direction"], {"ltr", "rtl"})
                self.assertIn(info["digits"], settings.DIGIT_SYSTEMS)
                self.assertIn(info["calendar"], settings.CALENDARS)

    def test_direction_of_each_edition(self):
        self.assertEqual([languages.direction(code) for code, _ in FOUR], ["ltr", "rtl", "rtl", "rtl"])
        self.assertTrue(languages.is_rtl("ckb"))
        self.assertFalse(languages.is_rtl("ku"))  # Kurmanji is written in Latin letters
        self.assertTrue(languages.is_rtl("fa-IR"))  # a region subtag keeps its language's facts

    def test_unknown_or_empty_codes_get_neutral_answers_not_errors(self):
        for code in ["xx", "", None]:
            with self.subTest(code=code):
                self.assertEqual(languages.direction(code), "ltr")
                self.assertEqual(languages.digits(code), "western")
                self.assertEqual(languages.calendar(code), "gregorian")
        self.assertEqual(languages.og_locale("xx"), "xx")
        self.assertEqual(languages.edition_title("xx"), settings.SITE_NAME)

    def test_django_agrees_on_direction(self):
        from django.utils import translation

        for code in settings.KHABAR_LANGUAGE_INFO:
            with self.subTest(code=code), translation.override(code):
                self.assertEqual(translation.get_language_bidi(), languages.is_rtl(code))

    def test_og_locales_and_edition_titles(self):
        self.assertEqual([languages.og_locale(code) for code, _ in FOUR], ["en_US", "ar_AR", "cb_IQ", "fa_IR"])
        self.assertEqual([languages.edition_title(code) for code, _ in FOUR], ["Khabar", "خبر", "خەبەر", "خبر"])

    def test_default_digits_per_language(self):
        self.assertEqual(languages.localise_digits("2024", "en"), "2024")
        self.assertEqual(languages.localise_digits("2024", "ckb"), "٢٠٢٤")
        self.assertEqual(languages.localise_digits("2024", "fa"), "۲۰۲۴")

    @override_settings(KHABAR_DIGITS={})
    def test_arabic_digits_default_to_western(self):
        self.assertEqual(languages.localise_digits("15", "ar"), "15")

    @override_settings(KHABAR_DIGITS={"fa": "western", "ar": "arabic-indic", "ckb": "persian"})
    def test_the_newsroom_chooses_digits_per_language(self):
        self.assertEqual(languages.localise_digits("15", "fa"), "15")
        self.assertEqual(languages.localise_digits("15", "ar"), "١٥")
        self.assertEqual(languages.localise_digits("15", "ckb"), "۱۵")

    @override_settings(KHABAR_CALENDAR={"fa": "solar-hijri"})
    def test_the_newsroom_chooses_the_calendar(self):
        self.assertEqual(languages.calendar("fa"), "solar-hijri")
        self.assertEqual(languages.calendar("ar"), "gregorian")


@override_settings(LANGUAGES=FOUR, LANGUAGE_CODE="en")
class BestEditionTests(SimpleTestCase):
    def test_each_editions_own_code_and_region_subtags(self):
        cases = {
            "ar,en;q=0.5": "ar",
            "ar-IQ": "ar",
            "ckb": "ckb",
            "ckb-IQ": "ckb",
            "fa": "fa",
            "fa-IR,fa;q=0.9": "fa",
            "en-GB": "en",
        }
        for header, edition in cases.items():
            with self.subTest(header=header):
                self.assertEqual(languages.best_edition(header), edition)

    def test_sorani_and_persian_readers_sending_aliases(self):
        for header in ["ku", "ku-IQ", "KU-iq", "ku-Arab-IQ"]:
            with self.subTest(header=header):
                self.assertEqual(languages.best_edition(header), "ckb")
        for header in ["prs", "prs-AF", "fa-AF"]:
            with self.subTest(header=header):
                self.assertEqual(languages.best_edition(header), "fa")

    def test_quality_values_order_the_ranges(self):
        self.assertEqual(languages.best_edition("ar;q=0.5, ckb;q=0.9, en;q=0.1"), "ckb")
        self.assertEqual(languages.best_edition("de, fa;q=0.3, ar;q=0.2"), "fa")
        self.assertEqual(languages.best_edition("fa;q=0, ar;q=0.1"), "ar")  # q=0: not acceptable
        self.assertEqual(languages.best_edition("ckb;q=0.8, fa;q=0.8"), "ckb")  # ties: the first listed

    def test_nothing_that_fits_or_a_bad_header_falls_back_to_the_default(self):
        for header in [None, "", "*", "de-DE,fr;q=0.5", "ar;q=x", ";;;,,", "ar;q=2", "a" * 5000, "ع", "ar\x00"]:
            with self.subTest(header=header[:20] if header else header):
                self.assertEqual(languages.best_edition(header), "en")

    @override_settings(LANGUAGES=[FOUR[0], FOUR[2]])
    def test_an_arabic_only_browser_gets_sorani_when_there_is_no_arabic_edition(self):
        self.assertEqual(languages.best_edition("ar"), "ckb")

    @override_settings(LANGUAGES=[FOUR[0], FOUR[2], ("ku", "Kurdî")])
    def test_a_kurmanji_edition_keeps_its_own_code_and_iraqi_kurdish_goes_to_sorani(self):
        self.assertEqual(languages.best_edition("ku"), "ku")
        self.assertEqual(languages.best_edition("ku-IQ"), "ckb")

    @override_settings(LANGUAGES=[FOUR[3], FOUR[0]], LANGUAGE_CODE="fa")
    def test_the_default_is_the_configured_one(self):
        self.assertEqual(languages.best_edition("de"), "fa")
        self.assertEqual(languages.editions(), ["fa", "en"])


def run_settings(**environ: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("KHABAR_", "DATABASE_URL", "REDIS_URL"))}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; "
         "print(settings.KHABAR_DIGITS, settings.KHABAR_CALENDAR)"],
        env={**clean, "SECRET_KEY": "test", "DJANGO_SETTINGS_MODULE": "khabar.settings", **environ},
        cwd=PACKAGE.parent,
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip


class DigitAndCalendarSettingsTests(SimpleTestCase):
    """KHABAR_DIGITS and KHABAR_CALENDAR from the environment; a bad value names itself."""

    def test_pairs_are_read_and_the_older_arabic_spelling_still_works(self):
        done = run_settings(KHABAR_DIGITS="fa=western, ckb=persian", KHABAR_ARABIC_DIGITS="arabic-indic",
                            KHABAR_CALENDAR="fa=solar-hijri")  # fmt: skip
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(
            done.stdout.strip(),
            "{'ar': 'arabic-indic', 'fa': 'western', 'ckb': 'persian'} {'fa': 'solar-hijri'}",
        )

    def test_bad_values_stop_start_up_naming_the_value(self):
        from khabar.lib.env import EnvError, envmap

        cases = {
            "fa=roman": "fa='roman' is not one of: western, arabic-indic, persian",
            "xx=persian": "'xx' is not one of",
            "fa": "'fa' is not a pair like code=value",
            "=persian": "'=persian' is not a pair",
        }
        for raw, message in cases.items():
            with self.subTest(raw=raw), self.assertRaisesMessage(EnvError, f"KHABAR_DIGITS: {message}"):
                with self.settings():
                    os.environ["KHABAR_DIGITS"] = raw
                    try:
                        envmap("KHABAR_DIGITS", settings.KHABAR_LANGUAGE_INFO, settings.DIGIT_SYSTEMS)
                    finally:
                        del os.environ["KHABAR_DIGITS"]
        done = run_settings(KHABAR_CALENDAR="fa=lunar")
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("KHABAR_CALENDAR: fa='lunar' is not one of: gregorian, solar-hijri", done.stderr)
