"""Rate limits shared by every web server, counted exactly, in Redis or in the database.

Each counted request is one atomic step: an upsert in the database (the default), or
INCR in Redis when CACHE_URL names one. Two servers counting the same address at once
lose no count; a Redis that is not there, or stops, leaves the site working and the
counting to the database. The clock is pinned so a count never crosses into the next
window mid-test.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import redis
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.test import Client as Browser
from django.test.utils import CaptureQueriesContext

from needlepoint.core import throttle
from needlepoint.core.models import RateCount
from needlepoint.notifications.management.commands.worker import purge_daily
from tests.redis_server import use_cache_url
from tests.tools.services import free_port

NOW = datetime(2027, 3, 1, 9, 0, 5, tzinfo=UTC)
HERE = "198.51.100.7"
LIMIT = 25


@pytest.fixture(autouse=True)
def clock() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def rates(settings) -> None:
    settings.THROTTLE_RATES = {"booking": f"{LIMIT}/hour", "api": "2/minute"}


def post_a_booking_step(clinic, browser: Browser | None = None) -> int:
    """A booking step posted with nothing chosen: 302 back to the start, or 429."""
    url = f"/c/{clinic.organisation.slug}/{clinic.location.slug}/book/details/"
    return (browser or Browser(REMOTE_ADDR=HERE)).post(url).status_code


def counted_in_database() -> int:
    return sum(RateCount.objects.values_list("count", flat=True))


def counted_in_redis(server) -> int:
    store = redis.Redis.from_url(server.url)
    return sum(int(store.get(key)) for key in store.keys("needlepoint:*throttle:*"))


def warnings_from_the_limits(caplog) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == throttle.__name__ and record.levelno == logging.WARNING
    ]


def posts_from_two_servers_at_once(clinic, each: int) -> list[int]:
    """Two threads, each with its own database connection, post from one address."""
    statuses: list[int] = []
    start = threading.Barrier(2)

    def server() -> None:
        browser = Browser(REMOTE_ADDR=HERE)
        try:
            start.wait()
            for _ in range(each):
                statuses.append(post_a_booking_step(clinic, browser))
        finally:
            connection.close()

    threads = [threading.Thread(target=server) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


# In the database ----------------------------------------------------------------------


def test_a_counted_post_is_one_upsert_in_the_database(clinic, rates):
    with CaptureQueriesContext(connection) as queries:
        assert post_a_booking_step(clinic) == 302
    sql = [query["sql"] for query in queries.captured_queries]
    counting = [statement for statement in sql if "core_ratecount" in statement]
    assert len(counting) == 1
    assert counting[0].startswith("INSERT INTO core_ratecount")
    assert "ON CONFLICT" in counting[0]
    assert not [statement for statement in sql if "needlepoint_cache" in statement]
    assert counted_in_database() == 1


def test_the_limit_holds_and_the_key_is_hashed(clinic, rates):
    statuses = [post_a_booking_step(clinic) for _ in range(LIMIT + 2)]
    assert statuses == [302] * LIMIT + [429] * 2
    assert counted_in_database() == LIMIT + 2
    key = RateCount.objects.get().key
    assert HERE not in key and key.startswith("throttle:")


def test_inside_a_transaction_the_count_is_part_of_it_not_committed_apart(rates, db):
    with pytest.raises(RuntimeError), transaction.atomic():
        assert throttle.hit("booking", HERE) == 0
        assert counted_in_database() == 1
        raise RuntimeError("the request failed")
    assert counted_in_database() == 0


@pytest.mark.django_db(transaction=True)
def test_two_servers_counting_one_address_at_once_lose_no_count(clinic, rates):
    statuses = posts_from_two_servers_at_once(clinic, each=20)
    assert sorted(statuses) == [302] * LIMIT + [429] * (40 - LIMIT)
    assert counted_in_database() == 40


def test_the_daily_purge_deletes_the_counts_of_ended_windows(clinic, rates, clock):
    post_a_booking_step(clinic)
    clock.shift(timedelta(hours=1))
    post_a_booking_step(clinic)
    assert RateCount.objects.count() == 2
    purge_daily(None)
    assert RateCount.objects.count() == 1
    assert RateCount.objects.get().expires_at > datetime.now(UTC)


# In Redis -------------------------------------------------------------------------------


def test_with_redis_the_count_is_kept_there_until_the_window_ends(clinic, rates, redis_cache):
    assert [post_a_booking_step(clinic) for _ in range(LIMIT + 1)] == [302] * LIMIT + [429]
    assert counted_in_redis(redis_cache) == LIMIT + 1
    assert counted_in_database() == 0
    store = redis.Redis.from_url(redis_cache.url)
    [key] = store.keys("needlepoint:*throttle:*")
    assert HERE.encode() not in key
    assert 0 < store.ttl(key) <= 3600 - 5


@pytest.mark.django_db(transaction=True)
def test_with_redis_two_servers_counting_at_once_lose_no_count(clinic, rates, redis_cache):
    statuses = posts_from_two_servers_at_once(clinic, each=20)
    assert sorted(statuses) == [302] * LIMIT + [429] * (40 - LIMIT)
    assert counted_in_redis(redis_cache) == 40


def test_a_redis_nobody_listens_at_leaves_the_site_working_counting_in_the_database(
    clinic, rates, settings, monkeypatch, caplog
):
    use_cache_url(f"redis://127.0.0.1:{free_port()}/3", settings, monkeypatch)
    monkeypatch.setattr(throttle, "REDIS_RETRY_SECONDS", 0)  # every request tries Redis
    statuses = [post_a_booking_step(clinic) for _ in range(LIMIT + 1)]
    assert statuses == [302] * LIMIT + [429]
    assert counted_in_database() == LIMIT + 1
    [warning] = warnings_from_the_limits(caplog)  # once, not per request
    assert warning.startswith("Redis is not answering")


def test_redis_stopped_mid_way_hands_the_counting_to_the_database_and_back(
    clinic, rates, settings, monkeypatch, caplog, own_redis_server
):
    use_cache_url(own_redis_server.url, settings, monkeypatch)
    monkeypatch.setattr(throttle, "REDIS_RETRY_SECONDS", 0)
    assert [post_a_booking_step(clinic) for _ in range(3)] == [302] * 3
    assert counted_in_redis(own_redis_server) == 3

    own_redis_server.stop()
    assert [post_a_booking_step(clinic) for _ in range(3)] == [302] * 3
    assert counted_in_database() == 3
    assert len(warnings_from_the_limits(caplog)) == 1

    own_redis_server.start()  # empty: it kept nothing on disk
    assert post_a_booking_step(clinic) == 302
    assert counted_in_redis(own_redis_server) == 1
    assert counted_in_database() == 3
    assert warnings_from_the_limits(caplog)[1] == (
        "Redis answers again: rate limits are counted there again."
    )


def test_while_redis_is_down_it_is_tried_again_only_now_and_then(
    clinic, rates, settings, monkeypatch, own_redis_server
):
    use_cache_url(own_redis_server.url, settings, monkeypatch)
    own_redis_server.stop()
    post_a_booking_step(clinic)
    own_redis_server.start()
    post_a_booking_step(clinic)  # within REDIS_RETRY_SECONDS of the failure: not tried
    assert counted_in_database() == 2
    monkeypatch.setattr(throttle, "REDIS_RETRY_SECONDS", 0)
    post_a_booking_step(clinic)
    assert counted_in_redis(own_redis_server) == 1


# CACHE_URL --------------------------------------------------------------------------------


@pytest.mark.once
def test_cache_url_names_redis_or_leaves_the_database(monkeypatch):
    from needlepoint.settings import cache_settings

    monkeypatch.setenv("CACHE_URL", "redis://cache.internal:6379/2")
    redis_cache = cache_settings()
    assert redis_cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert redis_cache["LOCATION"] == "redis://cache.internal:6379/2"
    monkeypatch.delenv("CACHE_URL")
    assert cache_settings()["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"


@pytest.mark.once
def test_a_cache_url_that_is_not_redis_stops_the_start(monkeypatch):
    from needlepoint.settings import cache_settings

    monkeypatch.setenv("CACHE_URL", "memcached://cache.internal:11211")
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL must be redis://host:port/db"):
        cache_settings()
