from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsroomConfig(AppConfig):
    """How the newsroom works: roles, editorial review, scheduling and embargo, corrections, breaking news."""

    name = "khabar.newsroom"
    label = "newsroom"
    verbose_name = _("Newsroom")

    def ready(self) -> None:
        from khabar.newsroom import checks, signal_handlers  # noqa: F401 (checks register themselves)

        signal_handlers.connect()
