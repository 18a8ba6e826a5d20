"""The Arabic email reads right to left and is valid HTML (Nu Html Checker), like the reader pages."""

from datetime import timedelta

from django.test import TestCase, tag
from django.utils import timezone

from khabar import testing
from khabar.newsletters import testing as nl
from khabar.newsletters.models import Issue, Kind
from khabar.newsletters.sending import build_message, stories


def arabic_email():
    section = testing.section("أخبار العراق", language="ar", slug="iraq")
    story = testing.article(
        section,
        "البرلمان يقرّ موازنة المياه",
        standfirst="صوّت النواب بعد منتصف الليل.",
        lead_image=testing.image(),
        published=timezone.now() - timedelta(hours=1),
    )
    daily = nl.newsletter("ar", kind=Kind.DAILY, name="النشرة اليومية")
    reader = nl.subscriber("qarie@example.org", daily)
    issue = Issue.objects.create(newsletter=daily, day=timezone.localdate(), subject="النشرة", article_ids=[story.pk])
    return build_message(issue, reader, stories([story.pk]))


class ArabicEmailTests(TestCase):
    def test_arabic_email_is_right_to_left_with_alt_text(self):
        message = arabic_email()
        html = message.alternatives[0].content
        self.assertIn('<html lang="ar" dir="rtl">', html)
        self.assertIn("البرلمان يقرّ موازنة المياه", html)
        self.assertRegex(html, r'<img src="http[^"]+" alt="[^"]+"')
        self.assertIn("إلغاء الاشتراك", message.body)


@tag("slow")  # the Nu Html Checker runs in Java
class EmailHtmlValidityTests(TestCase):
    def test_arabic_email_is_valid_html(self):
        html = arabic_email().alternatives[0].content.encode()
        self.assertEqual(testing.nu_html_errors({"arabic email": html}), [])
