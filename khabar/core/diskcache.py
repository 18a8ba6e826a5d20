"""The embedded cache on disk: Django's file cache, made to check its size now and then.

Django's ``FileBasedCache`` lists its whole directory on every ``set()`` to decide whether to
cull. The page cache holds up to 20,000 entries (pages, their fragments, generations, rate-limit
counters), so each write paid for a directory listing of 20,000 names: a comment post (two
rate-limit counters) spent more time listing the cache than in SQLite. Here a worker counts its
writes and looks at the directory's size once every ``CHECK_EVERY`` of them, and a cull then
brings it back under MAX_ENTRIES (by a further 1/CULL_FREQUENCY of it), so the cache passes
MAX_ENTRIES by at most CHECK_EVERY entries per worker.
"""

from __future__ import annotations

import os
import random

from django.core.cache.backends.filebased import FileBasedCache

CHECK_EVERY = 64


class DiskCache(FileBasedCache):
    def __init__(self, dir, params):
        super().__init__(dir, params)
        self._writes = 0

    def _cull(self):
        self._writes += 1
        if self._writes % CHECK_EVERY != 1:  # the first write, then every CHECK_EVERY-th
            return
        names = self._list_cache_files()
        if len(names) < self._max_entries:
            return
        if self._cull_frequency == 0:
            self.clear()
            return
        excess = len(names) - self._max_entries + self._max_entries // self._cull_frequency
        for name in random.sample(names, min(excess, len(names))):
            self._delete(name)

    def _list_cache_files(self):
        # os.listdir and a suffix test: a third of glob's time for the same names (20,000 of them).
        try:
            names = os.listdir(self._dir)
        except FileNotFoundError:
            return []
        return [os.path.join(self._dir, name) for name in names if name.endswith(self.cache_suffix)]
