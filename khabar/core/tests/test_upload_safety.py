"""What a Reporter uploads can never run as a page on the site's origin, private documents stay
private, and one small file cannot make the server decode a gigantic picture.

The attack these reproduce: a Reporter uploaded an HTML document loading a same-origin script that
created a superuser when an administrator opened /media/documents/x.html (issue 11, items 1, 2, 6).
"""

from __future__ import annotations

import io
import threading
import time

import PIL.Image
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.test import TestCase, override_settings
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from khabar import testing
from khabar.core import media
from khabar.core.models import NewsImage
from khabar.newsroom.roles import REPORTER

Document = get_document_model()


def png(width: int, height: int, mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    PIL.Image.new(mode, (width, height)).save(buffer, "PNG")
    return buffer.getvalue()


class SignedInReporter(TestCase):
    """A Reporter signed in to the real admin: the role the attack used."""

    @classmethod
    def setUpTestData(cls):
        cls.reporter = testing.user("reporter", groups=[REPORTER])

    def setUp(self):
        cache.clear()
        self.client.force_login(self.reporter)


class ReporterUploads(SignedInReporter):
    def upload_document(self, name: str, content: bytes):
        upload = ContentFile(content, name=name)
        return self.client.post(
            reverse("wagtaildocs:add"),
            {"title": name, "file": upload, "collection": Collection.get_first_root_node().pk},
        )

    def test_a_reporter_cannot_upload_html_script_or_svg_documents(self):
        for name, content in [
            ("x.html", b'<script src="/media/documents/x.js"></script>'),
            ("x.js", b"fetch('/admin/users/new/')"),
            ("x.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
            ("x.htm", b"<script>alert(1)</script>"),
        ]:
            response = self.upload_document(name, content)
            self.assertEqual(response.status_code, 200, name)  # the form again, with its error
            extension = name.rsplit(".", 1)[1]
            self.assertContains(response, f"File extension “{extension}” is not allowed", msg_prefix=name)
        self.assertFalse(Document.objects.exists())

    def test_an_accepted_document_is_served_by_wagtails_view_as_an_attachment(self):
        response = self.upload_document("budget.pdf", b"%PDF-1.4 a budget")
        self.assertEqual(response.status_code, 302)
        document = Document.objects.get()
        self.client.logout()
        served = self.client.get(document.url)
        self.assertEqual(served.status_code, 200)
        self.assertTrue(served["Content-Disposition"].startswith("attachment"), served["Content-Disposition"])
        self.assertEqual(served["X-Content-Type-Options"], "nosniff")
        self.assertTrue(document.url.startswith("/documents/"), document.url)

    def test_nothing_but_renditions_is_served_from_media(self):
        self.upload_document("budget.pdf", b"%PDF-1.4 a budget")
        document = Document.objects.get()
        image = testing.image()
        rendition = image.get_rendition("width-100")
        self.client.logout()
        for path in [document.file.name, image.file.name, "images/../documents/" + document.filename]:
            self.assertEqual(self.client.get(f"/media/{path}").status_code, 404, path)
        self.assertNotEqual(self.client.get("/media/documents/", follow=True).status_code, 200)
        served = self.client.get(rendition.url)
        self.assertEqual(served.status_code, 200)
        self.assertEqual(served["X-Content-Type-Options"], "nosniff")
        self.assertEqual(served["Content-Security-Policy"], "default-src 'none'; sandbox")
        self.assertTrue(served["Content-Type"].startswith("image/"))

    def test_a_file_named_like_a_picture_under_images_is_still_only_a_picture(self):
        from django.core.files.storage import default_storage

        default_storage.save("images/evil.html", ContentFile(b"<script>alert(1)</script>"))
        self.assertEqual(self.client.get("/media/images/evil.html").status_code, 404)


class PrivateDocuments(TestCase):
    def setUp(self):
        cache.clear()

    def test_a_document_in_a_private_collection_is_not_readable_by_anyone(self):
        private = Collection.get_first_root_node().add_child(name="Legal")
        CollectionViewRestriction.objects.create(collection=private, restriction_type=CollectionViewRestriction.LOGIN)
        document = Document.objects.create(title="Contract", file=ContentFile(b"%PDF secret", name="contract.pdf"))
        document.collection = private
        document.save()
        response = self.client.get(document.url)
        self.assertNotEqual(response.status_code, 200)
        self.assertNotIn(b"secret", b"".join(getattr(response, "streaming_content", [response.content])))
        self.assertEqual(self.client.get(f"/media/{document.file.name}").status_code, 404)


class PictureBombs(SignedInReporter):
    def test_the_default_cap_is_40_megapixels_for_uploads_and_for_pillow(self):
        self.assertEqual(settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS, 40_000_000)
        self.assertEqual(PIL.Image.MAX_IMAGE_PIXELS, 40_000_000)

    def test_the_reported_11000_by_11000_png_is_refused_on_upload_with_the_limit(self):
        bomb = png(11_000, 11_000, mode="1")  # a few hundred KB of file, 121 million pixels
        self.assertLess(len(bomb), 2_000_000)
        response = self.client.post(
            reverse("wagtailimages:add"),
            {
                "title": "Bomb",
                "file": ContentFile(bomb, name="bomb.png"),
                "alt_text": "x",
                "credit": "x",
                "collection": Collection.get_first_root_node().pk,
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "This file has too many pixels")
        self.assertContains(response, "Maximum pixels 40000000")
        self.assertFalse(NewsImage.objects.filter(title="Bomb").exists())

    @override_settings(WAGTAILIMAGES_MAX_IMAGE_PIXELS=1_000_000)
    def test_a_picture_over_the_cap_is_refused_with_the_cap_named(self):
        response = self.client.post(
            reverse("wagtailimages:add"),
            {
                "title": "Big",
                "file": ContentFile(png(1200, 1000), name="big.png"),
                "alt_text": "x",
                "credit": "x",
                "collection": Collection.get_first_root_node().pk,
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "1000000")
        self.assertFalse(NewsImage.objects.filter(title="Big").exists())

    def test_renditions_are_made_one_at_a_time(self):
        active, peak, lock = [0], [0], threading.Lock()
        original = PIL.Image.Image.resize

        def slow_resize(image, *args, **kwargs):
            with lock:
                active[0] += 1
                peak[0] = max(peak[0], active[0])
            time.sleep(0.2)
            with lock:
                active[0] -= 1
            return original(image, *args, **kwargs)

        images = [testing.image(title=f"Photo {n}") for n in range(3)]
        errors = []

        def render(image):
            try:
                image.generate_rendition_file(_filter("width-50"))
            except Exception as exc:  # reported below
                errors.append(exc)

        PIL.Image.Image.resize = slow_resize
        try:
            threads = [threading.Thread(target=render, args=(image,)) for image in images]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(30)
        finally:
            PIL.Image.Image.resize = original
        self.assertEqual(errors, [])
        self.assertEqual(peak[0], 1)
        self.assertTrue(media.one_rendition_at_a_time)


def _filter(spec: str):
    from wagtail.images.models import Filter

    return Filter(spec=spec)
