"""``python -m bench.load --saturate``: how many requests a second one server takes before
its p99 passes 250 ms, per kind of request, next to ``/health/`` measured the same way in
the same run; then the mixed load at 70% of its own saturated rate.

The data is the benchmark's clinic chain (bench/data.py, 50,000 bookings) on a fresh
PostgreSQL database, served by gunicorn with deploy/gunicorn.conf.py, as ``make load``
serves it. The load is closed-loop: a number of connections each send a request as soon
as the previous answer is read; the number is stepped up (1, 2, 4, 6, 8, 12, 16, 24, 32,
48) and each step runs ``--step`` seconds. A group's saturated throughput is the most
requests a second of any step whose p99 stayed at or under 250 ms. The mixed load is
then offered open-loop (arrivals at a steady rate, whatever the server's answers) at 70%
of the mix's saturated throughput, and its p99 reported.

The generator is asyncio in one process, a new connection per request (gunicorn's sync
workers close each one); its own CPU is measured and reported, as it shares the cores.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import os
import random
import re
import statistics
import struct
import subprocess
import sys
import time
from base64 import b32decode
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from hashlib import sha1
from pathlib import Path

P99_LIMIT_MS = 250.0
CONNECTIONS = (1, 2, 4, 6, 8, 12, 16, 24, 32, 48)
MIX_SHARE = 0.7
REFUSED: Counter[int] = Counter()  # answers other than 200, by status (0: no answer)
MIX_SECONDS = {"full": 30.0, "quick": 10.0}


@dataclass
class Request:
    """One kind of request: its path (a fresh one each time) and the headers it sends."""

    name: str
    path: Callable[[random.Random], str]
    headers: dict[str, str] = field(default_factory=dict)

    def bytes(self, host: str, rng: random.Random) -> bytes:
        lines = [f"GET {self.path(rng)} HTTP/1.1", f"Host: {host}", "Connection: close"]
        lines += [f"{name}: {value}" for name, value in self.headers.items()]
        return ("\r\n".join(lines) + "\r\n\r\n").encode()


@dataclass
class Step:
    connections: int
    seconds: float
    times: list[float]
    errors: int

    @property
    def rate(self) -> float:
        return len(self.times) / self.seconds

    def percentile(self, share: float) -> float:
        if len(self.times) < 2:
            return self.times[0] if self.times else float("inf")
        return statistics.quantiles(self.times, n=100, method="inclusive")[round(share * 100) - 1]


async def fetch(port: int, payload: bytes) -> int:
    """Send one request on a new connection; the answer's status code."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(payload)
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
        if length:
            await reader.readexactly(int(length.group(1)))
        else:
            await reader.read()
        return status
    finally:
        writer.close()


async def closed_loop(
    port: int, requests: list[Request], connections: int, seconds: float, seed: int
) -> Step:
    host, rng = f"127.0.0.1:{port}", random.Random(seed)
    times: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds

    async def connection() -> None:
        nonlocal errors
        while time.perf_counter() < stop:
            payload = rng.choice(requests).bytes(host, rng)
            began = time.perf_counter()
            try:
                status = await fetch(port, payload)
            except OSError:
                status = 0
            if status == 200:
                times.append((time.perf_counter() - began) * 1000)
            else:
                errors += 1
                REFUSED[status] += 1

    began = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(connections)))
    return Step(connections, time.perf_counter() - began, times, errors)


async def open_loop(
    port: int, requests: list[Request], rate: float, seconds: float, seed: int
) -> Step:
    """Requests sent at ``rate`` a second, evenly spaced, each on its own connection."""
    host, rng = f"127.0.0.1:{port}", random.Random(seed)
    times: list[float] = []
    errors = 0

    async def one(payload: bytes) -> None:
        nonlocal errors
        began = time.perf_counter()
        try:
            status = await fetch(port, payload)
        except OSError:
            status = 0
        if status == 200:
            times.append((time.perf_counter() - began) * 1000)
        else:
            errors += 1
            REFUSED[status] += 1

    pending, began = [], time.perf_counter()
    for n in range(int(rate * seconds)):
        delay = began + n / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        pending.append(asyncio.ensure_future(one(rng.choice(requests).bytes(host, rng))))
    await asyncio.gather(*pending)
    return Step(0, seconds, times, errors)


def saturate(port: int, requests: list[Request], seconds: float) -> dict[str, object]:
    """Connections stepped up until p99 passes the limit; the best rate within it."""
    steps = []
    for connections in CONNECTIONS:
        step = asyncio.run(closed_loop(port, requests, connections, seconds, connections))
        steps.append(step)
        print(
            f"    {connections:>3} connections: {step.rate:7.1f}/s, p50 {step.percentile(0.5):6.1f}"
            f" ms, p99 {step.percentile(0.99):6.1f} ms, {step.errors} errors {dict(REFUSED)}",
            file=sys.stderr,
            flush=True,
        )
        if step.percentile(0.99) > P99_LIMIT_MS:
            break
    within = [step for step in steps if step.percentile(0.99) <= P99_LIMIT_MS] or steps[:1]
    best = max(within, key=lambda step: step.rate)
    return {
        "rate": best.rate,
        "connections": best.connections,
        "p50": best.percentile(0.5),
        "p99": best.percentile(0.99),
        "errors": sum(step.errors for step in steps),
        "steps": [(s.connections, s.rate, s.percentile(0.99)) for s in steps],
    }


