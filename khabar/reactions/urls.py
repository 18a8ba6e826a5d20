"""This channel's URLs: ``urlpatterns`` at the site root, ``edition_urlpatterns`` under /<lang>/.

The endpoints sit under the edition prefix: a 404 from a root URL would be turned into a
redirect to /<lang>/… by the locale middleware, and an unknown article must be a plain 404.
"""

from django.urls import path

from . import views

urlpatterns: list = []
edition_urlpatterns: list = [
    path("reactions/<id:article_id>/", views.reaction, name="reaction"),
    path("reactions/<id:article_id>/result/", views.result_frame, name="reaction_result"),
]
