"""Remember when a staff member signed in (StaffSessionExpiryMiddleware ends the session on time);
keep the embedded database file private."""

from __future__ import annotations

import os
import time

from django.contrib.auth.signals import user_logged_in
from django.db.backends.signals import connection_created
from django.dispatch import receiver

from khabar.core.staff import has_admin_access

STAFF_LOGIN_AT = "khabar_staff_login_at"


@receiver(user_logged_in, dispatch_uid="khabar_ops_staff_login_time")
def remember_staff_login_time(sender, request, user, **kwargs) -> None:
    # Wagtail's login view sets the session's own expiry afterwards ("remember me"), so the staff limit
    # is kept as a sign-in time that the middleware checks on every request.
    if request is not None and has_admin_access(user) and hasattr(request, "session"):
        request.session[STAFF_LOGIN_AT] = int(time.time())


@receiver(connection_created, dispatch_uid="khabar_ops_private_sqlite_file")
def keep_the_sqlite_file_private(sender, connection, **kwargs) -> None:
    """The embedded database holds password hashes and readers' emails: owner-only (0600), like
    the backups. SQLite gives its -wal and -shm files the database file's mode."""
    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        return
    try:
        if os.stat(name).st_mode & 0o077:
            os.chmod(name, 0o600)
    except OSError:  # not created yet, or not ours to change: nothing to tighten
        pass
