"""Reader pages checked by third-party validators: the Nu Html Checker and axe-core in Chromium."""

import json
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.test import TestCase, tag

from khabar import testing

NODE_MODULES = Path(settings.BASE_DIR) / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"


def reader_site():
    room = testing.newsroom(articles_per_section=2)
    testing.plain_page("About us", intro="Who we are.")
    section_ar = testing.section("أخبار العراق", language="ar", slug="iraq")
    writer_ar = testing.author("ليلى حسن", language="ar")
    article_ar = testing.article(
        section_ar,
        "البرلمان يقرّ موازنة المياه",
        authors=[writer_ar],
        lead_image=testing.image(),
        body=[
            testing.paragraph("صوّت النواب بعد منتصف الليل."),
            {"type": "subheading", "value": "ردود الفعل"},
            {"type": "pull_quote", "value": {"quote": "سنتابع التنفيذ.", "speaker": "هدى كريم", "role": "نائبة"}},
        ],
    )
    article = room.articles[0]
    article.topics.add("Water")
    testing.publish(article)
    return [
        "/en/",
        room.sections["iraq"].url,
        article.url,
        room.authors[0].url,
        "/en/topics/water/",
        "/en/about-us/",
        "/ar/",
        section_ar.url,
        article_ar.url,
        "/en/no-such-page/",
    ]


@tag("slow")  # the Nu Html Checker runs in Java
class HtmlValidityTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.urls = reader_site()

    def test_reader_pages_are_valid_html_for_the_nu_html_checker(self):
        with tempfile.TemporaryDirectory() as folder:
            files = []
            for n, url in enumerate(self.urls):
                response = self.client.get(url)
                path = Path(folder) / f"page{n}.html"
                path.write_bytes(response.content)
                files.append(str(path))
            result = subprocess.run(
                ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *files],
                capture_output=True,
                text=True,
                timeout=180,
            )
        messages = json.loads(result.stderr or "{}").get("messages", [])
        errors = [f"{self.urls[files.index(m['url'].removeprefix('file:'))]}: {m['message']}" for m in messages]
        self.maxDiff = None
        self.assertEqual(errors, [])


class AccessibilityBrowserTests(testing.BrowserTestCase):
    def setUp(self):
        self.urls = reader_site()

    def test_reader_pages_have_no_serious_axe_violations(self):
        axe_source = AXE.read_text()
        problems = []
        page = self.new_page(bypass_csp=True)  # axe is injected by the test, not served by the site
        for url in self.urls:
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
