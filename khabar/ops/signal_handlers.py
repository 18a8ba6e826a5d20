"""Remember when a staff member signed in, so StaffSessionExpiryMiddleware can end the session on time."""

from __future__ import annotations

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

STAFF_LOGIN_AT = "khabar_staff_login_at"


@receiver(user_logged_in, dispatch_uid="khabar_ops_staff_login_time")
def remember_staff_login_time(sender, request, user, **kwargs) -> None:
    # Wagtail's login view sets the session's own expiry afterwards ("remember me"), so the staff limit
    # is kept as a sign-in time that the middleware checks on every request.
    if request is not None and user.is_staff and hasattr(request, "session"):
        request.session[STAFF_LOGIN_AT] = int(time.time())
