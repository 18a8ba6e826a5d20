"""This channel's URLs: ``urlpatterns`` at the site root, ``edition_urlpatterns`` under /<lang>/."""

from django.urls import include, path

from khabar.newsletters import views

app_name = "newsletters"

_reader = [
    path("newsletters/", views.signup_form, name="signup"),
    path("newsletters/subscribe/", views.subscribe, name="subscribe"),
    path("newsletters/confirm/<str:token>/", views.confirm, name="confirm"),
    path("newsletters/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("newsletters/privacy/", views.privacy_request, name="privacy"),
    path("newsletters/privacy/<str:token>/", views.privacy_manage, name="privacy_manage"),
    path("newsletters/privacy/<str:token>/export.json", views.privacy_export, name="privacy_export"),
    path("newsletters/privacy/<str:token>/delete/", views.privacy_delete, name="privacy_delete"),
]

urlpatterns: list = []
edition_urlpatterns: list = [path("", include((_reader, "newsletters")))]
