from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "khabar.comments"
    label = "comments"
    verbose_name = _("Comments")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from khabar.comments.config import forget_config
        from khabar.comments.models import CommentSettings

        post_save.connect(forget_config, sender=CommentSettings, dispatch_uid="comments-config-saved")
