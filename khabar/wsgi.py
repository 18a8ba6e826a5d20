"""The WSGI application `khabar serve` runs: Django behind the page cache's fast path."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khabar.settings")
django_application = get_wsgi_application()

from khabar.core.fastpath import FastPath  # noqa: E402 (needs the settings configured above)

application = FastPath(django_application)
