"""`khabar ensure_admin`: make sure the `admin` account exists (idempotent).

The password comes from KHABAR_ADMIN_PASSWORD (or KHABAR_ADMIN_PASSWORD_FILE);
without it a strong one is generated and printed once, when the account is
created. Running it again changes nothing, unless KHABAR_ADMIN_PASSWORD is set
to a new value, which then becomes the password.
"""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from khabar.lib.env import env

USERNAME = "admin"


class Command(BaseCommand):
    help = "Create the `admin` account if missing (password from KHABAR_ADMIN_PASSWORD, or generated and printed once)."

    def handle(self, *args, **options) -> None:
        User = get_user_model()
        wanted = env("KHABAR_ADMIN_PASSWORD")
        if wanted:
            try:
                validate_password(wanted, User(username=USERNAME))
            except ValidationError as exc:
                raise CommandError(f"KHABAR_ADMIN_PASSWORD is too weak: {' '.join(exc.messages)}") from None
        user = User.objects.filter(username=USERNAME).first()
        if user is None:
            password = wanted or secrets.token_urlsafe(15)
            User.objects.create_superuser(USERNAME, "admin@localhost", password)
            if wanted:
                self.stdout.write("Created the admin account `admin` with the password from KHABAR_ADMIN_PASSWORD.")
            else:
                self.stdout.write(
                    f"Created the admin account: user `admin`, password {password}\n"
                    "  (shown only this once; change it in the admin, or set KHABAR_ADMIN_PASSWORD)"
                )
            return
        if wanted and not user.check_password(wanted):
            user.set_password(wanted)
            user.save(update_fields=["password"])
            self.stdout.write("The admin account's password now comes from KHABAR_ADMIN_PASSWORD.")
            return
        self.stdout.write("The admin account exists; nothing changed.")
