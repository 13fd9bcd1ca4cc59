"""Rate limits: a fixed-window count per (scope, key) in Django's cache.

A scope is one kind of request (``booking``, ``api``); its key is who is asking (an
address, an email, a token). Each scope's rate, such as ``"5/hour"``, is in
``settings.THROTTLE_RATES``. The cache is the database (``settings.CACHES``), so every
gunicorn worker and every web server counts in the same rows; keys are hashed with the
secret key, so the cache table holds no email or address. Two requests counted at the
same moment by two workers may count once: the limits are guards, not quotas.
"""

from __future__ import annotations

import ipaddress
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.crypto import salted_hmac

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

    Answers 0 while within the limit, else the seconds until the window ends (a refused
    request is not counted, so waiting always helps).
    """
    rate = rate_for(scope)
    now = time.time()
    window = int(now // rate.seconds)
    left = max(1, math.ceil((window + 1) * rate.seconds - now))
    name = "throttle:" + salted_hmac("throttle", f"{scope}\n{key}\n{window}").hexdigest()
    count: int = cache.get(name, 0)
    if count >= rate.count:
        return left
    cache.set(name, count + 1, timeout=left)
    return 0


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
