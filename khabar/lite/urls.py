"""The lite edition: /<lang>/lite/ and, below it, the same sections and articles as the full site."""

from django.urls import path, re_path

from khabar.lite import views

urlpatterns: list = []

edition_urlpatterns = [
    path("lite/sw.js", views.service_worker, name="lite_service_worker"),
    path("lite/offline/", views.offline, name="lite_offline"),
    path("lite/picture/<str:token>/", views.picture, name="lite_picture"),
    path("lite/latest.json", views.latest, name="lite_latest"),
    re_path(r"^lite/(?P<path>(?:[^/]+/){0,2})$", views.page, name="lite_page"),
]
