"""Charting a session through the services: checklist, zones, cartridge, photos, lock, addenda."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import DatabaseError, transaction
from PIL import Image

from needlepoint.clients.history import client_history
from needlepoint.clinics.choices import NeedleMaterial
from needlepoint.clinics.models import NeedleConfiguration
from needlepoint.consents.choices import SignatureKind
from needlepoint.consents.models import ConsentForm
from needlepoint.consents.services import Covers, consent_form_publish, consent_sign
from needlepoint.core.errors import DomainError
from needlepoint.scheduling.choices import BookingStatus, Channel
from needlepoint.scheduling.services import booking_create
from needlepoint.treatments.checklist import session_checklist
from needlepoint.treatments.choices import SessionStatus
from needlepoint.treatments.models import Cartridge, TreatmentSession
from needlepoint.treatments.services import (
    addendum_add,
    adverse_event_record,
    adverse_event_resolve,
    cartridge_use,
    outcome_record,
    photo_add,
    segment_remove,
    session_complete,
    session_details_record,
    session_start,
    zone_record,
)
from tests import factories

VISIT = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)  # Tuesday, London is on UTC
BOOKED_AT = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def jpeg(width: int = 640, height: int = 480, *, exif: bytes | None = None) -> bytes:
    out = io.BytesIO()
    picture = Image.new("RGB", (width, height), (200, 150, 140))
    if exif is None:
        picture.save(out, format="JPEG")
    else:
        picture.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def gps_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (50.0, 48.0, 0.0)
    gps[3], gps[4] = "W", (1.0, 5.0, 0.0)
    return exif.tobytes()


@pytest.fixture
def visit(clinic):
    offered = factories.service(clinic.location)
    client = factories.screened_client(clinic.organisation)
    booking = booking_create(
        client=client, service=offered, starts_at=VISIT, channel=Channel.STAFF, now=BOOKED_AT
    )
    configuration = NeedleConfiguration.objects.create(
        organisation=clinic.organisation, device_kind="pen", name="12-pin nano", needle_count=12
    )
    return clinic, booking, configuration


def ready_session(clinic, booking) -> TreatmentSession:
    """A chart with its before photo taken and numbing applied 35 minutes ago."""
    user = clinic.practitioner.user
    session = session_start(booking=booking, by=user, now=VISIT)
    photo_add(session=session, view="front", timing="before", data=jpeg(), by=user, now=VISIT)
    session_details_record(
        session=session,
        by=user,
        device=booking.device,
        speed_hz=100,
        numbing_product="LMX4",
        numbing_applied_at=VISIT - timedelta(minutes=35),
    )
    return session


def test_starting_the_chart_checks_the_client_in_and_opens_one_chart(visit):
    clinic, booking, _ = visit
    session = session_start(booking=booking, by=clinic.practitioner.user, now=VISIT)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CHECKED_IN
    assert session.status == SessionStatus.OPEN
    assert session.performed_on == date(2026, 11, 24)
    assert session_start(booking=booking, by=clinic.practitioner.user, now=VISIT) == session


def test_the_front_desk_cannot_chart(visit):
    clinic, booking, _ = visit
    with pytest.raises(DomainError) as refused:
        session_start(booking=booking, by=clinic.front_desk.user, now=VISIT)
    assert refused.value.code == "not_clinical_staff"


def test_needling_waits_for_before_photos_and_the_numbing_time(visit):
    clinic, booking, _ = visit
    user = clinic.practitioner.user
    session = session_start(booking=booking, by=user, now=VISIT)
    checklist = session_checklist(session, VISIT)
    assert {check.item.value for check in checklist.blockers} == {"before_photos", "numbing"}
    with pytest.raises(DomainError) as refused:
        zone_record(session=session, zone="zone.cheeks", depth_mm="1.5", by=user, now=VISIT)
    assert refused.value.code == "checklist_not_ready"
    assert "Before photos taken" in refused.value.message

    photo_add(session=session, view="front", timing="before", data=jpeg(), by=user, now=VISIT)
    session_details_record(
        session=session, by=user, numbing_product="LMX4", numbing_applied_at=VISIT
    )
    waiting = session_checklist(session, VISIT + timedelta(minutes=10))
    assert [check.message for check in waiting.blockers] == [
        "Numbing needs 20 more min (ready 10:30)."
    ]
    assert session_checklist(session, VISIT + timedelta(minutes=30)).ready


def test_the_owner_decides_which_items_block(visit):
    clinic, booking, _ = visit
    clinic.organisation.checklist_blocking = ["screening", "consent"]
    clinic.organisation.save()
    user = clinic.practitioner.user
    session = session_start(booking=booking, by=user, now=VISIT)
    assert zone_record(session=session, zone="zone.cheeks", depth_mm="1.5", by=user, now=VISIT)


def test_a_stale_or_outdated_screening_is_not_current(visit):
    clinic, booking, _ = visit
    session = session_start(booking=booking, by=clinic.practitioner.user, now=VISIT)
    half_a_year_later = VISIT + timedelta(days=200)
    screening = next(
        check
        for check in session_checklist(session, half_a_year_later).checks
        if check.item.value == "screening"
    )
    assert not screening.ok
    assert "days old" in screening.message


def test_a_depth_warning_is_kept_and_a_block_needs_an_authorised_reason(visit):
    clinic, booking, _ = visit
    session = ready_session(clinic, booking)
    practitioner, trainee = clinic.practitioner.user, clinic.trainee.user
    ok = zone_record(session=session, zone="zone.cheeks", depth_mm="1.5", by=trainee, now=VISIT)
    assert ok.depth_status == "ok"
    warned = zone_record(session=session, zone="zone.nose", depth_mm="0.75", by=trainee, now=VISIT)
    assert warned.depth_status == "warn" and warned.depth_message
    with pytest.raises(DomainError) as blocked:
        zone_record(session=session, zone="zone.forehead", depth_mm="1.5", by=trainee, now=VISIT)
    assert blocked.value.code == "depth_blocked"
    assert "cap 1 mm" in blocked.value.message
    with pytest.raises(DomainError) as not_allowed:
        zone_record(
            session=session,
            zone="zone.forehead",
            depth_mm="1.5",
            by=trainee,
            override_reason="Thick skin",
            now=VISIT,
        )
    assert not_allowed.value.code == "override_not_allowed"
    overridden = zone_record(
        session=session,
        zone="zone.forehead",
        depth_mm="1.5",
        by=practitioner,
        override_reason="Thick sebaceous skin, discussed with the client",
        now=VISIT,
    )
    assert overridden.override_by == practitioner
    assert session.zones.count() == 3


def test_a_zone_outside_the_booked_area_is_refused(visit):
    clinic, booking, _ = visit
    session = ready_session(clinic, booking)
    with pytest.raises(DomainError) as refused:
        zone_record(
            session=session,
            zone="zone.abdomen",
            depth_mm="1.5",
            by=clinic.practitioner.user,
            now=VISIT,
        )
    assert refused.value.code == "zone_not_booked"


def test_a_cartridge_serves_one_session_and_an_expired_lot_is_refused(visit):
    clinic, booking, configuration = visit
    session = ready_session(clinic, booking)
    user = clinic.practitioner.user
    with pytest.raises(DomainError) as expired:
        cartridge_use(
            session=session,
            configuration=configuration,
            serial="C-1",
            lot="L-1",
            expires_on=date(2026, 11, 1),
            by=user,
        )
    assert expired.value.code == "cartridge_expired"
    used = cartridge_use(
        session=session,
        configuration=configuration,
        serial="C-1",
        lot="L-1",
        expires_on=date(2027, 11, 1),
        by=user,
    )
    assert used.session == session
    other_booking = booking_create(
        client=factories.screened_client(clinic.organisation),
        service=booking.service,
        starts_at=VISIT + timedelta(hours=2),
        channel=Channel.STAFF,
        now=BOOKED_AT,
    )
    other = ready_session(clinic, other_booking)
    with pytest.raises(DomainError) as again:
        cartridge_use(
            session=other,
            configuration=configuration,
            serial="C-1",
            lot="L-1",
            expires_on=date(2027, 11, 1),
            by=user,
        )
    assert again.value.code == "cartridge_used"


def test_the_database_keeps_a_used_cartridge_with_its_session(visit):
    clinic, booking, configuration = visit
    session = ready_session(clinic, booking)
    cartridge = cartridge_use(
        session=session,
        configuration=configuration,
        serial="C-9",
        lot="L-9",
        expires_on=date(2027, 1, 1),
        by=clinic.practitioner.user,
    )
    with pytest.raises(DatabaseError), transaction.atomic():
        type(cartridge).objects.filter(pk=cartridge.pk).update(session=None)


def test_a_cartridge_of_a_material_the_client_is_allergic_to_is_refused(visit):
    clinic, booking, _ = visit
    from needlepoint.clients.choices import SubmissionSource
    from needlepoint.clients.services import questionnaire_submit
    from needlepoint.clinical import default_rules

    answers = {q.key: {"present": False} for q in default_rules().questions()}
    answers["ci.nickel_allergy"] = {"present": True}
    questionnaire_submit(
        client=booking.client,
        answers=answers,
        answered_on=date(2026, 11, 21),
        source=SubmissionSource.STAFF,
    )
    steel = NeedleConfiguration.objects.create(
        organisation=clinic.organisation,
        device_kind="pen",
        name="12-pin steel",
        needle_count=12,
        material=NeedleMaterial.STEEL,
    )
    session = ready_session(clinic, booking)
    with pytest.raises(DomainError) as refused:
        cartridge_use(
            session=session,
            configuration=steel,
            serial="S-1",
            lot="L-S",
            expires_on=date(2027, 1, 1),
            by=clinic.practitioner.user,
        )
    assert refused.value.code == "material_allergy"


def chart_fully(clinic, booking, configuration) -> TreatmentSession:
    session = ready_session(clinic, booking)
    user = clinic.practitioner.user
    zone_record(session=session, zone="zone.cheeks", depth_mm="1.5", by=user, now=VISIT)
    cartridge_use(
        session=session,
        configuration=configuration,
        serial=f"C-{booking.pk}",
        lot="L-7",
        expires_on=date(2027, 6, 1),
        by=user,
        now=VISIT,
    )
    return session


def test_completing_locks_the_chart_completes_the_visit_and_gives_the_next_date(visit):
    clinic, booking, configuration = visit
    session = chart_fully(clinic, booking, configuration)
    user = clinic.practitioner.user
    session_complete(session=session, by=user, now=VISIT + timedelta(minutes=45))
    session.refresh_from_db()
    booking.refresh_from_db()
    assert session.status == SessionStatus.COMPLETED
    assert session.next_eligible_on == date(2026, 12, 22)  # 28 days after a 1.5 mm session
    assert booking.status == BookingStatus.COMPLETED
    with pytest.raises(DomainError) as locked:
        zone_record(session=session, zone="zone.chin", depth_mm="1.0", by=user)
    assert locked.value.code == "chart_locked"


def test_the_database_refuses_changes_to_a_signed_chart(visit):
    clinic, booking, configuration = visit
    session = chart_fully(clinic, booking, configuration)
    session_complete(session=session, by=clinic.practitioner.user, now=VISIT)
    with pytest.raises(DatabaseError), transaction.atomic():
        TreatmentSession.objects.filter(pk=session.pk).update(notes="changed later")
    with pytest.raises(DatabaseError), transaction.atomic():
        session.zones.update(depth_mm=Decimal("0.5"))
    with pytest.raises(DatabaseError), transaction.atomic():
        session.zones.create(zone="zone.chin", depth_mm=Decimal("1.0"))


def test_completing_needs_a_zone_and_a_cartridge(visit):
    clinic, booking, configuration = visit
    session = ready_session(clinic, booking)
    with pytest.raises(DomainError) as no_zones:
        session_complete(session=session, by=clinic.practitioner.user, now=VISIT)
    assert no_zones.value.code == "no_zones"


def test_an_addendum_is_added_to_a_signed_chart_and_keeps_the_original(visit):
    clinic, booking, configuration = visit
    session = chart_fully(clinic, booking, configuration)
    user = clinic.practitioner.user
    with pytest.raises(DomainError):
        addendum_add(session=session, text="Too early", by=user)
    session_complete(session=session, by=user, now=VISIT)
    addendum_add(session=session, text="Cheeks were 1.25 mm, not 1.5 mm.", by=user)
    assert session.zones.get().depth_mm == Decimal("1.50")
    assert session.addenda.get().text == "Cheeks were 1.25 mm, not 1.5 mm."


def test_a_photo_is_stored_without_its_metadata_and_with_a_thumbnail(visit):
    clinic, booking, _ = visit
    session = session_start(booking=booking, by=clinic.practitioner.user, now=VISIT)
    photo = photo_add(
        session=session,
        view="left_45",
        timing="before",
        data=jpeg(4800, 3600, exif=gps_exif()),
        by=clinic.practitioner.user,
    )
    stored = Image.open(photo.image.path)
    assert stored.format == "JPEG"
    assert not stored.getexif()
    assert (photo.width, photo.height) == (4000, 3000)
    assert max(Image.open(photo.thumbnail.path).size) == 480
    assert b"PhoneMaker" not in photo.image.read()


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"%PDF-1.4 not a photo", "photo_unreadable"),
        (b"GIF89a" + bytes(100), "photo_unreadable"),
        (b"", "photo_empty"),
    ],
)
def test_files_that_are_not_photos_are_refused(visit, data, code):
    clinic, booking, _ = visit
    session = session_start(booking=booking, by=clinic.practitioner.user, now=VISIT)
    with pytest.raises(DomainError) as refused:
        photo_add(
            session=session, view="front", timing="before", data=data, by=clinic.practitioner.user
        )
    assert refused.value.code == code
    assert not session.photos.exists()


def test_a_decompression_bomb_is_refused_before_it_is_decoded(visit, settings):
    clinic, booking, _ = visit
    settings.PHOTO_MAX_PIXELS = 1_000_000
    session = session_start(booking=booking, by=clinic.practitioner.user, now=VISIT)
    out = io.BytesIO()
    Image.new("1", (2000, 2000)).save(out, format="PNG")  # tiny file, 4 million pixels
    with pytest.raises(DomainError) as refused:
        photo_add(
            session=session,
            view="front",
            timing="before",
            data=out.getvalue(),
            by=clinic.practitioner.user,
        )
    assert refused.value.code == "photo_too_many_pixels"


def test_a_truncated_jpeg_is_refused(visit):
    clinic, booking, _ = visit
    session = session_start(booking=booking, by=clinic.practitioner.user, now=VISIT)
    with pytest.raises(DomainError) as refused:
        photo_add(
            session=session,
            view="front",
            timing="before",
            data=jpeg()[:600],
            by=clinic.practitioner.user,
        )
    assert refused.value.code == "photo_unreadable"


def test_an_outcome_scores_the_scar_counts(visit):
    clinic, booking, configuration = visit
    session = chart_fully(clinic, booking, configuration)
    outcome = outcome_record(
        session=session,
        by=clinic.practitioner.user,
        scar_grade=3,
        scar_counts={"punched_out_shallow": 12, "linear_troughed": 3},
        glogau=2,
        improvement=6,
    )
    assert outcome.scar_score == 2 * 2 + 3 * 1
    with pytest.raises(DomainError):
        outcome_record(session=session, by=clinic.practitioner.user, improvement=7)


def test_an_adverse_event_stays_open_until_resolved(visit):
    clinic, booking, configuration = visit
    session = chart_fully(clinic, booking, configuration)
    user = clinic.practitioner.user
    event = adverse_event_record(
        client=booking.client,
        session=session,
        kind="ae.pih",
        grade=1,
        zones=["zone.cheeks"],
        onset_on=date(2026, 12, 10),
        follow_up="Review in 4 weeks",
        by=user,
    )
    assert event.is_open
    with pytest.raises(DomainError):
        adverse_event_resolve(event=event, resolved_on=date(2026, 12, 1), by=user)
    adverse_event_resolve(event=event, resolved_on=date(2027, 1, 20), by=user, follow_up="Clear")
    assert not event.is_open
    assert event.follow_up == "Review in 4 weeks\nClear"


def test_a_zone_treated_at_two_depths_keeps_both_and_the_deepest_decides(visit):
    clinic, booking, configuration = visit
    session = ready_session(clinic, booking)
    user = clinic.practitioner.user
    cartridge = cartridge_use(
        session=session,
        configuration=configuration,
        serial="C-seg",
        lot="L-7",
        expires_on=date(2027, 6, 1),
        by=user,
        now=VISIT,
    )
    deep = zone_record(
        session=session,
        zone="zone.cheeks",
        depth_mm="1.5",
        passes=2,
        cartridge=cartridge,
        endpoint="pinpoint_bleeding",
        by=user,
        now=VISIT,
    )
    shallow = zone_record(
        session=session, zone="zone.cheeks", depth_mm="0.25", passes=4, by=user, now=VISIT
    )
    segments = list(session.zones.order_by("pk"))
    assert segments == [deep, shallow]
    assert (segments[0].depth_mm, segments[0].cartridge) == (Decimal("1.5"), cartridge)
    assert client_history(session.client).sessions[0].zones == {"zone.cheeks": 1.5}

    session_complete(session=session, by=user, now=VISIT + timedelta(minutes=45))
    session.refresh_from_db()
    assert session.next_eligible_on == date(2026, 12, 22)  # the 1.5 mm segment's 28 days


def test_a_segment_charted_in_error_is_removed_alone(visit):
    clinic, booking, configuration = visit
    session = ready_session(clinic, booking)
    user = clinic.practitioner.user
    kept = zone_record(session=session, zone="zone.cheeks", depth_mm="1.5", by=user, now=VISIT)
    wrong = zone_record(session=session, zone="zone.cheeks", depth_mm="1.0", by=user, now=VISIT)
    segment_remove(session=session, segment=wrong.pk, by=user)
    assert list(session.zones.all()) == [kept]
    with pytest.raises(DomainError) as gone:
        segment_remove(session=session, segment=wrong.pk, by=user)
    assert gone.value.code == "no_segment"


def test_a_segment_names_a_cartridge_of_its_own_session_only(visit):
    clinic, booking, configuration = visit
    session = ready_session(clinic, booking)
    user = clinic.practitioner.user
    stray = Cartridge.objects.create(
        organisation=clinic.organisation,
        configuration=configuration,
        serial="C-unused",
        lot="L-7",
        expires_on=date(2027, 6, 1),
    )
    with pytest.raises(DomainError) as refused:
        zone_record(
            session=session, zone="zone.cheeks", depth_mm="1.5", cartridge=stray, by=user, now=VISIT
        )
    assert refused.value.code == "wrong_cartridge"
    assert not session.zones.exists()


def procedure_consent(clinic, booking, *, band: str, indications=("ind.acne_scars",)):
    form, _ = ConsentForm.objects.get_or_create(
        organisation=clinic.organisation, name="Microneedling consent"
    )
    form.services.add(booking.service)
    return consent_form_publish(
        form=form,
        text=f"I consent to microneedling up to the {band} band.",
        covers=Covers(band, tuple(indications), ("pen",)),
    )


def sign(client, version):
    return consent_sign(
        client=client, form_version=version, kind=SignatureKind.TYPED, typed_name="Alex Client"
    )


def test_needling_deeper_than_the_signed_consents_band_waits_for_a_new_consent(visit):
    clinic, booking, _ = visit
    sign(booking.client, procedure_consent(clinic, booking, band="band.mid_dermal"))
    session = ready_session(clinic, booking)
    user = clinic.practitioner.user
    within = zone_record(session=session, zone="zone.cheeks", depth_mm="1.5", by=user, now=VISIT)
    with pytest.raises(DomainError) as refused:
        zone_record(session=session, zone="zone.cheeks", depth_mm="2.0", by=user, now=VISIT)
    assert refused.value.code == "consent_not_covering"
    assert refused.value.message == (
        "The signed consent does not cover atrophic acne scars, deep dermal, up to 2.5 mm, "
        "with a microneedling pen: it covers atrophic acne scars; mid dermal, up to 1.5 mm; "
        "microneedling pen. A new consent covering this must be signed before needling."
    )
    assert list(session.zones.all()) == [within]

    sign(booking.client, procedure_consent(clinic, booking, band="band.deep_dermal"))
    deeper = zone_record(session=session, zone="zone.cheeks", depth_mm="2.0", by=user, now=VISIT)
    assert list(session.zones.order_by("pk")) == [within, deeper]


def test_a_consent_for_another_indication_or_device_does_not_cover_the_session(visit):
    clinic, booking, _ = visit
    version = procedure_consent(
        clinic, booking, band="band.deep_dermal", indications=("ind.wrinkles_fine_lines",)
    )
    sign(booking.client, version)
    session = ready_session(clinic, booking)
    user = clinic.practitioner.user
    with pytest.raises(DomainError) as other_indication:
        zone_record(session=session, zone="zone.cheeks", depth_mm="0.5", by=user, now=VISIT)
    assert other_indication.value.code == "consent_not_covering"
    assert "does not cover atrophic acne scars" in other_indication.value.message

    session_details_record(
        session=session,
        by=user,
        device=None,
        numbing_product="LMX4",
        numbing_applied_at=VISIT - timedelta(minutes=35),
    )
    with pytest.raises(DomainError) as no_device:
        zone_record(session=session, zone="zone.cheeks", depth_mm="0.5", by=user, now=VISIT)
    assert no_device.value.message.startswith("Record the device on the chart first")
    assert not session.zones.exists()


def test_the_checklist_says_what_the_signed_consent_covers(visit):
    clinic, booking, _ = visit
    sign(booking.client, procedure_consent(clinic, booking, band="band.mid_dermal"))
    session = ready_session(clinic, booking)
    consent = next(c for c in session_checklist(session, VISIT).checks if c.item == "consent")
    assert consent.ok
    assert consent.message == (
        "Signed for the current version. Covers atrophic acne scars; "
        "mid dermal, up to 1.5 mm; microneedling pen."
    )


def test_the_checklist_names_each_form_still_to_sign_and_every_signed_cover_newest_first(visit):
    clinic, booking, _ = visit
    mid = procedure_consent(clinic, booking, band="band.mid_dermal")
    photos = ConsentForm.objects.create(organisation=clinic.organisation, name="Photo consent")
    photos.services.add(booking.service)
    photo_version = consent_form_publish(form=photos, text="Photos may be taken.")
    session = ready_session(clinic, booking)

    def consent():
        return next(c for c in session_checklist(session, VISIT).checks if c.item == "consent")

    assert not consent().ok
    assert consent().message == (
        "Still to sign: Microneedling consent (version 1), Photo consent (version 1)."
    )
    sign(booking.client, mid)
    assert consent().message == "Still to sign: Photo consent (version 1)."
    sign(booking.client, photo_version)
    deep = procedure_consent(clinic, booking, band="band.deep_dermal")
    assert consent().message == "Still to sign: Microneedling consent (version 2)."
    sign(booking.client, deep)
    assert consent().ok
    assert consent().message == (
        "Signed for the current version. Covers atrophic acne scars; deep dermal, up to 2.5 mm; "
        "microneedling pen Or: atrophic acne scars; mid dermal, up to 1.5 mm; microneedling pen."
    )


@pytest.mark.parametrize(
    ("covers", "code"),
    [
        (Covers("band.very_deep", ("ind.acne_scars",), ("pen",)), "unknown_band"),
        (Covers("band.mid_dermal", (), ("pen",)), "unknown_indication"),
        (Covers("band.mid_dermal", ("ind.acne_scars",), ("laser",)), "unknown_device"),
    ],
)
def test_a_consent_states_a_known_band_indication_and_device(visit, covers, code):
    clinic, _, _ = visit
    form = ConsentForm.objects.create(organisation=clinic.organisation, name="Procedure")
    with pytest.raises(DomainError) as refused:
        consent_form_publish(form=form, text="I consent.", covers=covers)
    assert refused.value.code == code
    assert not form.versions.exists()


def test_a_wider_scope_with_the_same_words_is_a_new_version(visit):
    clinic, booking, _ = visit
    first = procedure_consent(clinic, booking, band="band.mid_dermal")
    again = procedure_consent(clinic, booking, band="band.mid_dermal")
    wider = consent_form_publish(
        form=first.form,
        text=first.text,
        covers=Covers("band.deep_dermal", ("ind.acne_scars",), ("pen",)),
    )
    assert again == first
    assert (wider.version, wider.depth_band) == (2, "band.deep_dermal")


def test_a_numbing_time_typed_for_the_wrong_day_is_named_not_counted_down(visit):
    clinic, booking, _ = visit
    user = clinic.practitioner.user
    session = session_start(booking=booking, by=user, now=VISIT)
    session_details_record(
        session=session,
        by=user,
        numbing_product="LMX4",
        numbing_applied_at=VISIT + timedelta(days=4),
    )
    numbing = next(c for c in session_checklist(session, VISIT).checks if c.item == "numbing")
    assert not numbing.ok
    assert numbing.message == (
        "Numbing is recorded as applied at 10:00 on 28 November: check the time recorded."
    )
