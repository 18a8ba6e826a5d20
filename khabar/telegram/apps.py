from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TelegramConfig(AppConfig):
    """Posting stories to the editions' Telegram channels through the Bot API."""

    name = "khabar.telegram"
    label = "telegram"
    verbose_name = _("Telegram")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from khabar.telegram import signal_handlers

        signal_handlers.connect()
