"""A Redis of the tests' own, for the tests of the Redis cache (CACHE_URL).

Started from ``redis-server`` on a free port, once per test process, so that a test may
also start and stop one of its own (Redis stopped mid-request). The tests use its
database 3, flushed before each test. Where CI requires it (NEEDLEPOINT_REQUIRE_REDIS), a
missing ``redis-server`` fails those tests instead of skipping them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest

from tests.tools.services import free_port, stop, wait

REDIS_SERVER = shutil.which("redis-server")
DB = 3


class RedisServer:
    """One ``redis-server`` on a free port of 127.0.0.1, keeping nothing on disk."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/{DB}"

    def start(self) -> None:
        assert REDIS_SERVER is not None
        self.process = subprocess.Popen(
            [
                *(REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", "/tmp"),  # nothing on disk
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait(self.answers, self.process, "redis-server")

    def answers(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(port=self.port, socket_connect_timeout=0.5).ping())
        except redis.RedisError:
            return False

    def flush(self) -> None:
        import redis

        redis.Redis.from_url(self.url).flushdb()

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)
            self.process = None


def _require() -> None:
    if REDIS_SERVER is None:
        if os.environ.get("NEEDLEPOINT_REQUIRE_REDIS"):
            pytest.fail(
                "Redis is required here (NEEDLEPOINT_REQUIRE_REDIS): redis-server not found"
            )
        pytest.skip("needs Redis: apt-get install redis-server")


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    _require()
    server = RedisServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def own_redis_server() -> Iterator[RedisServer]:
    """A Redis for one test alone, which it may stop and start again."""
    _require()
    server = RedisServer()
    server.start()
    yield server
    server.stop()


def use_cache_url(url: str, settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Configure the cache as the settings do for ``CACHE_URL=url``."""
    from needlepoint.core import throttle
    from needlepoint.settings import cache_settings

    monkeypatch.setattr(throttle, "_redis", throttle._RedisHealth())  # not the last test's
    monkeypatch.setenv("CACHE_URL", url)
    settings.CACHES = {"default": cache_settings()}


@pytest.fixture
def redis_cache(redis_server: RedisServer, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The cache is the test Redis's database 3, emptied first."""
    redis_server.flush()
    use_cache_url(redis_server.url, settings, monkeypatch)
    return redis_server
