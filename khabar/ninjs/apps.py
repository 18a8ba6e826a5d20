from django.apps import AppConfig


class NinjsConfig(AppConfig):
    name = "khabar.ninjs"
    label = "ninjs"
