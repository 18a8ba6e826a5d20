"""This channel's URLs: ``urlpatterns`` at the site root, ``edition_urlpatterns`` under /<lang>/."""

from django.urls import path

from khabar.search import views

urlpatterns: list = []
edition_urlpatterns = [path("search/", views.search, name="search")]
