"""The load test's users (locust): run by ``python -m bench.load``, which sets LOAD_FIXTURE.

- ``Website``: a clinic's website asking the API for a week of free times.
- ``FrontDesk``: a booking program on the API: reads a day near today, books one of its
  first free times for a new client (whose health questions it answers first: a
  treatment booked through the API needs a cleared screening), and cancels its oldest
  booking once it holds enough (so the calendar never fills). Many race for the same times, so ``slot_taken``
  (409) and ``slot_unavailable`` (400, the time went between the read and the booking)
  are expected answers: counted apart, marked as successes.
- ``CalendarViewer``: staff signed in with password and code, opening day and week calendars.
- ``Practitioner``: signed in the same way, opening charts and recording zones on the chart page.
- ``Health``: ``/health/``, the most trivial view the app serves through Django (the whole
  middleware stack and a ``SELECT 1``), as the baseline.

Anything else, any 5xx included, is a failure.
"""

from __future__ import annotations

import hmac
import itertools
import json
import os
import random
import struct
import time
from base64 import b32decode
from collections import Counter
from datetime import date, timedelta
from hashlib import sha1
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from urllib.parse import urlsplit

from locust import HttpUser, between, events, task

FIXTURE = json.loads(Path(os.environ["LOAD_FIXTURE"]).read_text())
TODAY = date.fromisoformat(FIXTURE["today"])
OUTCOMES: Counter[str] = Counter()
STAFF = iter(FIXTURE["staff"])
CHARTS = iter(FIXTURE["chart_bookings"])
KEEP_BOOKINGS = 5
NEAR_DAYS = 7  # the bookers all want the next week: they race


@events.quitting.add_listener
def save_outcomes(environment, **kwargs):
    if path := os.environ.get("LOAD_OUTCOMES"):
        Path(path).write_text(json.dumps(OUTCOMES))


