"""Rate limits: whose address is counted behind a proxy, and counters that a burst cannot overrun."""

from __future__ import annotations

import os
import tempfile
import threading
import uuid
from unittest import skipUnless

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache
from django.test import RequestFactory, SimpleTestCase, override_settings

from khabar.core.ratelimit import client_ip, hit, increment, ip_hash

BEHIND_PROXY = {  # as settings.py sets them for KHABAR_BEHIND_PROXY=1
    "KHABAR_BEHIND_PROXY": True,
    "KHABAR_TRUSTED_PROXIES": ["127.0.0.0/8", "::1", "10.0.0.0/24"],
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
}


def request(remote: str = "127.0.0.1", forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@override_settings(**BEHIND_PROXY)
class ClientAddressBehindProxyTests(SimpleTestCase):
    def test_it_takes_the_address_the_trusted_proxy_appended_not_the_first_entry(self):
        # nginx's $proxy_add_x_forwarded_for: the client's own header, then the address nginx saw.
        self.assertEqual(client_ip(request(forwarded="1.2.3.4, 203.0.113.7")), "203.0.113.7")

    def test_it_ignores_spoofed_left_most_entries_whatever_they_say(self):
        for spoof in ["9.9.9.9", "9.9.9.9, 8.8.8.8", "garbage", "127.0.0.1", "", "::1, 10.0.0.5"]:
            with self.subTest(spoof=spoof):
                forwarded = f"{spoof}, 203.0.113.7" if spoof else "203.0.113.7"
                self.assertEqual(client_ip(request(forwarded=forwarded)), "203.0.113.7")
                self.assertEqual(ip_hash(request(forwarded=forwarded)), ip_hash(request(forwarded="203.0.113.7")))

    def test_it_skips_every_trusted_proxy_in_a_chain(self):
        # client -> load balancer 10.0.0.5 -> nginx on the app machine (127.0.0.1) -> Khabar.
        self.assertEqual(client_ip(request(forwarded="6.6.6.6, 198.51.100.4, 10.0.0.5")), "198.51.100.4")

    def test_a_request_that_did_not_come_through_a_trusted_proxy_is_counted_by_its_socket(self):
        self.assertEqual(client_ip(request(remote="198.51.100.9", forwarded="203.0.113.7")), "198.51.100.9")

    def test_garbage_where_a_proxy_writes_stops_the_chain_at_the_last_trusted_hop(self):
        self.assertEqual(client_ip(request(forwarded="203.0.113.7, not-an-ip")), "127.0.0.1")
        self.assertEqual(client_ip(request(forwarded="<script>")), "127.0.0.1")

    def test_ports_and_brackets_are_understood(self):
        self.assertEqual(client_ip(request(forwarded="203.0.113.7:5123")), "203.0.113.7")
        self.assertEqual(client_ip(request(forwarded="[2001:db8::7]:443")), "2001:db8::7")

    def test_a_local_visitor_with_no_header_is_the_proxy_itself(self):
        self.assertEqual(client_ip(request()), "127.0.0.1")


class ClientAddressWithoutProxyTests(SimpleTestCase):
    @override_settings(KHABAR_BEHIND_PROXY=False)
    def test_without_a_proxy_the_header_is_never_believed(self):
        self.assertEqual(client_ip(request(remote="198.51.100.9", forwarded="203.0.113.7")), "198.51.100.9")

    def test_a_missing_or_broken_socket_address_is_unknown_not_an_error(self):
        self.assertEqual(client_ip(request(remote="")), "unknown")


# --- Atomic counters -------------------------------------------------------------

LIMIT = 10
THREADS = 8
PROCESSES = 4
EVENTS = 6  # per thread: 4 processes x 8 threads x 6 = 192 attempts on one key


def _count_in_threads(cache_factory, key: str) -> int:
    """One process's share: THREADS threads, each counting EVENTS times on the same key; how many were accepted."""
    counter = cache_factory()
    accepted = []

    def run() -> None:
        for _event in range(EVENTS):
            accepted.append(increment(counter, key, ttl=60) <= LIMIT)

    threads = [threading.Thread(target=run) for _thread in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sum(accepted)


def _file_cache(folder: str):
    return lambda: FileBasedCache(folder, {"KEY_PREFIX": "test-rl"})


def _redis_cache(url: str):
    prefix = f"test-rl-{os.getpid()}"  # the parent's: every child process counts on the same key
    return lambda: RedisCache(url, {"KEY_PREFIX": prefix})


class AtomicCounterTests(SimpleTestCase):
    """Threads and processes hitting one key: exactly LIMIT events are accepted, never more or fewer."""

    def _accepted_across_processes(self, cache_factory) -> int:
        # os.fork, not multiprocessing: the parallel test runner's workers are daemons, which may not use it.
        key = f"rl:test:{uuid.uuid4().hex}"
        children = []
        for _n in range(PROCESSES):
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: count, report, leave without running any test machinery
                os.close(read_end)
                code = 1
                try:
                    os.write(write_end, str(_count_in_threads(cache_factory, key)).encode())
                    code = 0
                finally:
                    os._exit(code)
            os.close(write_end)
            children.append((pid, read_end))
        total = 0
        for pid, read_end in children:
            with os.fdopen(read_end) as pipe:
                total += int(pipe.read() or 0)
            _pid, status = os.waitpid(pid, 0)
            self.assertEqual(os.waitstatus_to_exitcode(status), 0)
        return total

    def test_the_file_cache_counter_accepts_exactly_the_limit_under_threads_and_processes(self):
        with tempfile.TemporaryDirectory(prefix="khabar-rl-") as folder:
            self.assertEqual(self._accepted_across_processes(_file_cache(folder)), LIMIT)

    @skipUnless(settings.REDIS_URL, "needs REDIS_URL (the PostgreSQL + Redis run)")
    def test_the_redis_counter_accepts_exactly_the_limit_under_threads_and_processes(self):
        self.assertEqual(self._accepted_across_processes(_redis_cache(settings.REDIS_URL)), LIMIT)

    @skipUnless(settings.REDIS_URL, "needs REDIS_URL (the PostgreSQL + Redis run)")
    def test_a_redis_counter_always_has_an_expiry(self):
        counter = _redis_cache(settings.REDIS_URL)()
        key = f"rl:test:{uuid.uuid4().hex}"
        self.assertEqual(increment(counter, key, ttl=30), 1)
        self.assertEqual(increment(counter, key, ttl=30), 2)
        ttl = counter._cache.get_client().ttl(counter.make_and_validate_key(key))
        self.assertTrue(0 < ttl <= 30, ttl)
        self.assertEqual(counter.get(key), 2)  # still readable as a cache value

    def test_hit_on_the_sites_own_cache_accepts_exactly_the_limit_from_many_threads(self):
        cache.clear()
        scope = uuid.uuid4().hex
        verdicts = []

        def run() -> None:
            for _event in range(EVENTS):
                verdicts.append(hit(scope, "203.0.113.7", limit=LIMIT, window=600).allowed)

        threads = [threading.Thread(target=run) for _thread in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        self.assertEqual(sum(verdicts), LIMIT)
        self.assertEqual(len(verdicts), THREADS * EVENTS)
