"""Take the admin screenshots in docs/images/ from a real site: `make screenshots`.

A fresh embedded site (a temporary var dir, SQLite, the demo content), a newsroom day set up on it
(a story sent back with an editor's comment, one in review, one embargoed), `khabar serve` on a
local port, and Chromium clicking through the admin as the reporter and the editor would.
Nothing here is a test; the tests of each behaviour are in khabar/newsroom/tests/.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "images"
KHABAR = str(ROOT / ".venv" / "bin" / "khabar")
PORT = 8767
PASSWORD = "screenshots-passphrase-2026"  # noqa: S105 - a throwaway site on 127.0.0.1, deleted after


def environment(var_dir: str) -> dict:
    return {
        **os.environ,
        "KHABAR_VAR_DIR": var_dir,
        "SECRET_KEY": "screenshots-only",
        "DEBUG": "0",
        "TIME_ZONE": "Asia/Baghdad",
        "KHABAR_ADMIN_PASSWORD": PASSWORD,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }


def build_site(env: dict) -> None:
    for command in (["collectstatic", "--noinput", "-v0"], ["migrate", "--noinput", "-v0"], ["demo"], ["ensure_admin"]):
        subprocess.run([KHABAR, *command], env=env, check=True, stdout=subprocess.DEVNULL)


def newsroom_day() -> dict:
    """People and stories in the states the screenshots show (run in this process, same database)."""
    import django

    django.setup()
    from django.utils import timezone
    from wagtail.models import WorkflowState

    from khabar import testing
    from khabar.news.models import ArticlePage, SectionPage
    from khabar.newsroom import roles

    reporter = testing.user("rana", groups=[roles.REPORTER], password=PASSWORD)
    editor = testing.user("samira", groups=[roles.EDITOR], password=PASSWORD)
    editor.first_name, editor.last_name = "Samira", "Kareem"
    editor.save()
    section = SectionPage.objects.live().filter(locale__language_code="en").first()
    writer = ArticlePage.objects.live().filter(locale__language_code="en").first().bylines.first().author

    def story(title: str, **fields):
        page = testing.article(section, title, authors=[writer], live=False, owner=reporter, **fields)
        type(page).objects.filter(pk=page.pk).update(live=False, has_unpublished_changes=True)
        page.refresh_from_db()
        page.save_revision(user=reporter)
        return page

    sent_back = story("Power cuts return to Basra as demand peaks")
    state = sent_back.get_workflow().start(sent_back, reporter)
    state.current_task_state.reject(user=editor, comment="Name the second source, please.")
    waiting = story("Mosul's old city market reopens")
    waiting.get_workflow().start(waiting, reporter)
    embargoed = story("Budget figures for 2027", embargo_until=timezone.now() + timedelta(hours=5))
    embargoed.save_revision(user=editor).publish(user=editor)
    assert WorkflowState.objects.filter(status="in_progress").exists()
    return {"section": section.pk, "sent_back": sent_back.pk, "waiting": waiting.pk}


def serve(env: dict) -> subprocess.Popen:
    server = subprocess.Popen(
        [KHABAR, "serve", "--host", "127.0.0.1", "--port", str(PORT), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(60):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)
            return server
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise SystemExit("khabar serve did not answer on /healthz")


def shoot(ids: dict) -> None:
    from django.urls import reverse
    from playwright.sync_api import sync_playwright

    from khabar.testing import CHROMIUM, CHROMIUM_ARGS  # the browser the tests use, launched the same way

    base = f"http://127.0.0.1:{PORT}"
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        def signed_in(username: str):
            page = browser.new_page(viewport={"width": 1280, "height": 860})
            page.goto(base + "/admin/login/")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url("**/admin/")
            return page

        editor = signed_in("samira")
        editor.screenshot(path=OUT / "dashboard-awaiting-review.png")
        editor.goto(f"{base}/admin/pages/{ids['section']}/")
        editor.screenshot(path=OUT / "page-listing-embargoed.png")
        editor.goto(f"{base}/admin/pages/{ids['waiting']}/edit/#tab-settings")
        editor.get_by_role("tab", name="Settings").click()
        editor.screenshot(path=OUT / "article-settings-schedule.png")

        reporter = signed_in("rana")
        reporter.goto(f"{base}/admin/pages/{ids['sent_back']}/edit/")
        reporter.screenshot(path=OUT / "changes-requested.png")
        reporter.goto(f"{base}/admin/pages/add/news/articlepage/{ids['section']}/")
        reporter.locator("#id_new_contributor").scroll_into_view_if_needed()
        reporter.screenshot(path=OUT / "bylines-guest-contributor.png")

        admin = signed_in("admin")
        admin.goto(base + reverse("wagtailusers_users:add"))
        admin.click("#tab-label-roles")
        admin.locator("#id_is_superuser").scroll_into_view_if_needed()
        admin.screenshot(path=OUT / "user-form-superuser.png")
        browser.close()


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="khabar-screenshots-") as var_dir:
        env = environment(var_dir)
        build_site(env)
        os.environ.update(env)
        os.environ["DJANGO_SETTINGS_MODULE"] = "khabar.settings"
        sys.path.insert(0, str(ROOT))
        ids = newsroom_day()
        server = serve(env)
        try:
            shoot(ids)
        finally:
            server.terminate()
            server.wait(timeout=20)
    print(f"screenshots written to {OUT.relative_to(ROOT)}/")


if __name__ == "__main__":
    main()
