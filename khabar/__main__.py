"""The `khabar` command: Django's manage.py with Khabar's settings preset."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khabar.settings")
    from khabar.lib.env import EnvError

    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(sys.argv)
    except EnvError as exc:
        # A configuration mistake: one clear line, no traceback.
        sys.stderr.write(f"khabar: configuration error: {exc}\n")
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
