"""Khabar's test runner: uploads go to a throw-away folder, and the run ends with a plain tally line."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile

from django.conf import settings
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache
from django.test.runner import DiscoverRunner


class PerProcessFileBasedCache(FileBasedCache):
    """A folder per test process: parallel test processes never see (or clear) each other's entries."""

    def __init__(self, dir, params):
        super().__init__(os.path.join(dir, str(os.getpid())), params)


class PerProcessRedisCache(RedisCache):
    """Keys prefixed with the test process id; clear() removes only this process's keys."""

    def __init__(self, server, params):
        params = {**params, "KEY_PREFIX": f"{params.get('KEY_PREFIX', '')}-{os.getpid()}"}
        super().__init__(server, params)

    def clear(self):
        client = self._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"*{self.key_prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
        return True


class KhabarTestRunner(DiscoverRunner):
    def setup_test_environment(self, **kwargs) -> None:
        self._media_dir = tempfile.mkdtemp(prefix="khabar-test-media-")
        settings.MEDIA_ROOT = self._media_dir
        # Tests must never read or pollute a running site's cache (renditions, pages, rate limits).
        for alias, config in settings.CACHES.items():
            if config["BACKEND"].endswith("FileBasedCache"):
                config["BACKEND"] = f"{__name__}.PerProcessFileBasedCache"
                config["LOCATION"] = f"{self._media_dir}/cache-{alias}"
            elif config["BACKEND"].endswith("RedisCache"):
                config["BACKEND"] = f"{__name__}.PerProcessRedisCache"
            config["KEY_PREFIX"] = f"{config.get('KEY_PREFIX', '')}-test"
        # Publishing logs a line per page; tests publish thousands.
        for name in ("wagtail", "django.tasks"):
            logging.getLogger(name).setLevel(logging.WARNING)
        super().setup_test_environment(**kwargs)

    def teardown_test_environment(self, **kwargs) -> None:
        super().teardown_test_environment(**kwargs)
        shutil.rmtree(self._media_dir, ignore_errors=True)

    def suite_result(self, suite, result, **kwargs):
        failed = len(result.failures) + len(result.errors) + len(getattr(result, "unexpectedSuccesses", []))
        passed = result.testsRun - failed - len(result.skipped)
        # The closing line CI reads: "N passed, N failed, N skipped".
        print(f"{passed} passed, {failed} failed, {len(result.skipped)} skipped")
        return super().suite_result(suite, result, **kwargs)
