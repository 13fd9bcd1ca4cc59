"""The saturation run's data: ``python -m bench.load.chain OUT.json`` (``python -m bench.load
--saturate`` starts it).

The benchmark's clinic chain (bench/data.py: 50,000 bookings, or ``LOAD_BOOKINGS``),
then what the requests need: one practitioner at Brighton signs in with a password and
the demo authenticator key (staff pages), and owns a ``read`` API token (availability).
Run in its own process, as settings read DATABASE_URL when they load. Writes what the
load generator needs as JSON.
"""

from __future__ import annotations

import json
import os
import sys
from base64 import b32decode
from pathlib import Path

PASSWORD = "saturate-the-server"


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "needlepoint.settings")
    import django

    django.setup()
    bookings = int(os.environ.get("LOAD_BOOKINGS", "50000"))
    Path(sys.argv[1]).write_text(json.dumps(prepare(bookings), indent=2))


def prepare(bookings: int) -> dict[str, object]:
    from django.db import connection
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from bench.data import build
    from needlepoint.api.tokens import token_create
    from needlepoint.clinics import demo
    from needlepoint.clinics.models import StaffMember
    from needlepoint.treatments.models import TreatmentSession

    chain = build(bookings)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as bench.child: the planner needs statistics at once
    place = chain.places[0]
    member = StaffMember.objects.select_related("user").get(pk=place.practitioners[0])
    member.user.set_password(PASSWORD)
    member.user.save(update_fields=["password"])
    TOTPDevice.objects.create(
        user=member.user,
        name="Load authenticator",
        key=b32decode(demo.AUTHENTICATOR_KEY).hex(),
        confirmed=True,
    )
    _, token = token_create(user=member.user, name="Website", scopes=["read"])
    chart = (
        TreatmentSession.objects.filter(location=place.location)
        .order_by("-performed_on", "pk")
        .values_list("public_id", flat=True)
        .first()
    )
    location = place.location
    return {
        "organisation_slug": location.organisation.slug,
        "location_slug": location.slug,
        "service": str(place.service.public_id),
        "token": token,
        "email": member.user.email,
        "password": PASSWORD,
        "totp_key": demo.AUTHENTICATOR_KEY,
        "chart": str(chart),
        "today": location.local_now().date().isoformat(),
    }


if __name__ == "__main__":
    main()
