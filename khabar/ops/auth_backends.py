"""Sign-in throttling (django-axes) for sign-ins that come through an HTTP request."""

from __future__ import annotations

import ipaddress

from axes.backends import AxesStandaloneBackend

from khabar.core.ratelimit import client_ip


def axes_client_ip(request) -> str | None:
    """The reader's address for django-axes, or None when there is no valid one (axes stores it as an IP)."""
    address = client_ip(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' lockout check, skipped when there is no request to throttle.

    Sign-ins without a request (``createsuperuser``, the shell, Django's test client ``login()``) come from
    someone already on the server; axes' own backend would raise for them instead of letting them through.
    """

    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
