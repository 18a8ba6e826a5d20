"""Optional TOTP two-factor sign-in for staff (django-otp's TOTP device).

A staff member enrols from their account page: Khabar shows the otpauth:// address (and the secret) to
type or paste into an authenticator app, then asks for one code to confirm the device. From then on,
after the password, StaffTwoFactorMiddleware sends them to the code page before any admin page.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from khabar.core.staff import has_admin_access

DEVICE_NAME = "authenticator"


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=gettext_lazy("Six-digit code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": gettext_lazy("Enter the six digits your app shows, without spaces.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def __init__(self, *args, device: TOTPDevice | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        # verify_is_allowed/verify_token also apply django-otp's throttling after repeated wrong codes.
        allowed, _data = self.device.verify_is_allowed()
        if not allowed:
            raise forms.ValidationError(_("Too many wrong codes. Wait a minute and try again."))
        if not self.device.verify_token(code):
            raise forms.ValidationError(_("That code is not right. Check your device's clock and try again."))
        return code


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("wagtailadmin_home")


@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    """The sign-in step after the password, for staff with a confirmed device."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None or request.user.is_verified():
        return HttpResponseRedirect(_safe_next(request))
    form = CodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        otp_login(request, device)
        return HttpResponseRedirect(_safe_next(request))
    return render(request, "ops/two_factor_verify.html", {"form": form, "next": _safe_next(request)})


@never_cache
def enrol(request: HttpRequest) -> HttpResponse:
    """Turn two-factor sign-in on (confirm a new device with one code) or off (with a current code)."""
    user = request.user
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if confirmed is not None:
        return _manage_confirmed(request, confirmed)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
        user=user, name=DEVICE_NAME, confirmed=False
    )
    form = CodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        messages.success(request, _("Two-factor sign-in is on. You will be asked for a code after your password."))
        return HttpResponseRedirect(reverse("ops_two_factor"))
    context = {"form": form, "device": device, "config_url": device.config_url, "secret": _base32(device)}
    return render(request, "ops/two_factor_enrol.html", context)


def _manage_confirmed(request: HttpRequest, device: TOTPDevice) -> HttpResponse:
    form = CodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        device.delete()
        messages.success(request, _("Two-factor sign-in is off."))
        return HttpResponseRedirect(reverse("ops_two_factor"))
    return render(request, "ops/two_factor_manage.html", {"form": form, "device": device})


def _base32(device: TOTPDevice) -> str:
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def account_menu_item(request: HttpRequest) -> dict | None:
    if not has_admin_access(request.user):
        return None
    return {
        "url": reverse("ops_two_factor"),
        "label": _("Two-factor sign-in"),
        "help_text": _("Ask for a code from an authenticator app after the password (%(site)s).")
        % {"site": settings.SITE_NAME},
    }
