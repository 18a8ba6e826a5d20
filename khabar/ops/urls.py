"""This app's URLs: ``urlpatterns`` at the site root, ``edition_urlpatterns`` under /<lang>/.

The two-factor pages live under the admin path (see wagtail_hooks.py); ``admin_urlpatterns`` replace two
of Wagtail's account views (accounts.py) and are mounted in front of the admin by khabar/urls.py.
"""

from django.urls import path

from khabar.ops import accounts, health

urlpatterns: list = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]
edition_urlpatterns: list = []
# Mounted before Wagtail's admin URLs, so these replace Wagtail's views at the same addresses.
admin_urlpatterns: list = [
    path("logout/", accounts.LogoutView.as_view(), name="wagtailadmin_logout"),
    path("password_reset/", accounts.PasswordResetView.as_view(), name="wagtailadmin_password_reset"),
]
