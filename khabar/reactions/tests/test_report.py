from datetime import timedelta

from django.contrib.auth.models import Group, Permission
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from khabar import testing

from .helpers import ReactionFixtures


def grant(group_name: str, *codenames: str) -> None:
    group, _ = Group.objects.get_or_create(name=group_name)
    for codename in codenames:
        group.permissions.add(Permission.objects.get(codename=codename))


class ReaderReactionsReportTests(ReactionFixtures, TestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.business = testing.section("Business", slug="business")
        cls.old = testing.article(cls.business, "Dinar holds steady", published=timezone.now() - timedelta(days=30))
        grant("Editors", "access_admin", "view_reactionreport")
        grant("Reporters", "access_admin")
        cls.editor = testing.user("editor", groups=["Editors"])
        cls.reporter = testing.user("reporter", groups=["Reporters"])

    def setUp(self):
        super().setUp()
        # article: 3 yes, 1 no (75%); other: 1 yes, 3 no (25%); old: 2 yes (100%).
        for article, answers in [
            (self.article, "yyyn"),
            (self.other, "ynnn"),
            (self.old, "yy"),
        ]:
            for answer in answers:
                self.vote(Client(), article, "yes" if answer == "y" else "no")
        self.client.force_login(self.editor)
        self.report = reverse("reactions_report")

    def titles(self, response) -> list[str]:
        return [row.article.title for row in response.context["object_list"]]

    def test_an_editor_sees_totals_per_article_most_liked_first(self):
        response = self.client.get(self.report)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            self.titles(response), ["Dinar holds steady", "Parliament passes the water budget", "Basra port reopens"]
        )
        self.assertContains(response, "Reader reactions")
        row = response.context["object_list"][1]
        self.assertEqual((row.yes, row.no, row.total, row.share_percent, row.section_title), (3, 1, 4, 75, "Iraq News"))

    def test_the_report_sorts_least_liked_first(self):
        response = self.client.get(self.report, {"ordering": "share"})
        self.assertEqual(self.titles(response)[0], "Basra port reopens")

    def test_the_report_filters_by_section(self):
        response = self.client.get(self.report, {"section": self.business.pk})
        self.assertEqual(self.titles(response), ["Dinar holds steady"])

    def test_the_report_filters_by_publication_date(self):
        since = (timezone.now() - timedelta(days=2)).date().isoformat()
        response = self.client.get(self.report, {"published_from": since})
        self.assertNotIn("Dinar holds steady", self.titles(response))
        response = self.client.get(self.report, {"published_to": since})
        self.assertEqual(self.titles(response), ["Dinar holds steady"])

    def test_the_report_exports_csv(self):
        response = self.client.get(self.report, {"export": "csv"})
        self.assertEqual(response.status_code, 200)
        lines = b"".join(response.streaming_content).decode().splitlines()
        self.assertEqual(lines[0], "Article,Section,Published,Yes,No,Votes,Share of yes (%)")
        self.assertTrue(lines[2].startswith("Parliament passes the water budget,Iraq News,"))
        self.assertTrue(lines[2].endswith(",3,1,4,75"))

    def test_the_report_exports_xlsx(self):
        from io import BytesIO

        from openpyxl import load_workbook

        response = self.client.get(self.report, {"export": "xlsx"})
        self.assertEqual(response.status_code, 200)
        sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[0][0], "Article")
        self.assertEqual(rows[1][0], "Dinar holds steady")
        self.assertEqual(rows[1][3:], (2, 0, 2, 100))

    def test_the_report_is_in_the_reports_menu_only_for_permitted_staff(self):
        self.assertContains(self.client.get(reverse("wagtailadmin_home")), self.report)
        self.client.force_login(self.reporter)
        self.assertNotContains(self.client.get(reverse("wagtailadmin_home")), self.report)

    def test_staff_without_the_permission_are_refused(self):
        self.client.force_login(self.reporter)
        response = self.client.get(self.report)
        self.assertNotEqual(response.status_code, 200)
        self.assertNotContains(response, "Basra port reopens", status_code=response.status_code)

    def test_readers_cannot_reach_the_report(self):
        self.client.logout()
        response = self.client.get(self.report)
        self.assertEqual(response.status_code, 302)
        self.assertIn("login", response["Location"])

    def test_the_report_takes_the_same_number_of_queries_however_many_articles(self):
        self.client.get(self.report)  # warm per-process caches (site root paths, content types)
        few = self.count_queries()
        for n in range(5):
            self.vote(Client(), testing.article(self.business, f"More news {n}"), "yes")
        self.client.force_login(self.editor)
        self.assertEqual(self.count_queries(), few)

    def count_queries(self) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            self.assertEqual(self.client.get(self.report).status_code, 200)
        return len(captured)
