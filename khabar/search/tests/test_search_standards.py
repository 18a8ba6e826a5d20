"""The search pages checked by the Nu Html Checker and axe-core, like the other reader pages."""

import json
import subprocess
import tempfile
from pathlib import Path

from django.test import TestCase, override_settings, tag

from khabar import testing
from khabar.news.tests.test_standards import AXE, VNU_JAR

URLS = [
    "/ar/search/?q=%D8%A8%D8%B1%D9%84%D9%85%D8%A7%D9%86",  # برلمان: results with <mark>
    "/en/search/?q=water",
    "/en/search/?q=nothing-like-this",
    "/en/search/",
    "/en/search/?q=...",
    "/en/search/?q=water&page=9",
    "/en/search/?q=%FF",
]


def search_site() -> None:
    section_ar = testing.section("أخبار العراق", language="ar", slug="iraq")
    testing.article(section_ar, "البرلمان يقرّ موازنة المياه", body=[testing.paragraph("صوّت البرلمان ليلًا.")])
    section = testing.section("Iraq News", slug="iraq")
    testing.article(section, "Parliament passes the <water> budget")


@override_settings(KHABAR_SEARCH_RATE_LIMIT=1000)
@tag("slow")  # the Nu Html Checker runs in Java
class SearchHtmlValidityTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        search_site()

    def test_search_pages_are_valid_html(self):
        with tempfile.TemporaryDirectory() as folder:
            files = []
            for n, url in enumerate(URLS):
                path = Path(folder) / f"page{n}.html"
                path.write_bytes(self.client.get(url).content)
                files.append(str(path))
            result = subprocess.run(
                ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *files],
                capture_output=True,
                text=True,
                timeout=180,
            )
        messages = json.loads(result.stderr or "{}").get("messages", [])
        errors = [f"{URLS[files.index(m['url'].removeprefix('file:'))]}: {m['message']}" for m in messages]
        self.maxDiff = None
        self.assertEqual(errors, [])


@override_settings(KHABAR_SEARCH_RATE_LIMIT=1000)
class SearchAccessibilityBrowserTests(testing.BrowserTestCase):
    def setUp(self):
        search_site()

    def test_search_pages_have_no_serious_axe_violations(self):
        axe_source = AXE.read_text()
        problems = []
        page = self.new_page(bypass_csp=True)  # axe is injected by the test, not served by the site
        for url in URLS[:3]:
            page.goto(self.live_server_url + url)
            page.evaluate(axe_source)
            result = page.evaluate(
                "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice']}))"
                ".violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length}))"
            )
            problems += [
                f"{url}: {v['id']} ({v['impact']}, {v['nodes']} nodes)"
                for v in result
                if v["impact"] in ("serious", "critical")
            ]
        self.assertEqual(problems, [])
