"""The one table of the ops app: readiness proves with it that the database takes writes."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class WriteProbe(models.Model):
    """``/readyz`` inserts a row here inside a transaction it rolls back (khabar.ops.health): the
    table stays empty, and a database that cannot take a write now (locked, read-only) fails it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

    class Meta:
        verbose_name = _("write probe")

    def __str__(self) -> str:
        return str(self.id)