def totp(key: str, at: float) -> str:
    digest = hmac.new(b32decode(key), struct.pack(">Q", int(at // 30)), sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def error_code(response):
    try:
        return response.json().get("code")
    except ValueError:
        return None


# The app marks its cookies Secure, and here the test plays the proxy that ends TLS: send them
# back over plain HTTP. On the policy class, because requests copies cookies into new jars.
DefaultCookiePolicy.return_ok_secure = lambda self, cookie, request: True


class Client(HttpUser):
    abstract = True
    wait_time = between(0.5, 1.5)

    def on_start(self):
        # As behind the production proxy that ends TLS (settings trust X-Forwarded-Proto).
        origin = "https://" + urlsplit(self.host).netloc
        self.client.headers.update({"X-Forwarded-Proto": "https", "Origin": origin})

    def expect(self, response, *ok):
        if response.status_code not in ok:
            response.failure(f"{response.status_code}: {response.text[:200]}")
            return False
        response.success()
        return True


class ApiClient(Client):
    abstract = True
    token = ""

    def on_start(self):
        super().on_start()
        self.client.headers["Authorization"] = f"Bearer {FIXTURE[self.token]}"

    def free_times(self, service, first, last, name):
        params = {"service": service, "start": first.isoformat(), "end": last.isoformat()}
        with self.client.get(
            "/api/v1/availability", params=params, name=name, catch_response=True
        ) as response:
            if self.expect(response, 200):
                return response.json()["slots"]
        return []


class Website(ApiClient):
    weight = 4
    token = "website_token"

    @task
    def week_of_free_times(self):
        first = TODAY + timedelta(random.randrange(FIXTURE["horizon_days"] - 7))
        service = random.choice(FIXTURE["services"])
        self.free_times(service, first, first + timedelta(6), "availability, 7 days (API)")


class FrontDesk(ApiClient):
    weight = 3
    token = "desk_token"
    numbers = itertools.count(1)
    questions: list[str] = []  # the questionnaire's keys, read once

    def on_start(self):
        super().on_start()
        self.client_id = None
        self.bookings = []

    @task
    def book(self):
        day = TODAY + timedelta(random.randrange(1, NEAR_DAYS + 1))
        service = random.choice(FIXTURE["services"])
        slots = self.free_times(service, day, day, "booking: availability, 1 day (API)")
        if not slots:  # the day is full: free a time, as clients cancel, so the race goes on
            if self.bookings:
                self.cancel(self.bookings.pop(0))
            return
        if self.client_id is None:
            self.client_id = self.new_client()
            if self.client_id is None:
                return
        starts_at = random.choice(slots[:3])["starts_at"]
        body = {"client": self.client_id, "service": service, "starts_at": starts_at}
        with self.client.post(
            "/api/v1/bookings", json=body, name="booking: book (API)", catch_response=True
        ) as response:
            code = error_code(response) if response.status_code in (400, 409) else None
            if response.status_code == 201:
                response.success()
                OUTCOMES["booked"] += 1
                self.bookings.append(response.json()["id"])
                self.client_id = None  # one visit each: a client's next would be too early
            elif (response.status_code, code) in {(409, "slot_taken"), (400, "slot_unavailable")}:
                response.success()
                OUTCOMES[code] += 1
            else:
                response.failure(f"{response.status_code}: {response.text[:200]}")
        if len(self.bookings) > KEEP_BOOKINGS:
            self.cancel(self.bookings.pop(0))

    def new_client(self):
        number = next(self.numbers)
        body = {
            "first_name": "Load",
            "last_name": f"Client {number}",
            "date_of_birth": "1990-05-17",
            "email": f"load-client-{number}@example.com",
        }
        with self.client.post(
            "/api/v1/clients", json=body, name="booking: new client (API)", catch_response=True
        ) as response:
            if not self.expect(response, 201):
                return None
            client_id = response.json()["id"]
        return client_id if self.answer_health_questions(client_id) else None

    def answer_health_questions(self, client_id):
        """A treatment booked through the API needs a cleared screening: all answers no."""
        if not FrontDesk.questions:
            answer = self.client.get("/api/v1/questionnaire", name="booking: questionnaire (API)")
            FrontDesk.questions = [question["key"] for question in answer.json()["questions"]]
        body = {
            "answered_on": TODAY.isoformat(),
            "answers": {key: {"present": False} for key in FrontDesk.questions},
        }
        with self.client.post(
            f"/api/v1/clients/{client_id}/questionnaires",
            json=body,
            name="booking: medical history (API)",
            catch_response=True,
        ) as response:
            return self.expect(response, 201)

    def cancel(self, booking):
        with self.client.post(
            f"/api/v1/bookings/{booking}/cancel",
            json={"reason": "Client asked"},
            name="booking: cancel (API)",
            catch_response=True,
        ) as response:
            if self.expect(response, 200):
                OUTCOMES["cancelled"] += 1


class Staff(Client):
    abstract = True

    def on_start(self):
        super().on_start()
        email = next(STAFF)
        self.client.get("/accounts/login/", name="sign in: form")
        with self.client.post(
            "/accounts/login/",
            data={
                "username": email,
                "password": FIXTURE["password"],
                "csrfmiddlewaretoken": self.client.cookies["csrftoken"],
                "next": "/",
            },
            name="sign in: password",
            catch_response=True,
        ) as response:
            self.expect(response, 200)
        code = totp(FIXTURE["totp_key"], time.time())
        with self.client.post(
            "/accounts/two-factor/",
            data={"code": code, "csrfmiddlewaretoken": self.client.cookies["csrftoken"]},
            name="sign in: code",
            catch_response=True,
        ) as response:
            if self.expect(response, 200) and "/accounts/" in response.url:
                response.failure(f"the code was refused; still at {response.url}")

    def page(self, path, name):
        """GET a staff page; whether it came with no error message (a refused write shows one)."""
        with self.client.get(path, name=name, catch_response=True) as response:
            if not self.expect(response, 200):
                return False
            if "/accounts/" in response.url:
                response.failure(f"sent to sign in: {response.url}")
                return False
            if '<li class="error">' in response.text:
                response.failure("the page shows an error message")
                return False
        return True


class CalendarViewer(Staff):
    weight = 2

    @task(3)
    def day(self):
        day = TODAY + timedelta(random.randrange(7))
        by = random.choice(["", "?by=room"])
        self.page(f"/calendar/{FIXTURE['location_slug']}/{day}/{by}", "calendar: day")

    @task(1)
    def week(self):
        day = TODAY + timedelta(random.randrange(14))
        self.page(f"/calendar/{FIXTURE['location_slug']}/week/{day}/", "calendar: week")


class Practitioner(Staff):
    weight = 2

    def on_start(self):
        super().on_start()
        self.chart = None
        self.charted = 0

    @task
    def chart_a_zone(self):
        if self.chart is None or self.charted >= 6:
            self.open_next_chart()
        if self.chart is None:
            return
        zone, depth = random.choice(list(FIXTURE["chart_zones"].items()))
        form = {
            "zone": zone,
            "depth_mm": depth,
            "passes": "3",
            "csrfmiddlewaretoken": self.client.cookies["csrftoken"],
        }
        with self.client.post(
            f"{self.chart}zone/",
            data=form,
            allow_redirects=False,
            name="chart: record a zone",
            catch_response=True,
        ) as response:
            if not self.expect(response, 302):
                return
        # Then the chart, as the browser follows the redirect: it says whether the zone was kept.
        if self.page(f"{self.chart}?zone={zone}", "chart: view"):
            OUTCOMES["zones_charted"] += 1
        self.charted += 1

    def open_next_chart(self):
        booking = next(CHARTS, None)
        if booking is None:
            return  # every prepared visit is charted: keep writing the last chart
        with self.client.post(
            f"/sessions/start/{booking}/",
            data={"csrfmiddlewaretoken": self.client.cookies["csrftoken"]},
            name="chart: start",
            catch_response=True,
        ) as response:
            if self.expect(response, 200) and "/sessions/" in response.url:
                self.chart, self.charted = urlsplit(response.url).path, 0
                OUTCOMES["charts_started"] += 1
            elif response.ok:
                response.failure(f"not opened: {response.url}")


class Health(Client):
    weight = 1

    @task
    def health(self):
        with self.client.get("/health/", name="trivial: /health/", catch_response=True) as r:
            self.expect(r, 200)
