"""Staff accounts: sign-in lockout, password strength, TOTP two-factor, session expiry, audit log, admin path."""

from __future__ import annotations

import importlib
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import TestCase, override_settings
from django.urls import clear_url_caches
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from khabar import testing

ADMIN = f"/{settings.ADMIN_PATH}"
PASSWORD = "a-long-test-passphrase"


def editor(username: str):
    """A member of Wagtail's Editors group, made sure to have admin access whatever the database's initial data."""
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.get_or_create(name="Editors")[0]
    group.permissions.add(Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin"))
    return testing.user(username, groups=["Editors"])


def sign_in(client, username: str, password: str = PASSWORD, **extra):
    return client.post(f"{ADMIN}/login/", {"username": username, "password": password}, **extra)


class LoginLockoutTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = editor("nadia")

    def test_after_too_many_wrong_passwords_the_account_is_locked_with_a_clear_page(self):
        for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
            response = sign_in(self.client, "nadia", "wrong-password")
            self.assertEqual(response.status_code, 200)  # the login form again, with an error
        response = sign_in(self.client, "nadia", "wrong-password")
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Too many wrong passwords", status_code=429)
        self.assertEqual(response["Retry-After"], str(settings.AXES_COOLOFF_TIME * 3600).split(".")[0])
        # Even the right password is refused while locked.
        response = sign_in(self.client, "nadia", PASSWORD)
        self.assertEqual(response.status_code, 429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_lockout_is_per_username_and_ip(self):
        for _attempt in range(settings.AXES_FAILURE_LIMIT):
            sign_in(self.client, "nadia", "wrong-password")
        # The same person from another address is not locked out by an attacker elsewhere.
        response = sign_in(self.client, "nadia", PASSWORD, REMOTE_ADDR="10.9.8.7")
        self.assertEqual(response.status_code, 302)

    def test_lockout_ends_after_the_cool_off(self):
        from axes.models import AccessAttempt

        for _attempt in range(settings.AXES_FAILURE_LIMIT):
            sign_in(self.client, "nadia", "wrong-password")
        past = timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME, minutes=1)
        AccessAttempt.objects.update(attempt_time=past)
        response = sign_in(self.client, "nadia", PASSWORD)
        self.assertEqual(response.status_code, 302)

    def test_a_successful_sign_in_resets_the_failure_count(self):
        for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
            sign_in(self.client, "nadia", "wrong-password")
        self.assertEqual(sign_in(self.client, "nadia", PASSWORD).status_code, 302)
        self.client.logout()
        self.assertEqual(sign_in(self.client, "nadia", "wrong-password").status_code, 200)


# As settings.py sets them for KHABAR_BEHIND_PROXY=1.
@override_settings(
    KHABAR_BEHIND_PROXY=True,
    KHABAR_TRUSTED_PROXIES=["127.0.0.0/8", "::1"],
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
)
class LoginLockoutBehindProxyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = editor("nadia")

    def test_it_locks_the_account_out_however_the_attacker_spoofs_x_forwarded_for(self):
        for n in range(settings.AXES_FAILURE_LIMIT):
            # nginx appends the address it saw (203.0.113.50) to whatever the client wrote.
            spoofed = {"HTTP_X_FORWARDED_FOR": f"198.51.100.{n}, 203.0.113.50"}
            sign_in(self.client, "nadia", "wrong-password", **spoofed)
        response = sign_in(self.client, "nadia", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.50")
        self.assertEqual(response.status_code, 429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_the_lockout_belongs_to_the_address_the_proxy_saw(self):
        for _attempt in range(settings.AXES_FAILURE_LIMIT):
            sign_in(self.client, "nadia", "wrong-password", HTTP_X_FORWARDED_FOR="203.0.113.50")
        response = sign_in(self.client, "nadia", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.50, 198.51.100.8")
        self.assertEqual(response.status_code, 302)


def added_in_wagtail(username: str):
    """A user as Wagtail's "Add user" form makes them: in a group with admin access, ``is_staff`` left False."""
    person = editor(username)
    person.is_staff = False
    person.save(update_fields=["is_staff"])
    return person


@override_settings(KHABAR_STAFF_SESSION_SECONDS=3600, SESSION_COOKIE_AGE=86400)
class AdminAccessIsStaffTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.person = added_in_wagtail("rania")

    def test_a_user_added_in_wagtail_gets_the_staff_session_lifetime(self):
        from khabar.ops.signal_handlers import STAFF_LOGIN_AT

        sign_in(self.client, "rania")
        self.assertIn(STAFF_LOGIN_AT, self.client.session)
        session = self.client.session
        session[STAFF_LOGIN_AT] -= 3601
        session.save()
        response = self.client.get(f"{ADMIN}/pages/")
        self.assertEqual(response.status_code, 302)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_a_user_added_in_wagtail_sees_the_two_factor_menu(self):
        sign_in(self.client, "rania")
        self.assertContains(self.client.get(f"{ADMIN}/account/"), f"{ADMIN}/account/two-factor/")


class PasswordStrengthTests(TestCase):
    def test_weak_passwords_are_refused_with_reasons(self):
        person = testing.user("omar.khalil", groups=["Editors"])
        for weak in ["short1", "password123", "1234567890123", "omar.khalil1"]:
            with self.subTest(weak=weak), self.assertRaises(ValidationError):
                validate_password(weak, user=person)

    def test_a_long_unusual_passphrase_is_accepted(self):
        validate_password("tigris-lanterns-at-dusk-42", user=testing.user("layla", groups=["Editors"]))


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)  # wrong-code back-off is tested on its own below
class TwoFactorTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = editor("nadia")

    def _code(self, device: TOTPDevice, drift: int = 0) -> str:
        return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"

    def test_staff_without_a_device_go_straight_in(self):
        self.assertEqual(sign_in(self.client, "nadia").status_code, 302)
        self.assertEqual(self.client.get(f"{ADMIN}/").status_code, 200)

    def test_enrolment_shows_the_otpauth_address_and_confirms_with_a_code(self):
        self.client.force_login(self.editor)
        page = self.client.get(f"{ADMIN}/account/two-factor/")
        self.assertContains(page, "otpauth://totp/")
        device = TOTPDevice.objects.get(user=self.editor)
        self.assertFalse(device.confirmed)
        wrong = self.client.post(f"{ADMIN}/account/two-factor/", {"code": "000000"})
        self.assertContains(wrong, "That code is not right")
        device.refresh_from_db()
        self.assertFalse(device.confirmed)
        response = self.client.post(f"{ADMIN}/account/two-factor/", {"code": self._code(device)})
        self.assertRedirects(response, f"{ADMIN}/account/two-factor/", fetch_redirect_response=False)
        device.refresh_from_db()
        self.assertTrue(device.confirmed)

    def test_the_account_page_links_to_two_factor(self):
        self.client.force_login(self.editor)
        self.assertContains(self.client.get(f"{ADMIN}/account/"), f"{ADMIN}/account/two-factor/")

    def test_staff_with_a_confirmed_device_must_give_a_code_after_the_password(self):
        device = TOTPDevice.objects.create(user=self.editor, name="phone", confirmed=True)
        self.assertEqual(sign_in(self.client, "nadia").status_code, 302)
        response = self.client.get(f"{ADMIN}/account/")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(f"{ADMIN}/two-factor/verify/"))
        wrong = self.client.post(response["Location"], {"code": "123456"})
        self.assertContains(wrong, "That code is not right")
        self.assertEqual(self.client.get(f"{ADMIN}/").status_code, 302)
        right = self.client.post(response["Location"], {"code": self._code(device)})
        self.assertRedirects(right, f"{ADMIN}/account/", fetch_redirect_response=False)
        self.assertEqual(self.client.get(f"{ADMIN}/account/").status_code, 200)

    def test_the_code_step_never_redirects_off_site(self):
        device = TOTPDevice.objects.create(user=self.editor, name="phone", confirmed=True)
        sign_in(self.client, "nadia")
        response = self.client.post(
            f"{ADMIN}/two-factor/verify/?next=https://evil.example/", {"code": self._code(device)}
        )
        self.assertRedirects(response, f"{ADMIN}/", fetch_redirect_response=False)

    def test_a_non_numeric_code_gets_a_form_error(self):
        TOTPDevice.objects.create(user=self.editor, name="phone", confirmed=True)
        sign_in(self.client, "nadia")
        response = self.client.post(f"{ADMIN}/two-factor/verify/", {"code": "<script>alert(1)</script>"})
        self.assertContains(response, "Enter the six digits")
        self.assertNotContains(response, "<script>alert(1)</script>")

    def test_turning_two_factor_off_needs_a_current_code(self):
        device = TOTPDevice.objects.create(user=self.editor, name="phone", confirmed=True)
        sign_in(self.client, "nadia")
        self.client.post(f"{ADMIN}/two-factor/verify/", {"code": self._code(device)})
        self.client.post(f"{ADMIN}/account/two-factor/", {"code": "000000"})
        self.assertTrue(TOTPDevice.objects.filter(pk=device.pk).exists())
        # The same code cannot be used twice, so use the next time step's.
        self.client.post(f"{ADMIN}/account/two-factor/", {"code": self._code(device, drift=1)})
        self.assertFalse(TOTPDevice.objects.filter(pk=device.pk).exists())


@override_settings(KHABAR_STAFF_SESSION_SECONDS=3600, SESSION_COOKIE_AGE=86400)
class StaffSessionExpiryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.editor = editor("nadia")

    def _age_sign_in(self, seconds: int) -> None:
        from khabar.ops.signal_handlers import STAFF_LOGIN_AT

        session = self.client.session
        session[STAFF_LOGIN_AT] -= seconds
        session.save()

    def test_a_staff_session_still_works_within_the_staff_limit(self):
        sign_in(self.client, "nadia")
        self._age_sign_in(3500)
        self.assertEqual(self.client.get(f"{ADMIN}/").status_code, 200)

    def test_a_staff_session_ends_at_the_staff_limit_even_when_remembered(self):
        self.client.post(f"{ADMIN}/login/", {"username": "nadia", "password": PASSWORD, "remember": "on"})
        self.assertEqual(self.client.get(f"{ADMIN}/").status_code, 200)
        self._age_sign_in(3601)
        response = self.client.get(f"{ADMIN}/pages/")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/login/", response["Location"])
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_an_expired_session_is_sent_back_to_sign_in(self):
        sign_in(self.client, "nadia")
        if settings.SESSION_ENGINE.endswith(".db"):
            Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
        else:  # the cache backend (Redis) expires a session by letting its key lapse
            from django.core.cache import cache

            cache.delete(self.client.session.cache_key)
        response = self.client.get(f"{ADMIN}/")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/login/", response["Location"])


class TwoFactorThrottleTests(TestCase):
    def test_repeated_wrong_codes_are_slowed_down(self):
        person = editor("nadia")
        device = TOTPDevice.objects.create(user=person, name="phone", confirmed=True)
        sign_in(self.client, "nadia")
        self.client.post(f"{ADMIN}/two-factor/verify/", {"code": "000000"})
        code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
        response = self.client.post(f"{ADMIN}/two-factor/verify/", {"code": code})
        self.assertContains(response, "Too many wrong codes")


class AuditLogTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.chief = testing.user("chief", superuser=True)
        cls.editor = editor("nadia")
        cls._grant_page_editing("Editors")
        section = testing.section("Iraq News", slug="iraq")
        cls.article = testing.article(section, "Dam inspection report", live=False)
        cls.article.save_revision(user=cls.editor, log_action=True)
        cls.article.save_revision(user=cls.chief).publish(user=cls.chief)

    @staticmethod
    def _grant_page_editing(group_name: str) -> None:
        from django.contrib.auth.models import Group, Permission
        from wagtail.models import GroupPagePermission, Page

        group = Group.objects.get(name=group_name)
        for codename in ("add_page", "change_page"):
            permission = Permission.objects.get(codename=codename, content_type__app_label="wagtailcore")
            GroupPagePermission.objects.get_or_create(
                group=group, page=Page.get_first_root_node(), permission=permission
            )

    def test_site_history_shows_who_published_what(self):
        for person in (self.chief, self.editor):
            with self.subTest(person=person.username):
                self.client.force_login(person)
                response = self.client.get(f"{ADMIN}/reports/site-history/")
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "Dam inspection report")
                self.assertContains(response, "Published")
                self.assertContains(response, "Edit")
                self.assertContains(response, "nadia")

    def test_readers_cannot_reach_the_audit_log(self):
        response = self.client.get(f"{ADMIN}/reports/site-history/")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/login/", response["Location"])


class AdminPathTests(TestCase):
    def _reload_urls(self) -> None:
        import khabar.urls

        importlib.reload(khabar.urls)
        clear_url_caches()

    def test_a_configured_admin_path_moves_the_admin_and_admin_is_gone(self):
        testing.home("en")
        self.addCleanup(self._reload_urls)
        with override_settings(ADMIN_PATH="newsdesk-7f3a"):
            self._reload_urls()
            self.assertEqual(self.client.get("/newsdesk-7f3a/login/").status_code, 200)
            self.assertEqual(self.client.get("/admin/login/", follow=True).status_code, 404)
            self.assertEqual(self.client.get("/admin/", follow=True).status_code, 404)