# --- what is asked ------------------------------------------------------------------------


def totp(key: str, at: float) -> str:
    digest = hmac.new(b32decode(key), struct.pack(">Q", int(at // 30)), sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def sign_in(base: str, fixture: dict[str, str]) -> str:
    """Sign the practitioner in (password, then code) as a browser does; the Cookie header."""
    import http.cookiejar
    import urllib.parse
    import urllib.request

    class Proxied(http.cookiejar.DefaultCookiePolicy):
        """The app marks its cookies Secure; here we play the proxy that ends TLS."""

        def return_ok_secure(self, cookie: object, request: object) -> bool:
            return True

    jar = http.cookiejar.CookieJar(Proxied())
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    headers = {
        "X-Forwarded-Proto": "https",
        "Origin": "https://" + urllib.parse.urlsplit(base).netloc,
    }

    def post(path: str, form: dict[str, str]) -> str:
        form["csrfmiddlewaretoken"] = next(c.value for c in jar if c.name == "csrftoken")
        data = urllib.parse.urlencode(form).encode()
        request = urllib.request.Request(base + path, data=data, headers=headers)
        with opener.open(request) as answer:
            return answer.url

    with opener.open(urllib.request.Request(base + "/accounts/login/", headers=headers)):
        pass
    post("/accounts/login/", {"username": fixture["email"], "password": fixture["password"]})
    where = post("/accounts/two-factor/", {"code": totp(fixture["totp_key"], time.time())})
    if "/accounts/" in where:
        raise SystemExit(f"signing in failed: still at {where}")
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def groups(fixture: dict[str, str], cookie: str) -> dict[str, list[Request]]:
    today = date.fromisoformat(fixture["today"])
    org, loc, service = fixture["organisation_slug"], fixture["location_slug"], fixture["service"]
    proxy = {"X-Forwarded-Proto": "https"}
    api = proxy | {"Authorization": f"Bearer {fixture['token']}"}
    staff = proxy | {"Cookie": cookie}

    def day(rng: random.Random, within: int) -> date:
        return today + timedelta(days=rng.randrange(within))

    def week(rng: random.Random) -> str:
        first = day(rng, 53)
        return f"/api/v1/availability?service={service}&start={first}&end={first + timedelta(6)}"

    times = f"/c/{org}/{loc}/book/{service}/"
    opening = Request("times", lambda rng: times, proxy)  # on the first day with a free time
    a_week = Request("times", lambda rng: f"{times}?from={day(rng, 53)}", proxy)
    return {
        "trivial: /health/": [Request("health", lambda rng: "/health/", proxy)],
        "availability, 7 days (API)": [Request("availability", week, api)],
        "public: choose a time": [opening, a_week, a_week, a_week],
        "staff: day calendar": [
            Request("day", lambda rng: f"/calendar/{loc}/{day(rng, 14)}/", staff)
        ],
        "staff: chart page": [
            Request("chart", lambda rng: f"/sessions/{fixture['chart']}/", staff)
        ],
    }


def mixed(by_group: dict[str, list[Request]]) -> list[Request]:
    """The mix, by weight: the website's availability 4, the public times page 3, the day
    calendar 2, the chart 2, /health/ 1."""
    weights = {
        "availability, 7 days (API)": 4,
        "public: choose a time": 3,
        "staff: day calendar": 2,
        "staff: chart page": 2,
        "trivial: /health/": 1,
    }
    return [request for name, n in weights.items() for request in by_group[name] * n]


# --- the run ------------------------------------------------------------------------------


def run(url: str, scratch: Path, quick: bool, step_seconds: float) -> dict[str, object]:
    from bench.load.__main__ import (
        BIN,
        GUNICORN_CONF,
        ROOT,
        children,
        free_port,
        server_errors,
        stop,
        wait_for,
        wait_for_quiet,
    )

    env = os.environ | {
        "DATABASE_URL": url,
        "DEBUG": "false",
        "SECRET_KEY": os.urandom(32).hex(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "NEEDLEPOINT_DATA_DIR": str(scratch),
        "DJANGO_SETTINGS_MODULE": "needlepoint.settings",
        "NEEDLEPOINT_RATE_API": "1000000/minute",  # one token here stands for many programs
        "LOAD_BOOKINGS": "8000" if quick else "50000",
    }
    fixture_path = scratch / "chain.json"
    needlepoint = str(BIN / "needlepoint")
    for command in (
        [needlepoint, "migrate"],
        [needlepoint, "collectstatic", "--no-input"],
        [sys.executable, "-m", "bench.load.chain", str(fixture_path)],
    ):
        print("  " + " ".join(Path(part).name for part in command[:3]), file=sys.stderr)
        subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    fixture = json.loads(fixture_path.read_text())
    wait_for_quiet()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    gunicorn = [str(BIN / "gunicorn"), "needlepoint.wsgi", "--bind", f"127.0.0.1:{port}"]
    gunicorn += ["--config", str(GUNICORN_CONF)]
    log = (scratch / "web.log").open("w")
    web = subprocess.Popen(gunicorn, cwd=ROOT, env=env, stdout=log, stderr=log)
    try:
        wait_for(base)
        workers = len(children(web.pid))
        by_group = groups(fixture, sign_in(base, fixture))
        for requests in by_group.values():  # warm every worker's caches and code paths
            asyncio.run(closed_loop(port, requests, 4, 1.0, 0))
        began = time.process_time()
        wall = time.perf_counter()
        results = {}
        for name, requests in by_group.items():
            print(f"  {name}", file=sys.stderr, flush=True)
            results[name] = saturate(port, requests, step_seconds)
        print("  mixed load", file=sys.stderr, flush=True)
        mix = mixed(by_group)
        results["mixed load"] = saturate(port, mix, step_seconds)
        offered = MIX_SHARE * results["mixed load"]["rate"]
        seconds = MIX_SECONDS["quick" if quick else "full"]
        at_70 = asyncio.run(open_loop(port, mix, offered, seconds, 7))
        generator = (time.process_time() - began) / (time.perf_counter() - wall)
    finally:
        stop(web)
        log.close()
    return {
        "groups": results,
        "mix_at_70": {
            "offered": offered,
            "rate": at_70.rate,
            "p50": at_70.percentile(0.5),
            "p95": at_70.percentile(0.95),
            "p99": at_70.percentile(0.99),
            "errors": at_70.errors,
            "seconds": seconds,
        },
        "workers": workers,
        "generator_cpu": generator,
        "bookings": env["LOAD_BOOKINGS"],
        "step_seconds": step_seconds,
        "server_errors": server_errors(scratch / "web.log"),
    }


TARGETS = {
    "availability, 7 days (API)": 0.3,
    "public: choose a time": 0.3,
    "staff: day calendar": 0.15,
    "staff: chart page": 0.15,
}


def render(result: dict[str, object]) -> str:
    found = result["groups"]
    health = found["trivial: /health/"]["rate"]
    rows = [
        "| request | saturated req/s | × /health/ | target | met? | connections | p50 / p99 ms there |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, got in found.items():
        ratio = got["rate"] / health
        target = TARGETS.get(name)
        rows.append(
            f"| {name} | {got['rate']:.0f} | {ratio:.2f}× | "
            + (f"≥ {target}× | {'yes' if ratio >= target else 'no'}" if target else " | ")
            + f" | {got['connections']} | {got['p50']:.0f} / {got['p99']:.0f} |"
        )
    mix = result["mix_at_70"]
    return "\n".join(
        [
            *rows,
            "",
            f"Mixed load offered open-loop at 70% of its saturated rate ({mix['offered']:.0f}/s)"
            f" for {mix['seconds']:.0f} s: answered {mix['rate']:.0f}/s, p50 {mix['p50']:.0f} ms,"
            f" p95 {mix['p95']:.0f} ms, p99 {mix['p99']:.0f} ms, {mix['errors']} errors.",
            "",
            f"gunicorn {result['workers']} sync workers; {result['bookings']} bookings; steps of"
            f" {result['step_seconds']:g} s; the load generator used"
            f" {result['generator_cpu']:.0%} of one core meanwhile.",
        ]
    )


START, END = "<!-- saturation:start -->", "<!-- saturation:end -->"


def section(result: dict[str, object], load: str, minutes: float) -> str:
    return f"""{START}
## Saturation

Written by `make saturate` (`python -m bench.load --saturate`) on {date.today():%-d %B %Y};
the run took {minutes:.0f} min. Load average (1 min): {load}.

Each kind of request alone, then the mix, against gunicorn (deploy/gunicorn.conf.py) on a
fresh PostgreSQL database holding the benchmark's clinic chain. Closed loop: 1, 2, 4, 6, 8,
12, 16, 24, 32, 48 connections in turn, each sending its next request as soon as the last
is answered, for {result["step_seconds"]:g} s a step, until p99 passes {P99_LIMIT_MS:.0f} ms.
The saturated rate is the best requests/s of a step whose p99 stayed within it; the ratio
is that rate over `/health/`'s, measured the same way in the same run (the whole
middleware stack and a `SELECT 1`: the most the server could answer). The availability
API reads a week from a random day of the next eight weeks at Brighton; the public page
is the choose-a-time page, opened without a day one time in four, else for a random week; the day calendar is Brighton's for a random
day of the next two weeks, the chart a completed treatment's, both signed in as a
practitioner. Mix by weight: availability 4, choose a time 3, day calendar 2, chart 2,
/health/ 1.

{render(result)}
{END}
"""
