"""This app's URLs: ``urlpatterns`` at the site root, ``edition_urlpatterns`` under /<lang>/."""

from django.urls import path

from khabar.newsroom import views

urlpatterns: list = [
    path("healthz/schedule", views.schedule_health, name="newsroom-schedule-health"),
]
edition_urlpatterns: list = [
    path("corrections/", views.corrections, name="newsroom-corrections"),
]
