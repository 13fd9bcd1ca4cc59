"""What the load test needs beside the demo clinic: ``python -m bench.load.setup OUT.json``.

Run after ``needlepoint demo``, in its own process (settings read DATABASE_URL when they
load). It adds, through the project's services where there is one:

- API tokens for the website (``read``) and for the front desk's booking program
  (``read`` and ``book``), made by the demo's front desk;
- one staff account per signed-in virtual user, each with the demo authenticator key,
  because a code is accepted once per account (a second sign-in with the same code is
  refused as a replay);
- booked treatments for the practitioners to chart, for clients whose medical history
  (recorded by the front desk) screens cleared, and the checklist made advisory (the
  owner's setting), since these visits have no photos or signed consent.

It writes what the locustfile needs as JSON.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import date, timedelta
from pathlib import Path


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "needlepoint.settings")
    import django

    django.setup()
    staff = int(os.environ.get("LOAD_STAFF_ACCOUNTS", "12"))
    charts = int(os.environ.get("LOAD_CHART_BOOKINGS", "30"))
    Path(sys.argv[1]).write_text(json.dumps(prepare(staff, charts), indent=2))


def prepare(staff_accounts: int, chart_bookings: int) -> dict[str, object]:
    from django.utils import timezone

    from needlepoint.accounts.models import User
    from needlepoint.api.tokens import token_create
    from needlepoint.clients.choices import SubmissionSource
    from needlepoint.clients.services import client_create, questionnaire_submit
    from needlepoint.clinical import default_rules
    from needlepoint.clinics import demo
    from needlepoint.clinics.choices import Role
    from needlepoint.clinics.models import Location, Organisation, StaffMember
    from needlepoint.scheduling.choices import Channel, ServiceKind
    from needlepoint.scheduling.queries import available_slots
    from needlepoint.scheduling.services import booking_create

    organisation = Organisation.objects.get(slug=demo.ORGANISATION_SLUG)
    location = Location.objects.get(organisation=organisation, slug="harbour-street")
    front_desk = StaffMember.objects.get(organisation=organisation, role=Role.FRONT_DESK).user
    organisation.checklist_blocking = []
    organisation.save(update_fields=["checklist_blocking"])

    emails = []
    for number in range(1, staff_accounts + 1):
        email = f"load-{number}@demo.needlepoint.test"
        user = User.objects.create_user(
            email, demo.PASSWORD, full_name=f"Load Practitioner {number}"
        )
        member = StaffMember.objects.create(
            user=user, organisation=organisation, role=Role.PRACTITIONER
        )
        member.locations.add(location)
        emails.append(email)
    demo.ensure_authenticators()

    _, website = token_create(user=front_desk, name="Website", scopes=["read"])
    _, desk = token_create(user=front_desk, name="Front desk program", scopes=["read", "book"])

    treatments = location.services.filter(kind=ServiceKind.TREATMENT, is_active=True)
    face = treatments.get(area="area.face")
    now = timezone.now()
    today = location.local_now().date()
    # Far from the days the bookers race for, one a day so no client's visits clash.
    slots = available_slots(
        face, today + timedelta(30), today + timedelta(88), now=now, channel=Channel.STAFF
    )
    by_day: dict[date, object] = {}
    for slot in slots:
        by_day.setdefault(slot.start.astimezone(location.zone).date(), slot)
    nothing_declared = {
        question.key: {"present": False} for question in default_rules().questions()
    }
    to_chart = []
    for number, slot in enumerate(list(by_day.values())[:chart_bookings], start=1):
        client = client_create(
            organisation=organisation,
            first_name="Chart",
            last_name=f"Client {number}",
            date_of_birth=date(1990, 1, 1),
            email=f"chart-{number}@example.com",
        )
        questionnaire_submit(
            client=client,
            answers=nothing_declared,
            answered_on=today,
            source=SubmissionSource.STAFF,
            by=front_desk,
        )
        booking = booking_create(
            client=client, service=face, starts_at=slot.start, channel=Channel.STAFF, by=front_desk
        )
        to_chart.append(str(booking.public_id))

    return {
        "location": str(location.public_id),
        "location_slug": location.slug,
        "today": today.isoformat(),
        "horizon_days": location.booking_horizon_days,
        "services": [str(service.public_id) for service in treatments],
        "website_token": website,
        "desk_token": desk,
        "staff": emails,
        "password": demo.PASSWORD,
        "totp_key": demo.AUTHENTICATOR_KEY,
        "chart_bookings": to_chart,
        "chart_zones": {"zone.forehead": "0.5", "zone.cheeks": "1.0", "zone.chin": "1.0"},
    }


if __name__ == "__main__":
    main()
