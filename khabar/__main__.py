"""The `khabar` command: Django's manage.py with Khabar's settings preset."""

import os
import sys


def _service_error_types() -> tuple[type[BaseException], ...]:
    """Database and Redis errors (unreachable, refused, bad schema): shown as one line, not a traceback."""
    from django.db import InterfaceError, OperationalError

    types: list[type[BaseException]] = [OperationalError, InterfaceError]
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError

        types += [RedisConnectionError, RedisTimeoutError]
    except ImportError:  # pragma: no cover - redis is a dependency
        pass
    return tuple(types)


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
    except _service_error_types() as exc:
        if "--traceback" in sys.argv:
            raise
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        sys.stderr.write(f"khabar: database or cache error ({type(exc).__name__}): {first} (--traceback for details)\n")
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
