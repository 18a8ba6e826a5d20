from django.apps import AppConfig


class ReactionsConfig(AppConfig):
    name = "khabar.reactions"
    label = "reactions"
