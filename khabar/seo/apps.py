from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeoConfig(AppConfig):
    name = "khabar.seo"
    label = "seo"
    verbose_name = _("Search engines and sharing")

    def ready(self) -> None:
        from khabar.seo import signal_handlers

        signal_handlers.connect()
