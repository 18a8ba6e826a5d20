"""Steps of the concurrent-posting test, run in a fresh process: `python -m khabar.ops.tests.load_scenario STEP`."""

from __future__ import annotations

import json
import os
import sys


def setup() -> None:
    from khabar import testing
    from khabar.comments.testing import configure

    section = testing.section("Iraq News", slug="iraq")
    article = testing.article(section, "Bridge closed for repairs")
    # Every client comes from 127.0.0.1: lift the per-reader limit, which is not what this test measures.
    configure(default_mode="pre", close_after_days=0, posts_per_ten_minutes=1_000_000)
    print(json.dumps({"article": article.pk}))


def stored() -> None:
    from django.db.models import Count

    from khabar.comments.models import Comment

    keys = dict(
        Comment.objects.values_list("submission_key").annotate(n=Count("pk")).values_list("submission_key", "n")
    )
    print(json.dumps({"keys": keys}))


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khabar.settings")
    import django

    django.setup()
    {"setup": setup, "stored": stored}[sys.argv[1]]()
