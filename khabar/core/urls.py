from django.conf import settings
from django.urls import path, re_path
from django.views.static import serve

from khabar.core import csrf, views

urlpatterns = [
    path("", views.edition_redirect, name="edition_redirect"),
    path("csrf/", csrf.csrf_token, name="csrf_token"),
]

if settings.KHABAR_SERVE_MEDIA:
    # The embedded setup serves uploaded images itself; behind nginx or object
    # storage, set KHABAR_SERVE_MEDIA=0 and let them do it.
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]
