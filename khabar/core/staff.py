"""Who counts as staff on this request: the one rule every staff protection and privilege uses.

Staff are people with admin access (Wagtail's ``wagtailadmin.access_admin`` permission, or superusers),
not Django's ``is_staff`` flag: Wagtail's own "Add user" screen never sets that flag, so keying off it let
users created there escape the staff session lifetime and the two-factor menu.

A staff session *counts* only once its second factor is done: someone who enrolled a TOTP device and has
given only the password is, everywhere (the admin, comment auto-approval and the Staff badge), no more
than a signed-in reader until they enter a code. ``user.is_verified()`` comes from django-otp's
OTPMiddleware.
"""

from __future__ import annotations

from django.http import HttpRequest

ADMIN_ACCESS = "wagtailadmin.access_admin"


def has_admin_access(user) -> bool:
    """An active superuser, or a user given admin access (directly or by a group)."""
    return bool(user is not None and user.is_authenticated and user.is_active and user.has_perm(ADMIN_ACCESS))


def has_confirmed_device(user) -> bool:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def needs_second_factor(request: HttpRequest) -> bool:
    """Signed in with the password, enrolled in two-factor, and no code given yet in this session."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return False
    return has_confirmed_device(user)


def verified_staff(request: HttpRequest):
    """The signed-in staff member when this session counts as staff (admin access, second factor done), else None."""
    user = getattr(request, "user", None)
    if not has_admin_access(user) or needs_second_factor(request):
        return None
    return user
