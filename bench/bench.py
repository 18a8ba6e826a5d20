"""`make bench`: Khabar's benchmark suite (`python bench/bench.py`, `--smoke` for CI).

It starts the real server (`khabar serve`, DEBUG off, 2 workers) on 127.0.0.1
with a fresh var dir, loads it with wrk (Debian), and measures:

* article, home and section pages, cached and uncached, at 16 connections
  (req/s, p50, p99). "Uncached" is a second server started with
  KHABAR_PAGE_CACHE=0: the page cache is off, every request renders the page;
* the same article bytes served from disk by nginx (Debian), as the physical
  limit, and the ratio of our cached figure to it;
* comment submissions per second and a check that none was lost (when the
  comments app's posting endpoint exists; otherwise the row says so);
* all of it on sites of 1,000 and 100,000 articles (+ comments when
  `khabar demo --comments` exists), deep pagination (page 1,000 of a section);
* a purge under load: 64 connections read the home page while an editor publishes a story it
  lists; renders per purge (MISS), previous copies (STALE) and for how long, and the p99 in the
  2 s after the purge beside the p99 before it. The publish is timed on the readers' clock; a
  purge that did not land well inside the run is reported "not measured: <why>", not a figure;
* peak RSS of one gunicorn worker; SQL queries per page type (counted
  in-process with CaptureQueriesContext, page cache off).

It prints a table and writes JSON into var/bench/. Targets from issue 7 are
reported, never asserted; `--smoke` only checks that everything works.
This module imports no Django at top level: it drives `khabar` subprocesses.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import queue
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONNECTIONS = 16
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
TARGETS = {
    "cached_article_vs_nginx": ">= 40%",
    "uncached_article_rps": ">= 400 req/s, p99 < 60 ms",
    "article_queries": "<= 12",
    "scale_latency": "home, section and deep page each within 1.5x of the 1,000-article figure",
    "comments_per_second": ">= 300, none lost",
    "lighthouse": "100 / 100 / 100 / 100 (performance / accessibility / best practices / SEO)",
}
# What Chromium sends: pages are measured in the encoding a reader's browser gets.
BROWSER_ENCODING = "gzip, deflate, br, zstd"


class BenchError(RuntimeError):
    pass


@dataclass
class Load:
    """One wrk run."""

    name: str
    url: str
    rps: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    requests: int = 0
    errors: int = 0
    note: str = ""
    detail: dict = field(default_factory=dict)  # a run's own figures (the purge under load's)


@dataclass
class Scale:
    articles: int
    comments: int | str
    loads: list[Load] = field(default_factory=list)
    queries: dict[str, int] = field(default_factory=dict)
    peak_worker_rss_mb: float = 0.0
    nginx_ratio: float | None = None
    deep_page: int | None = None
    lighthouse: dict[str, dict] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


# --- Processes ------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def khabar(env: dict, *args: str, timeout: float = 3600, capture: bool = True) -> str:
    command = [sys.executable, "-m", "khabar", *args]
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=capture, text=True, timeout=timeout)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout or "").strip().splitlines()[-5:] if capture else []
        raise BenchError(f"`khabar {' '.join(args)}` failed ({done.returncode}): {' | '.join(detail)}")
    return done.stdout if capture else ""


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (our own 127.0.0.1 server)
                if response.status < 500:
                    return
        except OSError:
            time.sleep(0.25)
    raise BenchError(f"the server did not answer {url} within {seconds} s")


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


class Server:
    """`khabar serve` in its own process group, stopped (gracefully) on exit."""

    def __init__(self, env: dict, port: int, workers: int, log: Path) -> None:
        self.port = port
        self.log = log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "khabar", "serve", "--port", str(port), "--workers", str(workers)],
            env=env,
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            pids = [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []
        # Not the periodic-jobs sidecar `khabar serve` starts beside gunicorn's workers.
        return [pid for pid in pids if b"--periodic-only" not in _cmdline(pid)]

    def peak_worker_rss_mb(self) -> float:
        peaks = []
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            match = re.search(r"VmHWM:\s+(\d+) kB", status)
            if match:
                peaks.append(int(match.group(1)) / 1024)
        return round(max(peaks), 1) if peaks else 0.0

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


class Nginx:
    """Debian's nginx serving one file from disk on another 127.0.0.1 port, with a generated config."""

    def __init__(self, workdir: Path, body: bytes, gzipped: bytes | None = None) -> None:
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="khabar-bench-nginx-"))
        os.chmod(self.dir, 0o755)  # noqa: S103 (nginx workers run as an unprivileged user and must read it)
        (self.dir / "article.html").write_bytes(body)
        os.chmod(self.dir / "article.html", 0o644)
        if gzipped:  # the same gzip bytes Khabar stored, sent by gzip_static as Khabar sends them
            (self.dir / "article.html.gz").write_bytes(gzipped)
            os.chmod(self.dir / "article.html.gz", 0o644)
        conf = self.dir / "nginx.conf"
        conf.write_text(
            f"""worker_processes 2;
pid {self.dir}/nginx.pid;
error_log {self.dir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  client_body_temp_path {self.dir}/body;
  proxy_temp_path {self.dir}/proxy;
  fastcgi_temp_path {self.dir}/fastcgi;
  uwsgi_temp_path {self.dir}/uwsgi;
  scgi_temp_path {self.dir}/scgi;
  default_type text/html;
  gzip_static on;
  gzip_vary on;
  server {{
    listen 127.0.0.1:{self.port};
    root {self.dir};
    location / {{ }}
  }}
}}
"""
        )
        self.process = subprocess.Popen(
            [NGINX, "-c", str(conf), "-p", str(self.dir), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        self.url = f"http://127.0.0.1:{self.port}/article.html"
        wait_for(self.url, 10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


# --- wrk ------------------------------------------------------------------------


def _ms(text: str) -> float:
    match = re.match(r"([\d.]+)(us|ms|s|m)", text)
    if not match:
        return 0.0
    value, unit = float(match.group(1)), match.group(2)
    return round(value * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit], 3)


def parse_wrk(output: str, load: Load) -> Load:
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in", output)
    p50 = re.search(r"\s50%\s+(\S+)", output)
    p99 = re.search(r"\s99%\s+(\S+)", output)
    non_ok = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if not (rps and total):
        raise BenchError(f"wrk output not understood for {load.url}: {output[-300:]}")
    load.rps = float(rps.group(1))
    load.requests = int(total.group(1))
    load.p50_ms = _ms(p50.group(1)) if p50 else 0.0
    load.p99_ms = _ms(p99.group(1)) if p99 else 0.0
    load.errors = int(non_ok.group(1)) if non_ok else 0
    if socket_errors:
        load.errors += sum(int(n) for n in socket_errors.groups()[:3])  # timeouts show in p99
    return load


def wrk_command(
    url: str,
    seconds: float,
    script: Path | None = None,
    encoding: str | None = None,
    connections: int = CONNECTIONS,
    threads: int = 2,
) -> list[str]:
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--latency",
        "--timeout",
        "10s",
    ]
    if encoding:
        command += ["-H", f"Accept-Encoding: {encoding}"]
    if script:
        command += ["-s", str(script)]
    return [*command, url]


def wrk(
    name: str,
    url: str,
    seconds: float,
    script: Path | None = None,
    encoding: str | None = None,
    connections: int = CONNECTIONS,
) -> Load:
    command = wrk_command(url, seconds, script, encoding, connections)
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    if done.returncode != 0:
        raise BenchError(f"wrk failed on {url}: {done.stderr.strip()}")
    load = parse_wrk(done.stdout, Load(name=name, url=url))
    load.raw_output = done.stdout  # not a field: what a Lua script printed, read by the caller
    return load


def _lower(headers) -> dict:
    return {name.lower(): value for name, value in headers.items()}


def fetch(url: str, **headers) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (our own 127.0.0.1 server)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            # Header names lower-cased: granian sends them so, and HTTP does not care.
            return response.status, _lower(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, _lower(exc.headers), exc.read()
    except (TimeoutError, urllib.error.URLError, OSError) as exc:
        return 0, {}, str(exc).encode()  # 0: no answer (timed out or refused); callers report it


# --- The site -------------------------------------------------------------------

SETUP_SCRIPT = r"""
import json, os
from django.conf import settings
# All bench load comes from one address: raise the per-reader posting limit so the comment rate
# measured is the server's, not the rate limit's (the limit itself is tested in khabar/comments/tests).
from khabar.comments.models import CommentSettings
_comment_settings = CommentSettings.load()
_comment_settings.posts_per_ten_minutes = 30000
_comment_settings.save()
from khabar.news.models import ArticlePage, SectionPage, AuthorPage
articles, fallback = int(os.environ["BENCH_ARTICLES"]), os.environ["BENCH_MODE"] == "builders"
if fallback and articles:
    from datetime import timedelta
    from django.utils import timezone
    from khabar import testing
    names = [("Iraq News", "iraq"), ("Business", "business"), ("Culture", "culture")]
    sections = [testing.section(title, slug=slug) for title, slug in names]
    writers = [testing.author("Layla Hassan", role="Correspondent"), testing.author("Omar Khalil", role="Analyst")]
    now = timezone.now()
    for n in range(articles):
        when = now - timedelta(minutes=n)
        page = testing.article(sections[n % 3], f"Story {n + 1}", authors=writers[: 1 + n % 2], published=when)
        if n % 10 == 0:
            page.topics.add("water"); testing.publish(page)
biggest = max(SectionPage.objects.live().filter(locale__language_code="en"), key=lambda s: s.articles().count())
count = biggest.articles().count()
article = ArticlePage.for_listing(biggest.articles()).first()
author = AuthorPage.objects.live().filter(locale__language_code="en", bylines__page__live=True).first()
from taggit.models import Tag
topic = Tag.objects.filter(news_articletopic_items__content_object__locale__language_code="en").first()
topic_slug = topic.slug if topic else None
last_page = max(1, -(-count // settings.KHABAR_PAGE_SIZE))
info = {
    "home": "/en/", "section": biggest.url, "article": article.url, "article_id": article.pk,
    "author": author.url if author else None, "topic": f"/en/topics/{topic_slug}/" if topic_slug else None,
    "deep_page": min(1000, last_page), "total_articles": ArticlePage.objects.published().count(),
}
ar_section = SectionPage.objects.live().filter(locale__language_code="ar").order_by("path").first()
ar_article = ArticlePage.for_listing(ArticlePage.objects.published().filter(locale__language_code="ar")).first()
info["arabic"] = {"home": "/ar/", "section": ar_section.url if ar_section else None,
                  "article": ar_article.url if ar_article else None}
"""

QUERY_SCRIPT = r"""
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
urls = {
    "home": info["home"], "section": info["section"], "article": info["article"], "author": info["author"],
    "topic": info["topic"], f"section page {info['deep_page']}": f"{info['section']}?page={info['deep_page']}",
    "feed": "/en/feed/", "sitemap": "/sitemap.xml",
}
client = Client()
counts = {}
for kind, url in urls.items():
    if not url:
        continue
    client.get(url)  # first hit warms Wagtail's site-root cache, as on a running server
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    counts[kind] = len(captured) if response.status_code == 200 else f"not available (status {response.status_code})"
info["queries"] = counts
print(json.dumps(info))
"""

COUNT_COMMENTS = r"""
from django.apps import apps
try:
    model = apps.get_model("comments", "Comment")
except LookupError:
    print(-1)
else:
    print(model.objects.count())
"""


def _migrations_fingerprint() -> str:
    """Changes whenever a migration of ours or an installed package's version changes."""
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("khabar/*/migrations/*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    for entry in sorted(p for p in sys.path if p.endswith("site-packages")):
        digest.update("|".join(sorted(d.name for d in Path(entry).glob("*.dist-info"))).encode())
    return digest.hexdigest()[:16]


def migrated_database(env: dict, var: Path) -> None:
    """A fresh, fully migrated SQLite database in var/: copied from a template migrated once per schema."""
    template = ROOT / "var" / "bench" / f"template-{_migrations_fingerprint()}.sqlite3"
    if not template.exists():
        scratch = Path(tempfile.mkdtemp(prefix="template-", dir=template.parent))
        khabar({**env, "KHABAR_VAR_DIR": str(scratch)}, "migrate", "--noinput", "-v", "0")
        shutil.move(scratch / "khabar.sqlite3", template)
        shutil.rmtree(scratch, ignore_errors=True)
        for old in template.parent.glob("template-*.sqlite3"):
            if old != template:
                old.unlink()
    shutil.copyfile(template, var / "khabar.sqlite3")


def demo_options(env: dict) -> set[str]:
    """Which of `khabar demo`'s bulk options exist on this branch."""
    try:
        text = khabar(env, "demo", "--help", timeout=120)
    except BenchError:
        return set()
    return {option for option in ("--articles", "--comments") if option in text}


def build_site(env: dict, articles: int, comments: int, notes: list[str], smoke: bool = False) -> dict:
    options = set() if smoke else demo_options(env)
    mode = "builders"
    if smoke:
        notes.append("smoke: a tiny site made with khabar.testing builders (no demo images), to stay fast")
    elif articles and "--articles" in options:
        args = ["demo", "--articles", str(articles)]
        if comments and "--comments" in options:
            args += ["--comments", str(comments)]
        khabar(env, *args, timeout=3600, capture=False)
        mode = "demo"
    elif articles > 5000:
        raise BenchError(
            f"`khabar demo --articles` is not available on this branch: cannot build {articles:,} articles"
        )
    elif articles:
        notes.append("`khabar demo --articles` not available: site built with khabar.testing builders")
    if comments and "--comments" not in options:
        notes.append("`khabar demo --comments` not available yet: the site has no bulk comments")
    notes.append("comment posting limit per reader raised to 30,000 per 10 minutes: all load comes from one address")
    # The same process then counts SQL queries per page type, with the page cache off.
    env = {**env, "BENCH_ARTICLES": str(articles), "BENCH_MODE": mode}
    env.update(KHABAR_PAGE_CACHE="0", ALLOWED_HOSTS="testserver,127.0.0.1")
    output = khabar(env, "shell", "-c", SETUP_SCRIPT + QUERY_SCRIPT, timeout=3600)
    return json.loads(output.strip().splitlines()[-1])


# --- Comments -------------------------------------------------------------------


class _FormFinder(HTMLParser):
    """The first form posting to a comments endpoint, with its fields."""

    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.fields: dict[str, str] = {}
        self._inside = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and self.action is None and "comment" in (attrs.get("action") or ""):
            self.action, self._inside = attrs["action"], True
        elif self._inside and tag in ("input", "textarea", "select") and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind == "checkbox":
                self.fields[attrs["name"]] = "on" if attrs["name"] != "notify" else ""
            elif kind != "submit":
                self.fields[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._inside = False


def comment_form(base: str, info: dict) -> _FormFinder | None:
    finder = _FormFinder()
    for path in (info["article"], f"/en/comments/{info['article_id']}/form/"):
        status, _headers, body = fetch(base + path)
        if status == 200:
            finder.feed(body.decode("utf-8", "replace"))
            if finder.action:
                return finder
    return None


def comment_script(workdir: Path, base: str, form: _FormFinder) -> Path:
    fixed = {k: v for k, v in form.fields.items() if k not in ("name", "email", "body", "website", "key")}
    fixed_body = "&".join(f"{k}={urllib.parse.quote(v)}" for k, v in fixed.items() if v)
    script = workdir / "comment.lua"
    script.write_text(
        f"""-- wrk runs one Lua state per thread: setup() numbers them so every submission is unique.
local next_id = 1
function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end
local sent = 0
request = function()
  sent = sent + 1
  local n = tostring(id) .. "-" .. tostring(sent)
  local body = "name=Bench+reader&email=reader-" .. n .. "%40example.org&body=Benchmark+comment+number+" .. n ..
    "+about+the+water+budget&key=bench-" .. n .. "&{fixed_body}"
  return wrk.format("POST", "{form.action}", {{
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Origin"] = "{base}",
    ["Sec-Fetch-Site"] = "same-origin",
    ["Accept"] = "application/json",
  }}, body)
end
"""
    )
    return script


def bench_comments(env: dict, server: Server, info: dict, workdir: Path, seconds: float) -> Load:
    form = comment_form(server.base, info)
    if form is None:
        return Load("comment submissions", "-", note="not available: no comment form on the article page")
    before = int(khabar(env, "shell", "-c", COUNT_COMMENTS).strip().splitlines()[-1])
    load = wrk("comment submissions", server.base + form.action, seconds, comment_script(workdir, server.base, form))
    time.sleep(1)
    after = int(khabar(env, "shell", "-c", COUNT_COMMENTS).strip().splitlines()[-1])
    accepted = load.requests - load.errors
    stored = after - before
    load.note = f"accepted {accepted}, stored {stored}, lost {max(0, accepted - stored)}; refused {load.errors}"
    load.rps = round(accepted / seconds, 1)
    return load


# --- Page-view beacon --------------------------------------------------------------


def bench_beacon(server: Server, info: dict, workdir: Path, seconds: float) -> Load:
    """POST /views/ as an article's beacon.js sends it (khabar/mostread; docs/most-read.md)."""
    script = workdir / "beacon.lua"
    script.write_text(
        f"""wrk.method = "POST"
wrk.body = "article={info["article_id"]}"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Origin"] = "{server.base}"
wrk.headers["Sec-Fetch-Site"] = "same-origin"
wrk.headers["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36"
"""
    )
    load = wrk("beacon", server.base + "/views/", seconds, script)
    load.note = "one address: the first view counted, the rest de-duplicated (each still checked)"
    return load


# --- Lighthouse -------------------------------------------------------------------

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
LIGHTHOUSE_CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync"
)


def run_lighthouse(base: str, pages: dict[str, str | None], notes: list[str]) -> dict[str, dict]:
    """Lighthouse 12 (npm, mobile default profile) in Debian's Chromium on each page: its four scores."""
    if not LIGHTHOUSE.exists() or not shutil.which("chromium"):
        notes.append("lighthouse: not run (node_modules/.bin/lighthouse or chromium missing; `make install-test`)")
        return {}
    scores = {}
    for name, path in pages.items():
        if not path:
            continue
        command = [
            str(LIGHTHOUSE), base + path, "--output=json", "--output-path=stdout", "--quiet",
            f"--chrome-flags={CHROME_FLAGS}", "--only-categories=" + ",".join(LIGHTHOUSE_CATEGORIES),
        ]  # fmt: skip
        env = {**os.environ, "CHROME_PATH": shutil.which("chromium") or "/usr/bin/chromium"}
        done = subprocess.run(command, capture_output=True, text=True, timeout=180, env=env)
        try:
            report = json.loads(done.stdout)
        except json.JSONDecodeError:
            notes.append(f"lighthouse {name}: no report ({done.stderr.strip()[-200:]})")
            continue
        categories = report.get("categories", {})
        scores[name] = {key: round((categories.get(key, {}).get("score") or 0) * 100) for key in LIGHTHOUSE_CATEGORIES}
        failing = [
            audit["id"]
            for audit in report.get("audits", {}).values()
            if audit.get("score") is not None and audit["score"] < 0.9 and audit.get("scoreDisplayMode") == "binary"
        ]
        if failing:
            scores[name]["failing_audits"] = failing[:10]
    return scores


# --- A purge under load --------------------------------------------------------------
# 64 connections read the home page while an editor publishes a story it lists (a soft purge of
# it). Each wrk thread drives one connection, so it can time each of its requests itself: one at a
# time, answered in order. Every answer is recorded with the wall-clock time it arrived, its
# latency and its X-Cache, and the editor reports when its publish began and when it had committed
# (the purge runs on commit), on the same clock: the figures are counted around the purge itself.

PURGE_CONNECTIONS = 64
PURGE_LEAD_SECONDS = 1.5  # wrk reads this long before the publish (the steady state)
STALE_SECONDS = 2  # KHABAR_STAMPEDE_WAIT_SECONDS's default: the previous copy may be served this long
PURGE_TAIL_SECONDS = STALE_SECONDS + 1  # wrk must read at least this long after the purge
# What the publish may take under load: it usually takes 0.1-0.6 s, but a write can wait up to
# KHABAR_DB_BUSY_TIMEOUT (5 s) for SQLite's lock (seen once in three runs at 1,000 articles).
PUBLISH_BUDGET_SECONDS = 5.5
EDITOR_READY_SECONDS = 240  # Django's start in `khabar shell` (slower on a big site on a busy machine)
TRACE_X_CACHE = """-- One connection per thread: time each request, keep each answer's time, latency and X-Cache.
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } khabar_timespec;
int clock_gettime(int clock, khabar_timespec *now);
]]
local clock = ffi.new("khabar_timespec")
local function now()  -- CLOCK_REALTIME: Python's time.time() in the editor reads the same clock
  ffi.C.clock_gettime(0, clock)
  return tonumber(clock.tv_sec) + tonumber(clock.tv_nsec) / 1e9
end
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args)
  prepared, sent, n, at, took, kind = wrk.format(), 0, 0, {}, {}, {}
end
function request()
  sent = now()
  return prepared
end
function response(status, headers, body)
  local t = now()
  local value = headers["X-Cache"] or headers["x-cache"] or "-"
  if status ~= 200 then value = "ERR" end
  n = n + 1
  at[n], took[n], kind[n] = t, t - sent, value
end
function done(summary, latency, requests)
  local out = assert(io.open(os.getenv("KHABAR_BENCH_TRACE"), "w"))
  for _, thread in ipairs(threads) do
    local at, took, kind = thread:get("at"), thread:get("took"), thread:get("kind")
    for i = 1, thread:get("n") do
      out:write(string.format("%.6f %.6f %s\\n", at[i], took[i], kind[i]))
    end
  end
  out:close()
end
"""
EDITOR = """
import json, sys, time
from django.db import transaction
from khabar.news.models import ArticlePage
story = ArticlePage.objects.live().filter(locale__language_code="en").order_by("-first_published_at").first()
# A first publish in a process costs about 4 times a later one (imports, query compilation); among
# 64 busy wrk threads that took seconds. This one lands before wrk starts, and the page is stored again.
story.save_revision().publish()
revision = story.save_revision()  # a revision is no purge: only its publish, on the go signal, is
print("ready", story.pk, flush=True)
if sys.stdin.readline().strip() == "go":
    when = {"started": time.time()}
    with transaction.atomic():
        # Runs first on commit, before the purge the publish queued; "purged" is after that purge.
        transaction.on_commit(lambda: when.setdefault("committed", time.time()))
        revision.publish()
    when["purged"] = time.time()
    print("published", json.dumps(when), flush=True)
"""


class _Lines:
    """A child's stdout lines, read by a thread, so that each wait for one is bounded."""

    def __init__(self, stream) -> None:
        self.queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream) -> None:
        for line in stream:
            self.queue.put(line)
        self.queue.put(None)

    def wait_for(self, prefix: str, seconds: float) -> str | None:
        """The first line starting with ``prefix`` within ``seconds`` (None: none, or the child ended)."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self.queue.get(timeout=left)
            except queue.Empty:
                return None
            if line is None:
                return None
            if line.startswith(prefix):
                return line.strip()
        return None


def _p99_ms(latencies: list[float]) -> float | None:
    if not latencies:
        return None
    ordered = sorted(latencies)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 2)


def purge_figures(trace: list[tuple[float, float, str]], started: float, committed: float, purged: float) -> dict:
    """What the readers got around one purge: renders (MISS), previous copies (STALE) and for how
    long after the commit, the p99 from the publish to STALE_SECONDS after its purge, and before it."""
    during = [took for at, took, _kind in trace if started <= at <= purged + STALE_SECONDS]
    before = [took for at, took, _kind in trace if at < started]
    stale = [at for at, _took, kind in trace if kind == "STALE"]
    return {
        "renders": sum(kind == "MISS" for _at, _took, kind in trace),
        "renders_before_publish": sum(kind == "MISS" and at < started for at, _took, kind in trace),
        "stale": len(stale),
        "stale_for_s": round(max(stale) - committed, 3) if stale else 0.0,
        "other_answers": sum(kind not in ("HIT", "MISS", "STALE") for _at, _took, kind in trace),
        "p99_during_ms": _p99_ms(during),
        "p99_before_ms": _p99_ms(before),
        "answers_during": len(during),
        "publish_s": round(purged - started, 3),
        "read_before_s": round(started - trace[0][0], 3) if trace else 0.0,
        "read_after_s": round(trace[-1][0] - purged, 3) if trace else 0.0,
    }


def _why_not_measured(figures: dict) -> str | None:
    if figures["read_before_s"] <= 0:
        return "wrk had not started reading when the publish began"
    if figures["read_after_s"] < PURGE_TAIL_SECONDS:
        return (
            f"the publish's purge ran {figures['read_after_s']:.1f} s before wrk stopped reading "
            f"(the publish took {figures['publish_s']:.1f} s; {PURGE_TAIL_SECONDS} s are needed after it)"
        )
    if figures["renders"] == 0 and figures["stale"] == 0:
        return "no render and no previous copy after the publish: the purge did not reach the page"
    return None


def bench_purge(env: dict, server: Server, path: str, seconds: float, workdir: Path) -> Load:
    """64 connections read the home page while an editor publishes a story it lists (a soft purge of
    it): how many requests rendered it (MISS), how many got the previous copy (STALE) and for how
    long, and the p99 in the seconds after the purge. "not measured: <why>" when the purge did not
    land well inside wrk's run, rather than a figure."""
    name = f"home during a publish ({PURGE_CONNECTIONS} conn.)"
    load = Load(name=name, url=server.base + path)
    seconds = max(seconds, PURGE_LEAD_SECONDS + PUBLISH_BUDGET_SECONDS + PURGE_TAIL_SECONDS)  # 10 s
    script, trace_file = workdir / "xcache.lua", workdir / "xcache-trace.txt"
    script.write_text(TRACE_X_CACHE)
    trace_file.unlink(missing_ok=True)
    editor_log = workdir / "purge-editor.log"
    with editor_log.open("w") as editor_err:
        editor = subprocess.Popen(
            [sys.executable, "-m", "khabar", "shell", "-c", EDITOR],
            env=env,
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=editor_err,
            text=True,
        )
    lines, reader = _Lines(editor.stdout), None
    try:
        if lines.wait_for("ready", EDITOR_READY_SECONDS) is None:
            load.note = f"not measured: the editor's Django did not start within {EDITOR_READY_SECONDS} s"
            return load
        fetch(server.base + path)  # stored again after the editor's first publish, before the run
        if fetch(server.base + path)[1].get("x-cache") != "HIT":
            load.note = "not measured: the page was not served from the cache before the publish"
            return load
        command = wrk_command(load.url, seconds, script, BROWSER_ENCODING, PURGE_CONNECTIONS, threads=PURGE_CONNECTIONS)
        reader = subprocess.Popen(
            command,
            env={**os.environ, "KHABAR_BENCH_TRACE": str(trace_file)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(PURGE_LEAD_SECONDS)
        editor.stdin.write("go\n")
        editor.stdin.flush()
        published = lines.wait_for("published", seconds + 30)
        out, err = reader.communicate(timeout=seconds + 60)
        if reader.returncode != 0:
            raise BenchError(f"wrk failed on {load.url}: {err.strip()}")
        parse_wrk(out, load)
    finally:
        if reader is not None and reader.poll() is None:
            reader.kill()
        editor.stdin.close()  # an editor still waiting for "go" ends here
        try:
            editor.wait(timeout=30)
        except subprocess.TimeoutExpired:
            editor.kill()
            editor.wait()
    if published is None:
        detail = editor_log.read_text().strip()[-200:] or f"no answer within {seconds + 30:.0f} s"
        load.note = f"not measured: the publish did not finish: {detail}"
        return load
    if not trace_file.exists():
        load.note = "not measured: wrk wrote no trace of its answers"
        return load
    when = json.loads(published.split(" ", 1)[1])
    trace = []
    for line in trace_file.read_text().splitlines():
        at, took, kind = line.split()
        trace.append((float(at), float(took), kind))
    trace.sort()
    figures = purge_figures(trace, when["started"], when["committed"], when["purged"])
    load.detail = figures
    why = _why_not_measured(figures)
    if why:
        load.note = f"not measured: {why}"
        return load
    notes = [
        f"renders {figures['renders']} for 1 purge",
        f"previous copy served {figures['stale']} times, until {figures['stale_for_s']:.2f} s after the commit",
        f"p99 {figures['p99_during_ms']} ms in the {STALE_SECONDS} s after the purge "
        f"({figures['p99_before_ms']} ms before)",
    ]
    if figures["renders_before_publish"]:
        notes.append(f"{figures['renders_before_publish']} of the renders came before the publish")
    if figures["stale_for_s"] > STALE_SECONDS:
        notes.append(f"the previous copy outlived the {STALE_SECONDS} s it may be served")
    load.note = "; ".join(notes)
    return load


# --- One scale ------------------------------------------------------------------


def bench_scale(
    base_env: dict, articles: int, comments: int, seconds: float, workdir: Path, smoke: bool, lighthouse: bool = False
) -> Scale:
    scale = Scale(articles=articles, comments=comments)
    var = workdir / f"var-{articles}"
    # All load comes from one address: the beacon's per-address limit would measure itself.
    env = {**base_env, "KHABAR_VAR_DIR": str(var), "KHABAR_MOSTREAD_BEACONS_PER_MINUTE": "100000000"}
    var.mkdir(parents=True)
    t0 = time.monotonic()
    static = ROOT / "var" / "static"
    if (static / "staticfiles.json").exists():
        (var / "static").symlink_to(static)  # the hashed, compressed files `make` already collected
    else:
        khabar(env, "collectstatic", "--noinput", "-v", "0")
    migrated_database(env, var)
    print(f"  migrated a fresh database in {var} ({time.monotonic() - t0:.0f} s)", flush=True)
    print(f"  building a site of {articles:,} articles ...", flush=True)
    started = time.monotonic()
    info = build_site(env, articles, comments, scale.notes, smoke)
    scale.notes.append(f"site built in {time.monotonic() - started:.0f} s; {info['total_articles']:,} articles")
    scale.deep_page = info["deep_page"]
    urls = {
        "home": info["home"],
        "section": info["section"],
        "article": info["article"],
        "author": info["author"],
        "topic": info["topic"],
        f"section page {info['deep_page']}": f"{info['section']}?page={info['deep_page']}",
        "feed": "/en/feed/",
        "sitemap": "/sitemap.xml",
    }
    scale.queries = info["queries"]

    cached = Server(env, free_port(), 2, workdir / f"serve-cached-{articles}.log")
    uncached = Server({**env, "KHABAR_PAGE_CACHE": "0"}, free_port(), 2, workdir / f"serve-uncached-{articles}.log")
    nginx = None
    try:
        for server in (cached, uncached):
            wait_for(server.base + "/en/", 90)
        status, headers, body = fetch(cached.base + info["article"])
        if status != 200:
            raise BenchError(f"article {info['article']} answered {status or 'nothing (timed out)'}")
        gzipped = fetch(cached.base + info["article"], **{"Accept-Encoding": "gzip"})[2]
        nginx = Nginx(workdir, body, gzipped)
        timed = [("article", info["article"]), ("home", info["home"]), ("section", info["section"])]
        if info["deep_page"] > 1:
            timed.append((f"section page {info['deep_page']}", urls[f"section page {info['deep_page']}"]))
        for kind, path in timed:
            for _ in range(3):  # warm both servers: renditions, templates, Wagtail's site-root cache
                fetch(uncached.base + path)
            fetch(cached.base + path)  # store it
            if fetch(cached.base + path)[1].get("x-cache") != "HIT":
                scale.notes.append(f"{kind} was not served from the cache")
            scale.loads.append(wrk(f"{kind} cached", cached.base + path, seconds, encoding=BROWSER_ENCODING))
            scale.loads.append(wrk(f"{kind} uncached", uncached.base + path, seconds, encoding=BROWSER_ENCODING))
        # nginx has no brotli here: it answers the browser's header with the gzip file (gzip_static).
        reference = wrk("article bytes from nginx", nginx.url, seconds, encoding=BROWSER_ENCODING)
        scale.loads.append(reference)
        cached_article = scale.loads[0]
        scale.nginx_ratio = round(cached_article.rps / reference.rps, 4) if reference.rps else None
        scale.loads.append(bench_purge(env, cached, info["home"], max(seconds, 6), workdir))
        scale.loads.append(bench_comments(env, uncached, info, workdir, seconds))
        scale.loads.append(bench_beacon(cached, info, workdir, seconds))
        if lighthouse:
            pages = {f"en {kind}": info[kind] for kind in ("home", "section", "article")}
            pages.update({f"ar {kind}": url for kind, url in info.get("arabic", {}).items()})
            scale.lighthouse = run_lighthouse(cached.base, pages, scale.notes)
        scale.peak_worker_rss_mb = max(cached.peak_worker_rss_mb(), uncached.peak_worker_rss_mb())
    finally:
        if nginx:
            nginx.stop()
        cached.stop()
        uncached.stop()
    return scale


# --- Report ---------------------------------------------------------------------


def print_table(scales: list[Scale]) -> None:
    for scale in scales:
        comments = f"{scale.comments:,}" if scale.comments else "none"
        if any("--comments` not available" in note for note in scale.notes):
            comments = "none (bulk comments not available yet)"
        print(f"\n== {scale.articles:,} articles, comments: {comments}")
        print(f"{'measure':<34}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}  note")
        for load in scale.loads:
            if load.note.startswith("not available"):
                print(f"{load.name:<34}{'-':>10}{'-':>10}{'-':>10}{'-':>8}  {load.note}")
            else:
                figures = f"{load.rps:>10.0f}{load.p50_ms:>10.2f}{load.p99_ms:>10.2f}{load.errors:>8}"
                print(f"{load.name:<34}{figures}  {load.note}")
        if scale.nginx_ratio is not None:
            print(f"cached article / nginx: {scale.nginx_ratio:.1%}  (target {TARGETS['cached_article_vs_nginx']})")
        for name, score in scale.lighthouse.items():
            figures = " / ".join(str(score[key]) for key in LIGHTHOUSE_CATEGORIES)
            failing = ", ".join(score.get("failing_audits", []))
            failing = f"  failing: {failing}" if failing else ""
            print(f"lighthouse {name:<12} {figures}  (target {TARGETS['lighthouse']}){failing}")
        print(f"peak RSS of one worker: {scale.peak_worker_rss_mb} MB")
        print("SQL queries per page (uncached): " + ", ".join(f"{k} {v}" for k, v in scale.queries.items()))
        for note in scale.notes:
            print(f"note: {note}")
    if len(scales) >= 2:
        small, big = scales[0], scales[-1]
        print(f"\n== cost with data ({small.articles:,} -> {big.articles:,} articles, uncached p50)")
        pairs = [(kind, _find(small, kind), _find(big, kind)) for kind in ("article uncached", "section uncached")]
        pairs.append(("home uncached", _find(small, "home uncached"), _find(big, "home uncached")))
        deep = f"deep page (page {small.deep_page} -> page {big.deep_page})"
        pairs.append(
            (
                deep,
                _find(small, f"section page {small.deep_page} uncached"),
                _find(big, f"section page {big.deep_page} uncached"),
            )
        )
        for kind, a, b in pairs:
            if a and b and a.p50_ms and b.p50_ms:
                print(f"{kind:<40} x{b.p50_ms / a.p50_ms:.2f}")
            else:
                print(f"{kind:<40} n/a (no request completed in one of the runs)")


def _find(scale: Scale, name: str) -> Load | None:
    return next((load for load in scale.loads if load.name == name), None)


def check_smoke(scales: list[Scale]) -> list[str]:
    problems = []
    for scale in scales:
        for load in scale.loads:
            if load.note.startswith("not available"):
                continue
            if load.name.startswith("home during a publish") and load.note.startswith("not measured"):
                problems.append(f"purge under load: {load.note}")
            if load.name == "comment submissions":
                if "lost 0" not in load.note:
                    problems.append(f"comments: {load.note}")
                continue
            # An uncached page may not finish within a 2-second run on a busy machine; a cached one must.
            if load.requests == 0 and "uncached" not in load.name:
                problems.append(f"{load.name}: no requests completed")
            if load.errors:
                problems.append(f"{load.name}: {load.errors} error responses")
        for kind in ("home", "section", "article", "author", "topic"):
            if not isinstance(scale.queries.get(kind), int):
                problems.append(f"no query count for the {kind} page: {scale.queries.get(kind)}")
        if scale.peak_worker_rss_mb <= 0:
            problems.append("peak worker RSS not measured")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python bench/bench.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="a tiny site and 1-second runs: checks it works")
    parser.add_argument("--scales", default="1000,100000", help="site sizes in articles (default 1000,100000)")
    parser.add_argument("--comments", type=int, default=1_000_000, help="bulk comments on the largest site")
    parser.add_argument("--seconds", type=float, default=8, help="length of each wrk run")
    parser.add_argument("--keep", action="store_true", help="keep the bench var dirs")
    parser.add_argument(
        "--lighthouse", action="store_true", help="also audit six pages with Lighthouse (smallest site)"
    )
    args = parser.parse_args(argv)
    if not shutil.which("wrk") or not Path(NGINX).exists():
        print("bench: wrk and nginx are needed (Debian packages wrk and nginx-light; `make bench` installs them)")
        return 2
    scales = [12] if args.smoke else [int(n) for n in args.scales.split(",")]
    seconds = 2 if args.smoke else args.seconds
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="run-", dir=out))
    base_env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "KHABAR_VAR_DIR")},
        "DJANGO_SETTINGS_MODULE": "khabar.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "KHABAR_TASKS": "immediate",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
    }
    results: list[Scale] = []
    started = time.monotonic()
    load_before = os.getloadavg()
    failed = []
    try:
        for size in scales:
            print(f"bench: site of {size:,} articles", flush=True)
            comments = args.comments if (size == max(scales) and not args.smoke) else 0
            try:
                audit = args.lighthouse and size == min(scales)
                results.append(bench_scale(base_env, size, comments, seconds, workdir, args.smoke, audit))
            except BenchError as exc:  # report what was measured; say what failed
                print(f"bench: {size:,} articles: {exc}", file=sys.stderr)
                failed.append(f"{size:,} articles: {exc}")
    finally:
        if not args.keep:
            for child in workdir.glob("var-*"):
                shutil.rmtree(child, ignore_errors=True)
    print_table(results)
    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "smoke": args.smoke,
        "connections": CONNECTIONS,
        "seconds_per_run": seconds,
        "uncached_means": "a second server with KHABAR_PAGE_CACHE=0 (the page cache off)",
        "database": "SQLite (WAL) in a fresh var dir; page cache on disk shared by the workers",
        "targets": TARGETS,
        "scales": [asdict(scale) for scale in results],
        "failed": failed,
        "elapsed_seconds": round(time.monotonic() - started),
        # Other work on the machine skews every figure: recorded so runs can be compared honestly.
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
    }
    name = "smoke.json" if args.smoke else f"bench-{datetime.now(UTC):%Y%m%dT%H%M%S}.json"
    (out / name).write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(
        f"machine: {report['cpus']} CPUs; load average before {report['load_average_before'][0]}, "
        f"after {report['load_average_after'][0]} (other processes compete with the server, wrk and nginx)"
    )
    print(f"\nwritten: {out / name} ({report['elapsed_seconds']} s)")
    if failed:
        return 1
    if args.smoke:
        problems = check_smoke(results)
        for problem in problems:
            print(f"bench-smoke: {problem}", file=sys.stderr)
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
