"""Public URLs (docs/architecture.md): /<lang>/… for readers, /admin/ for editors, /api/ to read.

Each channel app (comments, reactions, feeds, seo, search, ninjs) declares its
own ``urlpatterns`` (site root) and ``edition_urlpatterns`` (under /<lang>/);
they are mounted before Wagtail's page-serving catch-all.
"""

from importlib import import_module

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from khabar.core import views as core_views
from khabar.news import views as news_views

CHANNELS = [
    "comments", "reactions", "mostread", "feeds", "seo", "search", "ninjs", "newsroom", "ops", "lite", "newsletters",
]  # fmt: skip

urlpatterns = [
    # Before Wagtail's admin: Khabar's sign-out and password reset replace Wagtail's (khabar/ops/accounts.py).
    path(f"{settings.ADMIN_PATH}/", include(import_module("khabar.ops.urls").admin_urlpatterns)),
    path(f"{settings.ADMIN_PATH}/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("", include("khabar.core.urls")),
]
edition_urlpatterns = []
for channel in CHANNELS:
    module = import_module(f"khabar.{channel}.urls")
    urlpatterns += module.urlpatterns
    edition_urlpatterns += getattr(module, "edition_urlpatterns", [])

# Wagtail's own routes under the edition (the password form of a restricted page posts to
# /<lang>/_util/authenticate_with_password/…) come before the catch-all, which would swallow them.
wagtail_utilities = [pattern for pattern in wagtail_urls.urlpatterns if pattern.name != "wagtail_serve"]

urlpatterns += i18n_patterns(
    *edition_urlpatterns,
    *wagtail_utilities,
    # Articles in one query; everything else falls through to Wagtail (see khabar/news/views.py).
    re_path(r"^((?:[\w\-]+/)*)$", news_views.serve, name="khabar_serve"),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

handler404 = core_views.page_not_found
handler500 = core_views.server_error
