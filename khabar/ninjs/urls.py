"""This channel's URLs: ``urlpatterns`` at the site root, ``edition_urlpatterns`` under /<lang>/."""

from django.urls import include, path, re_path

from khabar.ninjs import views

app_patterns = (
    [
        path("api/ninjs/", views.listing, name="listing"),
        path("api/ninjs/<id:page_id>/", views.item, name="item"),
        re_path(r"^api/ninjs/(?P<rest>.+/)$", views.not_found, name="not_found"),
    ],
    "ninjs",
)

urlpatterns: list = [path("", include(app_patterns))]
edition_urlpatterns: list = [
    path("ninjs/", views.edition_listing, name="ninjs_edition_listing"),
    path("ninjs/<id:page_id>/", views.edition_item, name="ninjs_edition_item"),
    re_path(r"^ninjs/(?P<rest>.+/)$", views.not_found, name="ninjs_edition_not_found"),
]
