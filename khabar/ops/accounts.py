"""Khabar's versions of two Wagtail account views, mounted in front of Wagtail's own (khabar/urls.py).

* Sign-out: Wagtail's view deletes the session cookie even when it answers a GET with 405, so any page
  on the web could sign staff out with an ``<img>``. Here anything but POST is refused before it runs.
* Password reset: throttled per address and per email asked for (the same rate limits as readers'
  writes), and the emailed link is built from the host the request came to (khabar.core.links), never
  from a default BASE_URL.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from wagtail.admin.views import account

from khabar.core.links import site_base
from khabar.core.ratelimit import hit, ip_hash, too_many_requests

RESETS_PER_ADDRESS = 5
RESETS_PER_EMAIL = 3
RESET_WINDOW = 3600


class LogoutView(account.LogoutView):
    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)


class PasswordResetView(account.PasswordResetView):
    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        email = request.POST.get("email", "").strip().casefold()[:254]
        for scope, key, limit in (
            ("password-reset-ip", ip_hash(request), RESETS_PER_ADDRESS),
            ("password-reset-email", email, RESETS_PER_EMAIL),
        ):
            verdict = hit(scope, key, limit=limit, window=RESET_WINDOW)
            if not verdict.allowed:
                return too_many_requests(request, verdict.retry_after)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        self.extra_email_context = {"reset_base": site_base(self.request)}
        return super().form_valid(form)
