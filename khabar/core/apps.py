from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "khabar.core"
    label = "core"
    verbose_name = _("Site")

    def ready(self) -> None:
        from khabar.core import signal_handlers

        signal_handlers.connect()
