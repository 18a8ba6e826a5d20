"""The page a locked-out staff member sees (django-axes calls this once the failure limit is reached)."""

from __future__ import annotations

import math

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def cooloff_seconds() -> int:
    return math.ceil(float(settings.AXES_COOLOFF_TIME) * 3600)


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    seconds = cooloff_seconds()
    response = render(request, "ops/locked_out.html", {"cooloff_minutes": max(1, math.ceil(seconds / 60))}, status=429)
    response["Retry-After"] = str(seconds)
    response["Cache-Control"] = "no-store"
    return response
