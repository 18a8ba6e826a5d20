from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "khabar.feeds"
    label = "feeds"
