from django.conf import settings
from django.urls import path, re_path

from khabar.core import csrf, media, views

urlpatterns = [
    path("", views.edition_redirect, name="edition_redirect"),
    path("csrf/", csrf.csrf_token, name="csrf_token"),
]

if settings.KHABAR_SERVE_MEDIA:
    # The embedded setup serves image renditions itself, and nothing else under /media/
    # (khabar/core/media.py); behind nginx or object storage, set KHABAR_SERVE_MEDIA=0 and
    # configure them the same way (docs/deploy.md).
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", media.serve_media, name="media")]
