"""The image form asks once for a description (Alt text) and says the same thing about a missing
credit wherever an image is uploaded: Images → Add, the chooser's Upload tab, multiple upload."""

from __future__ import annotations

from bs4 import BeautifulSoup
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation
from wagtail.models import Collection

from khabar.core.forms import REQUIRED_MESSAGES
from khabar.core.models import NewsImage
from khabar.core.tests.test_upload_safety import SignedInReporter, png


class ImageFormTests(SignedInReporter):
    def upload(self, url_name: str, **fields):
        data = {
            "title": "Market",
            "file": ContentFile(png(40, 30), name="market.png"),
            "collection": Collection.get_first_root_node().pk,
            **fields,
        }
        if url_name == "wagtailimages_chooser:create":
            data = {f"image-chooser-upload-{name}": value for name, value in data.items()}
        return self.client.post(reverse(url_name), data)

    def test_the_add_form_has_alt_text_and_no_second_description_field(self):
        html = BeautifulSoup(self.client.get(reverse("wagtailimages:add")).content, "html.parser")
        self.assertIsNotNone(html.find(attrs={"name": "alt_text"}))
        self.assertEqual(html.select('input[name="description"], textarea[name="description"]'), [])

    def test_the_alt_text_is_also_wagtails_description(self):
        self.upload("wagtailimages:add", alt_text="Stalls at Shorja market", credit="Photo via Reuters")
        image = NewsImage.objects.get(title="Market")
        self.assertEqual(image.description, "Stalls at Shorja market")
        image.alt_text = "Shoppers at dawn"
        image.save(update_fields=["alt_text"])
        image.refresh_from_db()
        self.assertEqual(image.description, "Shoppers at dawn")

    def test_a_missing_credit_gets_the_helpful_message_on_add_and_in_the_chooser(self):
        with translation.override("en"):
            helpful = str(REQUIRED_MESSAGES["credit"])
        for url_name in ("wagtailimages:add", "wagtailimages_chooser:create"):
            with self.subTest(url_name):
                response = self.upload(url_name, alt_text="Stalls at Shorja market", credit="")
                body = response.content.decode()
                if response["Content-Type"].startswith("application/json"):
                    body = " ".join(str(value) for value in response.json().values())
                self.assertIn(helpful, body)
                self.assertNotIn("This field is required.", body)
        self.assertFalse(NewsImage.objects.exists())

    def test_multiple_upload_does_not_ask_for_a_description_the_form_does_not_have(self):
        page = self.client.get(reverse("wagtailimages:add_multiple"))
        self.assertContains(page, "/static/core/admin.")
        css = open(finders.find("core/admin.css"), encoding="utf-8").read()
        self.assertIn("#upload-list .right > p.error-message", css)
        self.assertIn("display: none", css)
