"""Steps of the backup round-trip test, run as `python -m khabar.ops.tests.backup_scenario STEP` in a fresh process.

The round trip runs like an operator would: its own database and media folder (from the environment),
real `khabar` commands between the steps, and nothing shared with the test runner's database.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path


def populate() -> None:
    from khabar import testing

    testing.newsroom(articles_per_section=2)
    testing.user("chief", superuser=True)
    testing.user("nadia", groups=["Editors"])
    print(json.dumps({"populated": True}))


def more() -> None:
    """Content added after a backup."""
    from khabar import testing

    late = testing.section("Late news", slug="late")
    testing.article(late, "Curfew lifted", lead_image=testing.image())
    print(json.dumps({"added": True}))


def fingerprint() -> None:
    from django.conf import settings
    from wagtail.models import Page, Revision

    from khabar.core.models import NewsImage
    from khabar.ops.backup import site_counts

    root = Path(settings.MEDIA_ROOT)
    media = {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.relative_to(root).parts[0] != "images"  # renditions: rebuilt on demand
    }
    print(
        json.dumps(
            {
                "counts": site_counts(),
                "pages": sorted(Page.objects.values_list("url_path", "title", "live")),
                "revisions": Revision.objects.count(),
                "images": sorted(NewsImage.objects.values_list("title", "file", "credit", "alt_text")),
                "media": media,
            },
            default=str,
        )
    )


def render() -> None:
    from django.conf import settings
    from django.test import Client, override_settings

    from khabar.news.models import ArticlePage

    # This throw-away site has no collected static files; plain static URLs are enough to render.
    plain = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(STORAGES=plain):
        article = ArticlePage.objects.live().order_by("pk").first()
        response = Client().get(article.url)
    ok = response.status_code == 200 and b"Photo courtesy of the Basra Trade Office" in response.content
    print(json.dumps({"status": response.status_code, "credit_shown": ok}))


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khabar.settings")
    import django

    django.setup()
    {"populate": populate, "more": more, "fingerprint": fingerprint, "render": render}[sys.argv[1]]()
