"""Online backups and restores: one timestamped .tar.gz holding the database, the media files and a manifest.

Database snapshot, by engine:
- SQLite: the sqlite3 online backup API, page by page from a read transaction, so it is consistent while
  the site keeps serving and writing (WAL mode) — never a plain copy of a file that may be mid-write.
- PostgreSQL: ``pg_dump --format=custom`` (one consistent snapshot) when pg_dump is on PATH; otherwise
  Django's ``dumpdata`` as JSON (also run inside one repeatable-read transaction). The manifest says which.
The database is read first, then media: every file the snapshot refers to was already on disk.

manifest.json lists every file in the archive with its size and SHA-256; restore checks all of them before
it changes anything, refuses archive paths that would escape the target, and refuses to overwrite a site
that has content unless forced.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

import django
import wagtail
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DB_FILES = {"sqlite-backup-api": "database.sqlite3", "pg_dump": "database.pgdump", "dumpdata": "database.json"}
# The JSON fallback keeps primary keys as they are (content types included), and leaves out what is rebuilt:
# sessions (everyone signs in again) and the search index (rebuilt by update_index after the load).
DUMPDATA_EXCLUDE = ["sessions", "wagtailsearch"]
SKIPPED_MEDIA_FOLDERS = {"cache", "tmp"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says what and where."""


@dataclass
class BackupResult:
    path: Path
    method: str
    files: int


# --- Backup -----------------------------------------------------------------


def create_backup(out_dir: Path, *, database_format: str = "native") -> BackupResult:
    out_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = out_dir / f"khabar-backup-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory(prefix="khabar-backup-") as staging_name:
        staging = Path(staging_name)
        method = _dump_database(staging, database_format)
        _copy_media(staging / "media")
        manifest = _manifest(staging, method)
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
        partial = target.with_suffix(".partial")
        # The archive holds every account's password hash and every commenter's email: owner only.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(descriptor, 0o600)  # whatever the umask, or a file left by an interrupted run
        with os.fdopen(descriptor, "wb") as handle, tarfile.open(fileobj=handle, mode="w:gz") as archive:
            archive.add(staging / MANIFEST, arcname=MANIFEST)
            for entry in manifest["files"]:
                archive.add(staging / entry["path"], arcname=entry["path"], recursive=False)
        os.replace(partial, target)  # a half-written archive never carries the final name
    return BackupResult(target, method, len(manifest["files"]))


def _dump_database(staging: Path, database_format: str) -> str:
    vendor = connection.vendor
    if database_format == "json":
        _dumpdata(staging / DB_FILES["dumpdata"])
        return "dumpdata"
    if vendor == "sqlite":
        _sqlite_snapshot(staging / DB_FILES["sqlite-backup-api"])
        return "sqlite-backup-api"
    if vendor == "postgresql" and shutil.which("pg_dump"):
        _pg_dump(staging / DB_FILES["pg_dump"])
        return "pg_dump"
    _dumpdata(staging / DB_FILES["dumpdata"])
    return "dumpdata"


def _sqlite_snapshot(target: Path) -> None:
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        connection.connection.backup(destination)
    finally:
        destination.close()


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    environment = {**os.environ}
    if db.get("PASSWORD"):
        environment["PGPASSWORD"] = str(db["PASSWORD"])  # through the environment, never the command line
    return args, environment


def _pg_dump(target: Path) -> None:
    args, environment = _pg_env()
    command = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target), *args]
    result = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=3600)
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")


def _dumpdata(target: Path) -> None:
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            # One snapshot for every table, like pg_dump.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        # Content types and permissions first: loading the rest may look content types up (signals), and
        # a lookup that found none would create one with a key that then clashes with the dump's.
        first = ["contenttypes", "auth.permission"]
        objects = json.loads(_dumpdata_text(*first))
        objects += json.loads(_dumpdata_text(exclude=DUMPDATA_EXCLUDE + first))
    with target.open("w", encoding="utf-8") as stream:
        json.dump(objects, stream, ensure_ascii=False)


def _dumpdata_text(*labels: str, exclude: list[str] | None = None) -> str:
    buffer = io.StringIO()
    call_command("dumpdata", *labels, exclude=exclude or [], stdout=buffer)
    return buffer.getvalue()


def _copy_media(target: Path) -> None:
    """Every media file, read through the storage API, so object storage is backed up too."""
    target.mkdir()
    for name in _storage_files(""):
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as source, open(destination, "wb") as copy:
            shutil.copyfileobj(source, copy)


