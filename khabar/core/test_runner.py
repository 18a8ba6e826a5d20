"""Khabar's test runner: uploads go to a throw-away folder, and the run ends with a plain tally line."""

from __future__ import annotations

import logging
import shutil
import tempfile

from django.conf import settings
from django.test.runner import DiscoverRunner


class KhabarTestRunner(DiscoverRunner):
    def setup_test_environment(self, **kwargs) -> None:
        self._media_dir = tempfile.mkdtemp(prefix="khabar-test-media-")
        settings.MEDIA_ROOT = self._media_dir
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
