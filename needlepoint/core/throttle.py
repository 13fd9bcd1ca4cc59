"""Rate limits: a fixed-window count per (scope, key), shared by every web server.

A scope is one kind of request (``booking``, ``api``); its key is who is asking (an
address, an email, a token). Each scope's rate, such as ``"5/hour"``, is in
``settings.THROTTLE_RATES``. Each counted request is one atomic step: ``INCR`` (with
its expiry, in one ``MULTI``) in Redis when ``CACHE_URL`` names it, else one upsert in the
``core_ratecount`` table (unlogged on PostgreSQL: its commits don't wait for the disk,
core/migrations/0003). So no count is lost when workers or servers count the same key
at once. While Redis does not answer, requests are counted in the database (logged once)
and Redis is tried again every ``REDIS_RETRY_SECONDS``: the count of the window under way
starts afresh there, so a limit may let up to twice its count through once. Keys are
hashed with the secret key: neither store holds an email or an address.
"""

from __future__ import annotations

import ipaddress
import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.crypto import salted_hmac
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
REDIS_RETRY_SECONDS = 10.0  # while Redis is down, how often a request tries it again
PERIODS = {"second": 1, "minute": 60, "hour": 60 * 60, "day": 24 * 60 * 60}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


def parse_rate(text: str) -> Rate:
    """``"5/hour"`` → five per hour; the period is second, minute, hour or day."""
    count, _, period = text.strip().partition("/")
    if not count.isdigit() or period not in PERIODS:
        raise ImproperlyConfigured(
            f"A rate is a count per second, minute, hour or day, like 5/hour; not {text!r}."
        )
    return Rate(int(count), PERIODS[period])


def rate_for(scope: str) -> Rate:
    text = settings.THROTTLE_RATES.get(scope)
    if text is None:
        raise ImproperlyConfigured(f"THROTTLE_RATES has no rate for {scope!r}.")
    return parse_rate(text)


def hit(scope: str, key: str) -> int:
    """Count one request by ``key`` in ``scope``.

    Answers 0 while within the limit, else the seconds until the window ends. Refused
    requests are counted too, which changes nothing: past the limit, everything is
    refused until the window ends, so waiting always helps.
    """
    rate = rate_for(scope)
    now = time.time()
    window = int(now // rate.seconds)
    left = max(1, math.ceil((window + 1) * rate.seconds - now))
    name = "throttle:" + salted_hmac("throttle", f"{scope}\n{key}\n{window}").hexdigest()
    return left if count(name, left) > rate.count else 0


def count(name: str, seconds: int) -> int:
    """Add one to the count under ``name``, kept ``seconds`` more; the new count."""
    cache = caches["default"]
    if isinstance(cache, RedisCache) and _redis.worth_trying():
        try:
            counted = _count_in_redis(cache, name, seconds)
        except RedisError as error:
            _redis.failed(error)
        else:
            _redis.answered()
            return counted
    return _count_in_database(name, seconds)


def _count_in_redis(cache: RedisCache, name: str, seconds: int) -> int:
    key = cache.make_and_validate_key(name)
    # Django's RedisCache has no increment that creates the key with an expiry, so its
    # client is asked directly: INCR and EXPIRE in one MULTI, one round trip.
    client = cache._cache.get_client(key, write=True)  # type: ignore[attr-defined]
    with client.pipeline(transaction=True) as pipe:
        pipe.incr(key)
        pipe.expire(key, seconds)
        counted, _ = pipe.execute()
    return int(counted)


def _count_in_database(name: str, seconds: int) -> int:
    """One upsert. In autocommit that statement is its own transaction; inside a
    request's transaction (``ATOMIC_REQUESTS``) it joins it instead of committing."""
    expires_at = datetime.fromtimestamp(time.time() + seconds, tz=UTC)
    table = "core_ratecount"  # core.models.RateCount, not imported: the admin's app loads this
    sql = (
        f"INSERT INTO {table} (key, count, expires_at) VALUES (%s, 1, %s)"
        f" ON CONFLICT (key) DO UPDATE SET count = {table}.count + 1 RETURNING count"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [name, connection.ops.adapt_datetimefield_value(expires_at)])
        return int(cursor.fetchone()[0])


def purge_expired_counts(now: datetime | None = None) -> int:
    """Delete the counts of windows that have ended (the worker's daily purge); how many."""
    from needlepoint.core.models import RateCount

    deleted, _ = RateCount.objects.filter(expires_at__lt=now or timezone.now()).delete()
    return deleted


class _RedisHealth:
    """Whether this process's last use of Redis failed, so that an outage is logged once
    and costs a failed connection only every ``REDIS_RETRY_SECONDS``."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.down_since: float | None = None
        self.tried_at = 0.0

    def worth_trying(self) -> bool:
        with self.lock:
            if self.down_since is None:
                return True
            if time.monotonic() - self.tried_at < REDIS_RETRY_SECONDS:
                return False
            self.tried_at = time.monotonic()
            return True

    def failed(self, error: Exception) -> None:
        with self.lock:
            self.tried_at = time.monotonic()
            if self.down_since is not None:
                return
            self.down_since = self.tried_at
        logger.warning(
            "Redis is not answering (%s): rate limits are counted in the database until it is.",
            error,
        )

    def answered(self) -> None:
        if self.down_since is None:  # the usual case: no lock taken
            return
        with self.lock:
            if self.down_since is None:
                return
            self.down_since = None
        logger.warning("Redis answers again: rate limits are counted there again.")


_redis = _RedisHealth()


def client_address(request: HttpRequest) -> str:
    """Who is asking (RequestLogMiddleware already believed a trusted proxy's header).

    An IPv6 address counts as its /64: one home or phone is given a whole /64.
    """
    address: str = request.META.get("REMOTE_ADDR") or ""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return address


def too_many(request: HttpRequest, wait: int) -> HttpResponse:
    """429 with a page that says when to come back, and ``Retry-After``."""
    context = {"minutes": math.ceil(wait / 60)}
    response = render(request, "core/throttled.html", context, status=429)
    response["Retry-After"] = str(wait)
    return response


View = Callable[..., HttpResponseBase]


def limit_posts(scope: str) -> Callable[[View], View]:
    """Count every POST to the view against its sender's address; past the limit, 429."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.method == "POST":
                wait = hit(scope, client_address(request))
                if wait:
                    return too_many(request, wait)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
