"""This app's URLs: ``urlpatterns`` at the site root, ``edition_urlpatterns`` under /<lang>/."""

urlpatterns: list = []
edition_urlpatterns: list = []
