"""This channel's URLs. The beacon sits at the site root: it never answers 404, so the locale
middleware never turns it into a redirect."""

from django.urls import path

from . import views

urlpatterns: list = [path("views/", views.beacon, name="mostread_beacon")]
edition_urlpatterns: list = []
