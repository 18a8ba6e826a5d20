from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsroomConfig(AppConfig):
    """How the newsroom works: roles, editorial review, scheduling and embargo, corrections, breaking news."""

    name = "khabar.newsroom"
    label = "newsroom"
    verbose_name = _("Newsroom")

    def ready(self) -> None:
        from khabar.newsroom import signal_handlers

        signal_handlers.connect()
