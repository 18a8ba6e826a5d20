"""This channel's URLs: ``urlpatterns`` at the site root, ``edition_urlpatterns`` under /<lang>/.

The read API lives here too (``/api/``): it is another way articles leave the
site, and mounting it from this channel's urlpatterns needs no edit to the
project's urls.py or INSTALLED_APPS.
"""

from django.urls import path, re_path

from khabar.feeds import api, sitemaps, views

urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemaps.index, name="sitemap_index"),
    path("sitemap-<str:language>.xml", sitemaps.edition, name="sitemap_edition"),
    path("news-sitemap.xml", sitemaps.news, name="news_sitemap"),
    path("api/", api.index, name="api_index"),
    path("api/v2/", api.router.urls),
]

edition_urlpatterns = [
    path("feed/", views.edition_feed, name="edition_feed"),
    path("feed/atom/", views.edition_feed, {"atom": True}, name="edition_feed_atom"),
    path("topics/<str:slug>/feed/", views.topic_feed, name="topic_feed"),
    path("topics/<str:slug>/feed/atom/", views.topic_feed, {"atom": True}, name="topic_feed_atom"),
    # A section's or an author's page URL + feed/ (Unicode slugs allowed, as in Wagtail).
    re_path(r"^(?P<page_path>(?:[^/]+/)+)feed/$", views.listing_feed, name="listing_feed"),
    re_path(r"^(?P<page_path>(?:[^/]+/)+)feed/atom/$", views.listing_feed, {"atom": True}, name="listing_feed_atom"),
]