def _storage_files(folder: str):
    """The names of the files under ``folder`` in the media storage (renditions included: their
    rows are in the database, and Wagtail does not remake a file whose row exists)."""
    try:
        folders, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        yield f"{folder}{name}"
    for sub in folders:
        if not folder and sub in SKIPPED_MEDIA_FOLDERS:
            continue
        yield from _storage_files(f"{folder}{sub}/")


def _manifest(staging: Path, method: str) -> dict:
    files = []
    for path in sorted(p for p in staging.rglob("*") if p.is_file()):
        relative = path.relative_to(staging).as_posix()
        files.append({"path": relative, "size": path.stat().st_size, "sha256": _sha256(path)})
    return {
        "format": FORMAT_VERSION,
        "created_at": datetime.now(UTC).isoformat(),
        "khabar": _khabar_version(),
        "django": django.get_version(),
        "wagtail": wagtail.__version__,
        "database": {"vendor": connection.vendor, "method": method, "file": DB_FILES[method]},
        "migrations": _applied_migrations(),
        "counts": site_counts(),
        "files": files,
    }


def _khabar_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("khabar")
    except PackageNotFoundError:
        return "unknown"


def _applied_migrations() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).migration_qs.values_list("app", "name").order_by("app", "name"):
        latest[app] = name
    return latest


def site_counts() -> dict[str, int]:
    from django.contrib.auth import get_user_model
    from wagtail.images import get_image_model
    from wagtail.models import Page, Revision

    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "images": get_image_model().objects.count(),
        "users": get_user_model().objects.count(),
    }


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- Restore ----------------------------------------------------------------


def read_manifest(archive_path: Path) -> dict:
    """Open the archive, check its structure and every checksum; return the manifest. Changes nothing."""
    if not archive_path.is_file():
        raise BackupError(f"{archive_path}: no such file")
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            members = {member.name: member for member in archive.getmembers()}
            manifest = _load_manifest(archive_path, archive, members)
            _check_members(archive_path, manifest, members)
            for entry in manifest["files"]:
                stream = archive.extractfile(members[entry["path"]])
                digest = hashlib.sha256()
                for block in iter(lambda: stream.read(1 << 20), b""):  # noqa: B023 (consumed right here)
                    digest.update(block)
                if digest.hexdigest() != entry["sha256"]:
                    raise BackupError(f"{archive_path}: {entry['path']} does not match its checksum (damaged archive)")
    except (tarfile.TarError, EOFError, OSError, zlib_error()) as exc:
        raise BackupError(f"{archive_path}: not a readable Khabar backup ({exc})") from None
    return manifest


def zlib_error() -> type[Exception]:
    import zlib

    return zlib.error


