"""Staff sessions end a fixed time after sign-in (KHABAR_STAFF_SESSION_SECONDS)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver


@receiver(user_logged_in, dispatch_uid="khabar_ops_staff_session_expiry")
def expire_staff_sessions(sender, request, user, **kwargs) -> None:
    # A stolen or forgotten staff session is worth more than a reader's: it ends sooner, and the
    # cookie is not refreshed by activity (SESSION_SAVE_EVERY_REQUEST stays off).
    if request is not None and user.is_staff and hasattr(request, "session"):
        request.session.set_expiry(min(settings.KHABAR_STAFF_SESSION_SECONDS, settings.SESSION_COOKIE_AGE))
