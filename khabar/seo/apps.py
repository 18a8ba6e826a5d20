from django.apps import AppConfig


class SeoConfig(AppConfig):
    name = "khabar.seo"
    label = "seo"
