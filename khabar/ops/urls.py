"""This app's URLs: ``urlpatterns`` at the site root, ``edition_urlpatterns`` under /<lang>/.

The two-factor pages live under the admin path (see wagtail_hooks.py).
"""

from django.urls import path

from khabar.ops import health

urlpatterns: list = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]
edition_urlpatterns: list = []
