"""This channel's URLs: ``urlpatterns`` at the site root, ``edition_urlpatterns`` under /<lang>/."""

from django.urls import include, path

from khabar.comments import views

app_name = "comments"

_reader = [
    path("comments/<id:article_id>/post/", views.post_comment, name="post"),
    path("comments/<id:article_id>/form/", views.comment_form, name="form"),
    path("comments/<id:article_id>/list/", views.comment_list, name="list"),
    path("comments/report/<id:comment_id>/", views.report_comment, name="report"),
    path("comments/privacy/", views.privacy_request, name="privacy"),
    path("comments/privacy/<str:token>/", views.privacy_manage, name="privacy_manage"),
    path("comments/privacy/<str:token>/export.json", views.privacy_export, name="privacy_export"),
    path("comments/privacy/<str:token>/delete/", views.privacy_delete, name="privacy_delete"),
]

urlpatterns: list = []
edition_urlpatterns: list = [path("", include((_reader, "comments")))]
