"""Where a request's time goes: ``python -m bench.profile [--staff] [--bookings N] [--calls N]``.

On the database DATABASE_URL names (a fresh one: it is migrated and filled with the
benchmark's clinic chain), pyinstrument over ``--calls`` requests of each kind, through
Django's test client with production settings (DEBUG off): the availability API (a
week), the public choose-a-time page, and a booking made through the API for a screened
client. With ``--staff``, instead: the chain's practitioner signs in (password, then
the authenticator's code) and the pages are ``/health/``, a trivial signed-in page (their
profile), the day calendar and a completed treatment's chart page, each first timed (ms
and queries per request) and then profiled. Prints each profile as text; a development tool, it writes nothing.
"""

from __future__ import annotations

import argparse
import os
import random
from datetime import date, timedelta


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("--bookings", type=int, default=50_000)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--staff", action="store_true", help="the signed-in staff pages")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "needlepoint.settings")
    os.environ.setdefault("NEEDLEPOINT_RATE_API", "1000000/minute")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--no-input", verbosity=0)  # DEBUG off: pages need them
    if args.staff:
        from bench.load.chain import prepare

        staff_pages(prepare(args.bookings), args.calls)
    else:
        profile(args.bookings, args.calls)


def profile(bookings: int, calls: int) -> None:
    from django.test import Client
    from pyinstrument import Profiler

    from bench.load.chain import prepare
    from needlepoint.api.tokens import token_create
    from needlepoint.clinics.models import StaffMember
    from needlepoint.scheduling.models import Service

    fixture = prepare(bookings)
    service = Service.objects.select_related("location").get(public_id=fixture["service"])
    member = StaffMember.objects.select_related("user").get(user__email=fixture["email"])
    member.role = "owner"  # may book through the API (the practitioner's token only reads)
    member.save(update_fields=["role"])
    _, booker = token_create(user=member.user, name="Front desk", scopes=["read", "book"])
    from needlepoint.clients.models import Client as Person

    newcomers = list(
        Person.objects.filter(bookings__isnull=True).values_list("public_id", flat=True)
    )
    proxy = {"HTTP_X_FORWARDED_PROTO": "https"}
    browser = Client(**proxy)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {fixture['token']}", **proxy)
    desk = Client(HTTP_AUTHORIZATION=f"Bearer {booker}", **proxy)
    location = service.location
    today = location.local_now().date()
    rng = random.Random(1)

    def week() -> None:
        first = today + timedelta(days=rng.randrange(53))
        answer = api.get(
            "/api/v1/availability",
            {"service": fixture["service"], "start": first, "end": first + timedelta(6)},
        )
        assert answer.status_code == 200, answer.content

    def times() -> None:
        first = today + timedelta(days=rng.randrange(53))
        path = f"/c/{fixture['organisation_slug']}/{location.slug}/book/{fixture['service']}/"
        answer = browser.get(path, {"from": first})
        assert answer.status_code == 200, answer.content

    day = [today + timedelta(days=40)]

    def book() -> None:
        while True:
            found = api.get(
                "/api/v1/availability",
                {"service": fixture["service"], "start": day[0], "end": day[0]},
            ).json()["slots"]
            if found:
                break
            day[0] += timedelta(days=1)
        body = {
            "client": str(newcomers.pop()),
            "service": fixture["service"],
            "starts_at": found[0]["starts_at"],
        }
        answer = desk.post("/api/v1/bookings", body, content_type="application/json")
        assert answer.status_code == 201, answer.content

    for name, call in (("availability API, 7 days", week), ("choose a time", times)):
        for _ in range(10):
            call()
        with Profiler(interval=0.0005) as profiler:
            for _ in range(calls):
                call()
        print(f"=== {name}: {calls} requests")
        print(profiler.output_text(unicode=True, color=False, show_all=False))
    book()
    made = min(calls, 100)
    with Profiler(interval=0.0005) as profiler:
        for _ in range(made):
            book()
    print(f"=== booking through the API: {made} bookings, each after a day's search for its time")
    print(profiler.output_text(unicode=True, color=False, show_all=False))


def staff_pages(fixture: dict[str, object], calls: int) -> None:
    """What a signed-in staff request costs on top of ``/health/``, and the day calendar's own."""
    import time

    from django.db import connection
    from django.test import Client
    from pyinstrument import Profiler

    from bench.load.saturate import totp

    browser = Client(HTTP_X_FORWARDED_PROTO="https")
    browser.post(
        "/accounts/login/", {"username": fixture["email"], "password": fixture["password"]}
    )
    answer = browser.post(
        "/accounts/two-factor/", {"code": totp(str(fixture["totp_key"]), time.time())}
    )
    assert answer.status_code == 302 and "/accounts/" not in answer["Location"], answer
    today = date.fromisoformat(str(fixture["today"]))
    rng = random.Random(1)

    def day(rng: random.Random) -> str:  # as the saturation run asks
        return f"/calendar/{fixture['location_slug']}/{today + timedelta(days=rng.randrange(14))}/"

    anonymous = Client(HTTP_X_FORWARDED_PROTO="https")  # /health/ as the saturation run asks it
    pages = {
        "/health/": (anonymous, lambda rng: "/health/"),
        "signed in: own profile": (browser, lambda rng: "/accounts/profile/"),
        "day calendar": (browser, day),
        "day calendar by room": (browser, lambda rng: day(rng) + "?by=room"),
        "chart page": (browser, lambda rng: f"/sessions/{fixture['chart']}/"),
    }
    queries = [0]

    def counted(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries[0] += 1
        return execute(sql, params, many, context)

    for name, (who, path) in pages.items():
        for _ in range(10):
            answer = who.get(path(rng))
            assert answer.status_code == 200, (name, answer.status_code)
        queries[0] = 0
        wall, cpu = time.perf_counter(), time.process_time()
        with connection.execute_wrapper(counted):
            for _ in range(calls):
                who.get(path(rng))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(
            f"{name:<24} {cpu / calls * 1000:6.2f} ms CPU {wall / calls * 1000:6.2f} ms wall"
            f" {queries[0] / calls:5.1f} queries per request"
        )
    for name, (who, path) in pages.items():
        with Profiler(interval=0.0005) as profiler:
            for _ in range(calls):
                who.get(path(rng))
        print(f"=== {name}: {calls} requests")
        print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()
