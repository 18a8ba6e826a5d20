from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Running Khabar safely: health checks, backup and restore, logs, staff sign-in protection."""

    name = "khabar.ops"
    label = "ops"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from khabar.ops import signal_handlers  # noqa: F401 (connects the receivers)
