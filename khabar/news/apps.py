from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "khabar.news"
    label = "news"
    verbose_name = _("News")

    def ready(self) -> None:
        from khabar.news import signal_handlers

        signal_handlers.register()
