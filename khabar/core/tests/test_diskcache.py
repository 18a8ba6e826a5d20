"""The embedded disk cache: bounded like Django's file cache, without listing its directory per write."""

import tempfile
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.core.cache import caches
from django.test import SimpleTestCase

from khabar.core.diskcache import CHECK_EVERY, DiskCache


def disk_cache(directory: str, max_entries: int) -> DiskCache:
    return DiskCache(directory, {"OPTIONS": {"MAX_ENTRIES": max_entries}, "TIMEOUT": 60})


class DiskCacheTests(SimpleTestCase):
    def setUp(self):
        self.directory = tempfile.mkdtemp(prefix="khabar-diskcache-")

    def tearDown(self):
        disk_cache(self.directory, 10).clear()

    def test_a_write_does_not_list_the_whole_cache_directory(self):
        cache = disk_cache(self.directory, 20000)
        with mock.patch.object(cache, "_list_cache_files", wraps=cache._list_cache_files) as listing:
            for n in range(10 * CHECK_EVERY):
                cache.set(f"entry-{n}", n)
        self.assertLessEqual(listing.call_count, 10)
        self.assertEqual(cache.get("entry-7"), 7)

    def test_the_cache_stays_bounded_near_its_maximum(self):
        cache = disk_cache(self.directory, 50)
        for n in range(1000):
            cache.set(f"entry-{n}", n)
        stored = len(list(Path(self.directory).glob("*.djcache")))
        self.assertLessEqual(stored, 50 + CHECK_EVERY)
        self.assertEqual(cache.get("entry-999"), 999)

    def test_the_embedded_default_uses_it_for_every_shared_cache(self):
        if settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
            self.skipTest("this run uses Redis (REDIS_URL); the embedded default is tested without it")
        for alias in ("default", "pages"):  # the test runner gives each test process its own folder of one
            self.assertIsInstance(caches[alias], DiskCache)
