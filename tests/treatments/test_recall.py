"""Scenario 19: every client, session date and zone treated with a recalled lot."""

from __future__ import annotations

from datetime import date

from needlepoint.clinics.models import NeedleConfiguration
from needlepoint.treatments.models import Cartridge, TreatmentSession, ZoneTreatment
from needlepoint.treatments.queries import sessions_using_lot
from tests import factories


def test_a_lot_recall_lists_every_client_date_and_zone(
    clinic, other_clinic, django_assert_max_num_queries
):
    config = NeedleConfiguration.objects.create(
        organisation=clinic.organisation, device_kind="pen", name="12-pin", needle_count=12
    )
    serial = iter(range(100))

    def used(client, on, lot, zones, organisation=clinic.organisation):
        session = TreatmentSession.objects.create(
            client=client,
            location=clinic.location,
            practitioner=clinic.practitioner,
            indication="ind.acne_scars",
            performed_on=on,
        )
        for zone in zones:
            ZoneTreatment.objects.create(session=session, zone=zone, depth_mm=1.0)
        Cartridge.objects.create(
            organisation=organisation,
            configuration=config,
            serial=f"C-{next(serial)}",
            lot=lot,
            expires_on=date(2027, 6, 1),
            session=session,
        )

    ann, ben = factories.client(clinic.organisation), factories.client(clinic.organisation)
    used(ann, date(2026, 3, 1), "L-123", ["zone.cheeks", "zone.chin"])
    used(ben, date(2026, 4, 2), "L-123", ["zone.forehead"])
    used(ben, date(2026, 5, 2), "L-999", ["zone.cheeks"])
    used(
        factories.client(other_clinic.organisation),
        date(2026, 4, 3),
        "L-123",
        ["zone.neck"],
        other_clinic.organisation,
    )

    with django_assert_max_num_queries(2):
        found = [
            (
                c.session.client,
                c.session.performed_on,
                sorted(z.zone for z in c.session.zones.all()),
            )
            for c in sessions_using_lot(clinic.organisation.pk, "L-123")
        ]
    assert found == [
        (ann, date(2026, 3, 1), ["zone.cheeks", "zone.chin"]),
        (ben, date(2026, 4, 2), ["zone.forehead"]),
    ]