def _load_manifest(archive_path: Path, archive: tarfile.TarFile, members: dict) -> dict:
    if MANIFEST not in members:
        raise BackupError(f"{archive_path}: {MANIFEST} is missing; this is not a Khabar backup")
    try:
        manifest = json.load(io.TextIOWrapper(archive.extractfile(members[MANIFEST]), encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError(f"{archive_path}: {MANIFEST} is not valid JSON ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_VERSION:
        raise BackupError(
            f"{archive_path}: {MANIFEST} has format {manifest.get('format')!r}; expected {FORMAT_VERSION}"
        )
    for key in ("database", "files", "migrations"):
        if key not in manifest:
            raise BackupError(f"{archive_path}: {MANIFEST} has no {key!r} entry")
    if manifest["database"].get("method") not in DB_FILES:
        raise BackupError(f"{archive_path}: unknown database method {manifest['database'].get('method')!r}")
    return manifest


def _check_members(archive_path: Path, manifest: dict, members: dict) -> None:
    listed = set()
    for entry in manifest["files"]:
        name = entry.get("path", "")
        _check_safe_name(archive_path, name)
        member = members.get(name)
        if member is None:
            raise BackupError(f"{archive_path}: {name} is listed in {MANIFEST} but missing from the archive")
        if not member.isfile():
            raise BackupError(f"{archive_path}: {name} is not a regular file (links and devices are refused)")
        if member.size != entry.get("size"):
            raise BackupError(f"{archive_path}: {name} is {member.size} bytes; {MANIFEST} says {entry.get('size')}")
        listed.add(name)
    extra = sorted(set(members) - listed - {MANIFEST})
    if extra:
        raise BackupError(f"{archive_path}: {extra[0]} is in the archive but not in {MANIFEST}")
    if manifest["database"]["file"] not in listed:
        raise BackupError(f"{archive_path}: the database file {manifest['database']['file']} is missing")


def _check_safe_name(archive_path: Path, name: str) -> None:
    path = PurePosixPath(name)
    if not name or path.is_absolute() or ".." in path.parts or "\\" in name or "\x00" in name:
        raise BackupError(f"{archive_path}: refusing the unsafe path {name!r}")


def site_has_content() -> bool:
    """True when restoring would overwrite something: a page revision (any page an editor made), image or user.

    A freshly migrated site has pages (the tree root, Wagtail's welcome page, empty editions) but none of these.
    """
    from django.db.utils import DatabaseError

    try:
        counts = site_counts()
    except DatabaseError:
        return False  # no tables yet: a fresh database
    return counts["revisions"] > 0 or counts["images"] > 0 or counts["users"] > 0


def restore_backup(archive_path: Path, *, force: bool = False) -> dict:
    manifest = read_manifest(archive_path)
    _check_compatible(archive_path, manifest)
    if site_has_content() and not force:
        raise BackupError(
            "this site already has content (page revisions, images or users); restoring would replace it. "
            "Back it up first, then run restore again with --force"
        )
    with tempfile.TemporaryDirectory(prefix="khabar-restore-") as work_name:
        work = Path(work_name)
        with tarfile.open(archive_path, "r:gz") as archive:
            archive.extractall(work, filter="data")  # names were checked; the data filter checks again
        _restore_database(manifest, work / manifest["database"]["file"])
        moved = _restore_media(work / "media")
    call_command("migrate", interactive=False, verbosity=0)  # a backup from an older release catches up
    cache.clear()  # navigation, restricted paths, counters of the old site
    _forget_cached_pages()
    manifest["previous_media"] = str(moved) if moved else None
    return manifest


def _check_compatible(archive_path: Path, manifest: dict) -> None:
    method = manifest["database"]["method"]
    if method == "sqlite-backup-api" and connection.vendor != "sqlite":
        raise BackupError(f"{archive_path}: this backup holds a SQLite database; the site uses {connection.vendor}")
    if method == "pg_dump":
        if connection.vendor != "postgresql":
            raise BackupError(f"{archive_path}: this backup holds a pg_dump; the site uses {connection.vendor}")
        if not shutil.which("pg_restore"):
            raise BackupError("pg_restore is not installed (Debian: apt-get install postgresql-client)")
    from django.db.migrations.loader import MigrationLoader

    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    for app, name in manifest["migrations"].items():
        if (app, name) not in known:
            raise BackupError(
                f"{archive_path}: made by a newer or different Khabar (migration {app}.{name} is unknown here)"
            )


def _restore_database(manifest: dict, dump: Path) -> None:
    method = manifest["database"]["method"]
    connection.close()
    if method == "sqlite-backup-api":
        connection.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            source.backup(connection.connection)  # replaces every page of the live database at once
        finally:
            source.close()
    elif method == "pg_dump":
        args, environment = _pg_env()
        command = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction"]
        result = subprocess.run(
            [*command, *args, str(dump)], env=environment, capture_output=True, text=True, timeout=3600
        )
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
    else:
        _loaddata(dump)


def _loaddata(dump: Path) -> None:
    call_command("migrate", interactive=False, verbosity=0)
    with transaction.atomic():
        # No post_migrate: the content types and permissions come from the dump with their own keys.
        call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
        call_command("loaddata", str(dump), verbosity=0)
    call_command("update_index", verbosity=0)


def _forget_cached_pages() -> None:
    """Every cached page showed the old site: a hard purge of everything (no stale copy is ever
    served again), and the page cache emptied too when it is a separate cache."""
    from khabar.core import pagecache

    pagecache.purge_site()
    if settings.KHABAR_PAGE_CACHE_ALIAS != "default":
        pagecache._cache().clear()


def _restore_media(source: Path) -> Path | None:
    """Put the archived media in the media storage. On disk, files already there are moved aside,
    never deleted; other storages are written through the storage API (files of the same name are
    replaced, others kept)."""
    moved = None
    media_root = Path(settings.MEDIA_ROOT)
    local = getattr(default_storage, "location", None) and Path(default_storage.location) == media_root
    if local and media_root.is_dir() and any(media_root.iterdir()):
        moved = media_root.with_name(f"{media_root.name}.before-restore-{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}")
        media_root.rename(moved)
    if not source.is_dir():
        return moved
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        name = path.relative_to(source).as_posix()
        if default_storage.exists(name):
            default_storage.delete(name)
        with open(path, "rb") as handle:
            default_storage.save(name, File(handle, name=name))
    return moved
