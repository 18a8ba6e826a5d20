"""The site's URLs plus a view that fails, to test what a reader sees when something breaks."""

from django.urls import path

from khabar.urls import handler404, handler500  # noqa: F401
from khabar.urls import urlpatterns as site_urlpatterns


class DatabaseMeltdownError(RuntimeError):
    pass


def boom(request):
    raise DatabaseMeltdownError("password=hunter2 host=db.internal SECRET_KEY leaked?")


urlpatterns = [path("boom/", boom), *site_urlpatterns]
