"""Khabar's test runner: the test-only settings live here (not in settings.py), uploads go to a
throw-away folder, nothing ever waits for an answer at a terminal, and the run ends with a plain
tally line."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.test import SimpleTestCase
from django.test.runner import DiscoverRunner

from khabar.core.diskcache import DiskCache

FILE_BASED = "django.core.cache.backends.filebased.FileBasedCache"


class PerProcessFileBasedCache(DiskCache):
    """A folder per test process: parallel test processes never see (or clear) each other's entries.

    The process id is read on every use, not at creation: a cache object made
    before the test runner forks its workers is inherited by all of them.
    """

    @property
    def _dir(self) -> str:
        return os.path.join(self._base_dir, str(os.getpid()))

    @_dir.setter
    def _dir(self, value: str) -> None:
        self._base_dir = value


class PerProcessRedisCache(RedisCache):
    """Keys prefixed with the test process id (read on every use); clear() removes only this process's keys."""

    @property
    def key_prefix(self) -> str:
        return f"{self._base_prefix}-{os.getpid()}"

    @key_prefix.setter
    def key_prefix(self, value: str) -> None:
        self._base_prefix = value

    def clear(self):
        client = self._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"*{self.key_prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
        return True


def _clear_caches_before_each_test() -> None:
    """Every test starts with empty caches, as Django starts each with an empty mail outbox.

    A test's database rows are rolled back without a signal, but what was cached from them
    (restricted paths, navigation, counters) would outlive them and leak into the next test.
    """
    pre_setup = SimpleTestCase._pre_setup.__func__

    def _pre_setup(cls):
        pre_setup(cls)
        for cache in caches.all(initialized_only=True):
            cache.clear()

    SimpleTestCase._pre_setup = classmethod(_pre_setup)


class KhabarTestRunner(DiscoverRunner):
    def __init__(self, *args, **kwargs) -> None:
        # Never ask "Type 'yes' ..." about a test database left by an interrupted run: CI has no
        # terminal (EOFError) and the test database is always disposable, so it is replaced.
        kwargs["interactive"] = False
        super().__init__(*args, **kwargs)

    def setup_test_environment(self, **kwargs) -> None:
        # Tests that need the page cache turn it on; no other test may see a cached page.
        settings.KHABAR_PAGE_CACHE = False
        # Test users are made by the thousand: a deliberately slow hasher would only slow the suite.
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        self._media_dir = tempfile.mkdtemp(prefix="khabar-test-media-")
        settings.MEDIA_ROOT = self._media_dir
        # Beside the media, as on a real site (var/cache-*, var/media): a backup test walking the
        # media must not meet the cache files other test processes are writing at that moment.
        self._cache_dir = tempfile.mkdtemp(prefix="khabar-test-cache-")
        # Tests must never read or pollute a running site's cache (renditions, pages, rate limits).
        for alias, config in settings.CACHES.items():
            if config["BACKEND"] in ("khabar.core.diskcache.DiskCache", FILE_BASED):
                config["BACKEND"] = f"{__name__}.PerProcessFileBasedCache"
                config["LOCATION"] = f"{self._cache_dir}/cache-{alias}"
            elif config["BACKEND"].endswith("RedisCache"):
                config["BACKEND"] = f"{__name__}.PerProcessRedisCache"
            config["KEY_PREFIX"] = f"{config.get('KEY_PREFIX', '')}-test"
        _clear_caches_before_each_test()
        # Publishing logs a line per page; tests publish thousands.
        for name in ("wagtail", "django.tasks"):
            logging.getLogger(name).setLevel(logging.WARNING)
        super().setup_test_environment(**kwargs)

    def teardown_test_environment(self, **kwargs) -> None:
        super().teardown_test_environment(**kwargs)
        shutil.rmtree(self._media_dir, ignore_errors=True)
        shutil.rmtree(self._cache_dir, ignore_errors=True)

    def suite_result(self, suite, result, **kwargs):
        failed = len(result.failures) + len(result.errors) + len(getattr(result, "unexpectedSuccesses", []))
        passed = result.testsRun - failed - len(result.skipped)
        # The closing line CI reads: "N passed, N failed, N skipped".
        print(f"{passed} passed, {failed} failed, {len(result.skipped)} skipped")
        return super().suite_result(suite, result, **kwargs)
