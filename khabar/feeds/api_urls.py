"""The read API's URLs on their own, without i18n patterns (see api.KeepNotFound)."""

from django.urls import path

from khabar.feeds.api import router

urlpatterns = [path("api/v2/", router.urls)]
