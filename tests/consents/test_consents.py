"""Consent forms: versions, what is due, signing, and signatures that never change."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.core import mail
from django.db import DatabaseError, transaction
from PIL import Image

from needlepoint.consents.choices import SignatureKind
from needlepoint.consents.models import ConsentForm, ConsentFormVersion, SignedConsent
from needlepoint.consents.pdf import consent_pdf
from needlepoint.consents.services import (
    Covers,
    consent_form_publish,
    consent_sign,
    consents_due,
    version_covers_text,
)
from needlepoint.core.errors import DomainError
from needlepoint.notifications.delivery import deliver_due
from needlepoint.scheduling.choices import Channel
from needlepoint.scheduling.links import booking_link
from needlepoint.scheduling.services import booking_create
from tests import factories

NOW = datetime(2026, 11, 23, 8, tzinfo=UTC)
WORDING = "Microneedling makes tiny punctures in the skin.\nRedness for 1–3 days is expected."


@pytest.fixture
def setup(clinic):
    offered = factories.service(clinic.location)
    form = ConsentForm.objects.create(
        organisation=clinic.organisation, name="Microneedling consent"
    )
    form.services.add(offered)
    version = consent_form_publish(form=form, text=WORDING)
    client = factories.screened_client(clinic.organisation)
    return clinic, offered, form, version, client


def png(draw: bool = True, size: tuple[int, int] = (300, 100)) -> bytes:
    image = Image.new("RGBA", size)
    if draw:
        for x in range(20, 200):
            image.putpixel((x, 50), (0, 0, 0, 255))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def sign(client, version, **changes):
    values = {
        "client": client,
        "form_version": version,
        "kind": SignatureKind.TYPED,
        "typed_name": client.full_name,
        "ip_address": "203.0.113.7",
        "now": NOW,
    }
    return consent_sign(**(values | changes))


def test_a_signature_keeps_the_version_text_hash_time_address_and_name(setup):
    _, _, _, version, client = setup
    signed = sign(client, version)
    assert signed.form_version == version
    assert signed.text_sha256 == version.text_sha256 and len(signed.text_sha256) == 64
    assert (signed.signed_at, signed.ip_address) == (NOW, "203.0.113.7")
    assert signed.typed_name == client.full_name


def test_a_form_is_due_until_signed_and_again_when_a_new_version_is_published(setup):
    _, offered, form, version, client = setup
    assert consents_due(client, offered) == [version]
    sign(client, version)
    assert consents_due(client, offered) == []
    assert consent_form_publish(form=form, text=WORDING) == version  # same words: no new version
    second = consent_form_publish(form=form, text=WORDING + "\nAvoid the sun for a week.")
    assert second.version == 2
    assert consents_due(client, offered) == [second]
    with pytest.raises(DomainError) as outdated:
        sign(client, version)
    assert outdated.value.code in {"form_outdated", "already_signed"}


def test_signing_an_old_version_is_refused(setup):
    _, _, form, version, client = setup
    consent_form_publish(form=form, text="New wording.")
    with pytest.raises(DomainError) as refused:
        sign(client, version)
    assert refused.value.code == "form_outdated"


def test_a_drawn_signature_is_decoded_and_kept_as_a_clean_png(setup):
    _, _, _, version, client = setup
    signed = sign(client, version, kind=SignatureKind.DRAWN, drawing_png=png())
    assert bytes(signed.drawing_png).startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("drawing", "code"),
    [
        (b"", "drawing_required"),
        (png(draw=False), "drawing_required"),
        (b"GIF89a not a png", "drawing_invalid"),
        (png(size=(5000, 100)), "drawing_too_large"),
    ],
)
def test_a_missing_blank_or_bad_drawing_is_refused_and_nothing_kept(setup, drawing, code):
    _, _, _, version, client = setup
    with pytest.raises(DomainError) as refused:
        sign(client, version, kind=SignatureKind.DRAWN, drawing_png=drawing)
    assert refused.value.code == code
    assert not SignedConsent.objects.exists()


def test_an_empty_name_or_another_clinics_form_is_refused(setup, other_clinic):
    _, _, _, version, client = setup
    with pytest.raises(DomainError):
        sign(client, version, typed_name="   ")
    stranger = factories.screened_client(other_clinic.organisation)
    with pytest.raises(DomainError) as refused:
        sign(stranger, version)
    assert refused.value.code == "wrong_organisation"


def test_the_database_refuses_to_change_a_signature_or_a_version(setup):
    _, _, _, version, client = setup
    signed = sign(client, version)
    with pytest.raises(DatabaseError), transaction.atomic():
        SignedConsent.objects.filter(pk=signed.pk).update(typed_name="Someone else")
    with pytest.raises(DatabaseError), transaction.atomic():
        ConsentFormVersion.objects.filter(pk=version.pk).update(text="Different words")
    with pytest.raises(DatabaseError), transaction.atomic():
        ConsentFormVersion.objects.filter(pk=version.pk).update(depth_band="band.medical")
    signed.refresh_from_db()
    assert signed.typed_name == client.full_name


def test_deleting_a_signature_is_refused_and_on_postgresql_by_the_database_too(setup):
    from django.db import connection

    from needlepoint.core.models import ImmutableRecordError

    _, _, _, version, client = setup
    signed = sign(client, version)
    with pytest.raises(ImmutableRecordError):
        signed.delete()
    if connection.vendor == "postgresql":  # SQLite's test databases are emptied with DELETE
        with pytest.raises(DatabaseError), transaction.atomic():
            SignedConsent.objects.filter(pk=signed.pk)._raw_delete(SignedConsent.objects.db)
    assert SignedConsent.objects.filter(pk=signed.pk).exists()


# --- through the booking link ----------------------------------------------------------------


@pytest.fixture
def booked(setup):
    clinic, offered, form, version, client = setup
    with time_machine.travel(NOW, tick=False):
        booking = booking_create(
            client=client,
            service=offered,
            starts_at=datetime(2026, 11, 25, 10, tzinfo=UTC),
            channel=Channel.ONLINE,
        )
    return booking, version


@pytest.fixture(autouse=True)
def monday():
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_booking_page_asks_for_the_signature_and_the_client_signs(client, booked):
    booking, version = booked
    link = booking_link(booking)
    page = client.get(link).content.decode()
    assert "Read and sign: Microneedling consent" in page
    form_page = client.get(f"{link}consent/{version.public_id}/").content.decode()
    assert "Redness for 1–3 days is expected." in form_page
    response = client.post(
        f"{link}consent/{version.public_id}/",
        {"kind": "typed", "typed_name": "Alex Client", "agree": "on"},
        REMOTE_ADDR="198.51.100.4",
    )
    assert response["Location"] == link
    signed = SignedConsent.objects.get()
    assert signed.ip_address == "198.51.100.4"
    page = client.get(link).content.decode()
    assert "Read and sign" not in page
    pdf_link = re.search(r'href="([^"]+\.pdf)"', page)
    assert pdf_link is not None
    pdf = client.get(pdf_link.group(1))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    deliver_due(worker_id="test")  # the copy goes out through the outbox
    (email,) = [m for m in mail.outbox if m.subject.startswith("Your signed consent form")]
    assert email.subject == "Your signed consent form: Microneedling consent"
    assert email.to == [booking.client.email]
    assert email.attachments[0][0] == "signed-consent.pdf"


def test_without_agreeing_nothing_is_signed(client, booked):
    booking, version = booked
    url = f"{booking_link(booking)}consent/{version.public_id}/"
    page = client.post(url, {"kind": "typed", "typed_name": "Alex"}).content.decode()
    assert "Please tick to show you agree." in page
    bad_drawing = {"kind": "drawn", "typed_name": "Alex", "agree": "on", "drawing": "data:x"}
    assert "could not be read" in client.post(url, bad_drawing).content.decode()
    assert not SignedConsent.objects.exists()


def test_a_version_not_due_for_this_booking_or_another_clients_pdf_is_not_found(
    client, booked, other_clinic
):
    booking, version = booked
    link = booking_link(booking)
    other_form = ConsentForm.objects.create(organisation=other_clinic.organisation, name="Other")
    other_version = consent_form_publish(form=other_form, text="Other words")
    assert client.get(f"{link}consent/{other_version.public_id}/").status_code == 404
    stranger = factories.screened_client(other_clinic.organisation)
    theirs = sign(stranger, other_version)
    assert client.get(f"{link}consent/signed/{theirs.public_id}.pdf").status_code == 404


def test_the_signing_page_and_the_pdf_say_what_a_procedure_consent_covers(client, booked):
    booking, version = booked
    scoped = consent_form_publish(
        form=version.form,
        text=version.text,
        covers=Covers("band.mid_dermal", ("ind.acne_scars",), ("pen",)),
    )
    link = booking_link(booking)
    form_page = client.get(f"{link}consent/{scoped.public_id}/").content.decode()
    assert (
        "<strong>This consent covers:</strong> atrophic acne scars; mid dermal, up to 1.5 mm; "
        "microneedling pen."
    ) in form_page
    client.post(
        f"{link}consent/{scoped.public_id}/",
        {"kind": "typed", "typed_name": "Alex Client", "agree": "on"},
    )
    signed = SignedConsent.objects.get()
    assert signed.form_version.depth_band == "band.mid_dermal"
    assert version_covers_text(signed.form_version) == (
        "atrophic acne scars; mid dermal, up to 1.5 mm; microneedling pen"
    )
    assert consent_pdf(signed).startswith(b"%PDF")


def test_the_clients_link_still_works_after_check_in_to_sign_on_the_day(client, booked):
    from needlepoint.scheduling.services import booking_check_in

    booking, version = booked
    link = booking_link(booking)
    booking_check_in(booking=booking)
    page = client.get(link).content.decode()
    assert "Read and sign: Microneedling consent" in page
    assert "Cancel appointment" not in page  # nothing to change once checked in
    response = client.post(
        f"{link}consent/{version.public_id}/",
        {"kind": "typed", "typed_name": "Alex Client", "agree": "on"},
    )
    assert response["Location"] == link
    assert SignedConsent.objects.filter(client=booking.client).count() == 1
