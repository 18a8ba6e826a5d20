"""A staff comment is trusted (auto-approved, Staff badge) only from a session that passed its second factor."""

from django.conf import settings
from django.core.cache import cache
from django.test import TestCase, override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from khabar import testing
from khabar.comments.models import Comment, Status
from khabar.comments.testing import configure, form_data, moderator

JSON = {"HTTP_ACCEPT": "application/json", "HTTP_SEC_FETCH_SITE": "same-origin"}
ADMIN = f"/{settings.ADMIN_PATH}"
PASSWORD = "a-long-test-passphrase"


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)
class StaffCommentTwoFactorTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.section = testing.section("Iraq News", slug="iraq")
        cls.article = testing.article(cls.section, "Bridge closed")
        cls.moderator = moderator("mona")

    def setUp(self):
        cache.clear()
        configure(default_mode="pre")
        self.url = reverse("comments:post", args=[self.article.pk])

    def _sign_in_with_password(self) -> None:
        response = self.client.post(f"{ADMIN}/login/", {"username": "mona", "password": PASSWORD})
        self.assertEqual(response.status_code, 302)

    def test_a_moderator_who_gave_only_the_password_posts_as_an_ordinary_reader(self):
        TOTPDevice.objects.create(user=self.moderator, name="phone", confirmed=True)
        self._sign_in_with_password()
        self.client.post(self.url, form_data(name="Mona", email="mona@example.org"), **JSON)
        stored = Comment.objects.get()
        self.assertEqual(stored.status, Status.PENDING)
        self.assertIsNone(stored.staff_author_id)

    def test_after_the_code_the_moderator_posts_as_staff(self):
        device = TOTPDevice.objects.create(user=self.moderator, name="phone", confirmed=True)
        self._sign_in_with_password()
        code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
        self.client.post(f"{ADMIN}/two-factor/verify/", {"code": code})
        self.client.post(self.url, form_data(name="Mona", email="mona@example.org"), **JSON)
        stored = Comment.objects.get()
        self.assertEqual(stored.status, Status.APPROVED)
        self.assertEqual(stored.staff_author_id, self.moderator.pk)

    def test_a_moderator_without_two_factor_posts_as_staff(self):
        self._sign_in_with_password()
        self.client.post(self.url, form_data(name="Mona", email="mona@example.org"), **JSON)
        self.assertEqual(Comment.objects.get().staff_author_id, self.moderator.pk)
