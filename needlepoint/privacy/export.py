"""A client's whole record, for their right of access: ``client.json`` and a zip with the files.

``client_data`` is every record the clinic holds about the client as one JSON-ready
dict (the portal's "my-data.json" is the same). ``client_export_write`` puts it in a zip
with the full-size photos, the signed consent PDFs, a PDF per treatment session and a
README, and writes an audit event. The zip is written to a file-like, so a client with
many photos never has to fit in memory.
"""

from __future__ import annotations

import io
import json
import logging
import shutil
import zipfile
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import IO, Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from needlepoint.audit.choices import Action, Target
from needlepoint.audit.log import record
from needlepoint.clients.choices import ConsentChannel
from needlepoint.clients.models import Client, MarketingConsent
from needlepoint.clinics.clinical_wording import reason_text
from needlepoint.consents.models import SignedConsent
from needlepoint.consents.pdf import consent_pdf
from needlepoint.core.money import Money, as_decimal
from needlepoint.core.storage import NOT_READ, store_errors
from needlepoint.notifications.models import Message
from needlepoint.packages.queries import client_packages
from needlepoint.payments.choices import Method, PaymentKind
from needlepoint.payments.models import (
    CreditEntry,
    Fee,
    Invoice,
    Payment,
    PolicyAcceptance,
    SavedCard,
)
from needlepoint.scheduling.models import Booking
from needlepoint.treatments.models import AdverseEvent, Outcome, Photo, TreatmentSession
from needlepoint.treatments.pdf import session_summary_pdf
from needlepoint.vouchers.models import GiftVoucher
from needlepoint.vouchers.queries import bought_by

logger = logging.getLogger(__name__)

README = gettext_lazy(
    """\
%(title)s
%(underline)s

Exported %(exported_at)s (UTC). Record id: %(record_id)s.

This archive holds everything %(clinic)s keeps about you:

client.json
    Every record, in JSON (a plain-text format any program can read):
    your details; marketing consents (newsletter, texts, photos in marketing) with the
    exact words you agreed to and when you agreed, confirmed or withdrew; your medical
    history questionnaires with your answers; the screening of each one, its outcome and
    the reasons; bookings with their history; courses; treatment sessions with the zones
    and depths treated, the cartridges (needle lots) used, outcomes, photos and later
    addenda; adverse events; signed consents with the text you signed; the messages
    the clinic sent or planned to send you; your invoices and credit notes with their
    lines, your payments and refunds, no-show and late-cancellation fees, your account
    credit with each change to it, the deposit and cancellation policies you accepted
    when booking, word for word, and the card saved for fees (its brand and last four
    digits: the card itself is held by Stripe, never by the clinic); the gift vouchers
    you bought, with what was spent from each; your memberships, with each period billed
    and the included sessions you used.

photos/
    Your treatment photos at full size, named <session date>_<view>_<photo id>.jpg.

consents/
    Each consent form you signed, as a PDF: <form>_<version>_<date signed>.pdf.

sessions/
    A summary of each treatment session, as a PDF: <session date>.pdf.

Dates are ISO 8601 (YYYY-MM-DD); times are in UTC unless a time zone is named.
Questions about your data: contact %(clinic)s.
"""
)
MISSING = gettext_lazy(
    """\
These photos are listed in client.json but their files could not be found when this
archive was made. The clinic has been told (its logs name them):

"""
)


def client_data(client: Client) -> dict[str, Any]:
    """Everything the clinic holds about the client, ready for ``json.dumps``."""
    client = Client.objects.select_related("organisation", "home_location").get(pk=client.pk)
    sessions = _sessions(client)
    pdf_names = session_pdf_names(sessions)
    signed = _signed_consents(client)
    consent_names = consent_pdf_names(signed)
    return {
        "exported_at": timezone.now().isoformat(),
        "clinic": client.organisation.name,
        "record_id": str(client.public_id),
        "client": _details(client),
        "marketing_consents": [_marketing(consent) for consent in marketing_consents(client)],
        "medical_history": [
            {
                "version": submission.version,
                "answered_on": submission.answered_on.isoformat(),
                "answers": submission.answers,
                "rules_version": submission.rules_version,
                "source": submission.source,
                "submitted_at": submission.submitted_at.isoformat(),
            }
            for submission in client.questionnaires.order_by("version")
        ],
        "screenings": [
            {
                "screened_on": screening.screened_on.isoformat(),
                "questionnaire_version": screening.submission.version,
                "zones": screening.zones,
                "outcome": screening.outcome,
                "deferred_until": _iso(screening.deferred_until),
                "reasons": [
                    {**reason, "message": reason_text(reason)} for reason in screening.reasons
                ],
                "rules_version": screening.rules_version,
            }
            for screening in client.screenings.select_related("submission").order_by(
                "created_at", "pk"
            )
        ],
        "clinical_reviews": [
            {
                "reviewed_on": review.reviewed_on.isoformat(),
                "reviewed_by": review.reviewed_by.full_name,
                "contraindications": review.keys,
                "zones": review.zones,
                "decision": review.decision,
                "reason": review.reason,
                "conditions": review.conditions,
                "expires_on": _iso(review.expires_on),
                "has_letter": bool(review.attachment),
            }
            for review in client.clinical_reviews.select_related("reviewed_by").order_by(
                "reviewed_on", "created_at"
            )
        ],
        "bookings": [_booking(booking) for booking in _bookings(client)],
        "courses": [
            {
                "service": course.service.name,
                "planned_sessions": course.planned_sessions,
                "interval_days": course.interval_days,
                "created_at": course.created_at.isoformat(),
            }
            for course in client.courses.select_related("service").order_by("created_at")
        ],
        "treatment_sessions": _sessions_data(client, sessions, pdf_names),
        "adverse_events": [_adverse_event(event) for event in _adverse_events(client)],
        "signed_consents": [_signed(signed, consent_names[signed.pk]) for signed in signed],
        "messages": [
            {
                "kind": message.kind,
                "channel": message.channel,
                "recipient": message.recipient,
                "due_at": message.due_at.isoformat(),
                "status": message.status,
                "sent_at": _iso(message.sent_at),
            }
            for message in Message.objects.filter(client=client).order_by("due_at", "pk")
        ],
        "waitlist": [
            {
                "service": entry.service.name,
                "earliest_on": entry.earliest_on.isoformat(),
                "latest_on": entry.latest_on.isoformat(),
                "status": entry.status,
                "created_at": entry.created_at.isoformat(),
            }
            for entry in client.waitlist_entries.select_related("service")
        ],
        "packages": package_data(client),
        **money_data(client),
        "gift_vouchers": [_voucher(voucher) for voucher in bought_by(client)],
        "memberships": memberships_data(client),
    }


def package_data(client: Client) -> list[dict[str, Any]]:
    """The client's course packages: what was sold, what is used, when it expires and why
    the expiry moved."""
    return [
        {
            "package_id": str(row.package.public_id),
            "service": row.package.service.name,
            "sessions": row.package.sessions,
            "used": row.package.used,
            "price": _amount(row.package.price_minor, row.package.currency),
            "status": row.package.status,
            "sold_at": row.package.sold_at.isoformat(),
            "expires_on_as_sold": row.package.expires_on.isoformat(),
            "expires_on": row.expires.isoformat(),
            "invoice": row.package.invoice.reference if row.package.invoice else None,
            "ended_at": _iso(row.package.ended_at),
            "redemptions": [
                {"session": r.number, "value": _amount(r.value_minor, row.package.currency)}
                for r in row.package.redemptions.order_by("number")
            ],
            "pauses": [
                {
                    "reason": pause.reason,
                    "from": pause.starts_on.isoformat(),
                    "to": _iso(pause.ends_on),
                }
                for pause in row.package.pauses.order_by("starts_on", "pk")
            ],
        }
        for row in client_packages(client)
    ]


def client_export_write(client: Client, out: IO[bytes], *, actor: str = "") -> None:
    """Write the client's whole record as a zip to ``out``, and record the export."""
    data = client_data(client)
    client = Client.objects.select_related("organisation").get(pk=client.pk)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        clinic = client.organisation.name
        title = _("Your record at %(clinic)s") % {"clinic": clinic}
        archive.writestr(
            "README.txt",
            str(README)
            % {
                "title": title,
                "underline": "=" * len(title),
                "clinic": clinic,
                "exported_at": data["exported_at"],
                "record_id": data["record_id"],
            },
        )
        archive.writestr("client.json", json.dumps(data, indent=2, ensure_ascii=False))
        missing = [photo_name(p) for p in _photos(client) if not _add_photo(archive, p)]
        if missing:
            archive.writestr("MISSING.txt", str(MISSING) + "\n".join(missing) + "\n")
        signed = _signed_consents(client)
        for consent, name in zip(signed, consent_pdf_names(signed).values(), strict=True):
            archive.writestr(name, consent_pdf(consent))
        sessions = _sessions(client)
        for session, name in zip(sessions, session_pdf_names(sessions).values(), strict=True):
            archive.writestr(name, session_summary_pdf(session))
    record(
        Action.EXPORTED,
        Target.CLIENT,
        client.public_id,
        client=client,
        actor=actor,
        detail={"format": "zip"},
    )


def client_export_zip(client: Client, *, actor: str = "") -> bytes:
    """The zip of ``client_export_write`` as bytes (fine for small records and tests)."""
    out = io.BytesIO()
    client_export_write(client, out, actor=actor)
    return out.getvalue()


def export_filename(client: Client) -> str:
    """A download name without the client's name in it (it ends up in browser histories)."""
    return f"client-{client.public_id}.zip"


# --- names of the files in the zip, shared by client.json and the zip itself ---------------


def photo_name(photo: Photo) -> str:
    return f"photos/{photo.session.performed_on.isoformat()}_{photo.view}_{photo.public_id}.jpg"


def session_pdf_names(sessions: Iterable[TreatmentSession]) -> dict[int, str]:
    taken: set[str] = set()
    return {s.pk: _unique(f"sessions/{s.performed_on.isoformat()}.pdf", taken) for s in sessions}


def consent_pdf_names(signatures: Iterable[SignedConsent]) -> dict[int, str]:
    taken: set[str] = set()
    names = {}
    for signed in signatures:
        form = slugify(signed.form_version.form.name) or "consent"
        day = signed.signed_at.date().isoformat()
        names[signed.pk] = _unique(
            f"consents/{form}_v{signed.form_version.version}_{day}.pdf", taken
        )
    return names


def _unique(name: str, taken: set[str]) -> str:
    stem, _, extension = name.rpartition(".")
    candidate, number = name, 1
    while candidate in taken:
        number += 1
        candidate = f"{stem}-{number}.{extension}"
    taken.add(candidate)
    return candidate


def _add_photo(archive: zipfile.ZipFile, photo: Photo) -> bool:
    """Copy a stored photo in chunks, not compressed again (it is a JPEG already).

    False when its file is missing from the disk: the export goes on and says so.
    """
    info = zipfile.ZipInfo(photo_name(photo), date_time=timezone.now().timetuple()[:6])
    info.compress_type = zipfile.ZIP_STORED
    try:
        with store_errors(NOT_READ):
            source = photo.image.open("rb")
    except FileNotFoundError:
        logger.error("Photo %s has no file on disk; left out of the export.", photo.public_id)
        return False
    with store_errors(NOT_READ), source, archive.open(info, "w") as target:
        shutil.copyfileobj(source, target, 1024 * 1024)
    return True


# --- the records ------------------------------------------------------------------------------


def marketing_consents(client: Client) -> QuerySet[MarketingConsent]:
    """The client's marketing consents, with newsletter sign-ups made before they were a client."""
    mine = Q(client=client)
    if client.email:
        mine |= Q(client__isnull=True, channel=ConsentChannel.EMAIL, address=client.email)
    return MarketingConsent.objects.filter(mine, organisation_id=client.organisation_id).order_by(
        "requested_at", "pk"
    )


def _sessions(client: Client) -> list[TreatmentSession]:
    return list(
        client.sessions.select_related(
            "client__organisation",
            "location",
            "practitioner__user",
            "device",
            "completed_by",
            "booking__service",
        )
        .prefetch_related(
            "zones", "cartridges__configuration", "photos", "addenda__by", "countersignature__by"
        )
        .order_by("performed_on", "pk")
    )


def _signed_consents(client: Client) -> list[SignedConsent]:
    return list(
        SignedConsent.objects.filter(client=client)
        .select_related("client__organisation", "form_version__form")
        .order_by("signed_at", "pk")
    )


def _photos(client: Client) -> QuerySet[Photo]:
    return Photo.objects.filter(session__client=client).select_related("session")


def _bookings(client: Client) -> QuerySet[Booking]:
    return (
        client.bookings.select_related("service", "location", "practitioner__user")
        .prefetch_related("events__by")
        .order_by("starts_at", "pk")
    )


def _adverse_events(client: Client) -> QuerySet[AdverseEvent]:
    return client.adverse_events.select_related("session").order_by("onset_on", "pk")


def _details(client: Client) -> dict[str, Any]:
    return {
        "first_name": client.first_name,
        "last_name": client.last_name,
        "email": client.email,
        "phone": client.phone,
        "date_of_birth": client.date_of_birth.isoformat(),
        "fitzpatrick": client.fitzpatrick,
        "message_channel": client.message_channel,
        "home_location": client.home_location.name if client.home_location else None,
        "alert": client.alert,
        "notes": client.notes,
        "created_at": client.created_at.isoformat(),
        "erasure_requested_at": _iso(client.erasure_requested_at),
        "anonymised_at": _iso(client.anonymised_at),
        "clinical_record_kept_until": _iso(client.purge_after),
    }


def _marketing(consent: MarketingConsent) -> dict[str, Any]:
    return {
        "channel": consent.channel,
        "address": consent.address,
        "wording": consent.wording,
        "source": consent.source,
        "requested_at": consent.requested_at.isoformat(),
        "confirmed_at": _iso(consent.confirmed_at),
        "withdrawn_at": _iso(consent.withdrawn_at),
    }


def _booking(booking: Booking) -> dict[str, Any]:
    return {
        "service": booking.service.name,
        "location": booking.location.name,
        "practitioner": booking.practitioner.user.full_name,
        "starts_at": booking.starts_at.isoformat(),
        "ends_at": booking.ends_at.isoformat(),
        "status": booking.status,
        "channel": booking.channel,
        "created_at": booking.created_at.isoformat(),
        "events": [
            {
                "kind": event.kind,
                "at": event.at.isoformat(),
                "by": event.by.full_name if event.by else None,
                "reason": event.reason,
                "data": event.data,
            }
            for event in booking.events.all()
        ],
    }


def _sessions_data(
    client: Client, sessions: list[TreatmentSession], pdf_names: dict[int, str]
) -> list[dict[str, Any]]:
    rules = client.organisation.rules()
    outcomes = {o.session_id: o for o in Outcome.objects.filter(session__client=client)}
    return [
        {
            "performed_on": session.performed_on.isoformat(),
            "location": session.location.name,
            "practitioner": session.practitioner.user.full_name,
            "indication": session.indication,
            "indication_name": _name(rules.indications, session.indication),
            "status": session.status,
            "signed_at": _iso(session.completed_at),
            "signed_by": session.completed_by.full_name if session.completed_by else None,
            "countersigned": _countersigned(session),
            "device": session.device.name if session.device else None,
            "speed_hz": session.speed_hz,
            "numbing_product": session.numbing_product,
            "numbing_applied_at": _iso(session.numbing_applied_at),
            "topicals": session.topicals,
            "reaction": session.reaction,
            "reaction_notes": session.reaction_notes,
            "notes": session.notes,
            "next_eligible_on": _iso(session.next_eligible_on),
            "zones": [
                {
                    "zone": zone.zone,
                    "zone_name": _name(rules.zones, zone.zone),
                    "depth_mm": str(zone.depth_mm),
                    "passes": zone.passes,
                    "technique": zone.technique,
                    "endpoint": zone.endpoint,
                    "notes": zone.notes,
                    "depth_check": zone.depth_status,
                    "depth_message": zone.depth_message,
                    "override_reason": zone.override_reason,
                }
                for zone in session.zones.all()
            ],
            "cartridges": [
                {
                    "configuration": cartridge.configuration.name,
                    "serial": cartridge.serial,
                    "lot": cartridge.lot,
                    "expires_on": cartridge.expires_on.isoformat(),
                    "opened_at": _iso(cartridge.opened_at),
                }
                for cartridge in session.cartridges.all()
            ],
            "outcome": _outcome(outcomes.get(session.pk)),
            "addenda": [
                {"at": addendum.at.isoformat(), "by": addendum.by.full_name, "text": addendum.text}
                for addendum in session.addenda.all()
            ],
            "photos": [
                {
                    "file": photo_name(photo),
                    "view": photo.view,
                    "timing": photo.timing,
                    "width": photo.width,
                    "height": photo.height,
                    "taken_at": photo.uploaded_at.isoformat(),
                }
                for photo in session.photos.all()
            ],
            "pdf": pdf_names[session.pk],
        }
        for session in sessions
    ]


def _outcome(outcome: Outcome | None) -> dict[str, Any] | None:
    if outcome is None:
        return None
    return {
        "scar_grade": outcome.scar_grade,
        "scar_counts": outcome.scar_counts,
        "scar_score": outcome.scar_score,
        "glogau": outcome.glogau,
        "improvement": outcome.improvement,
        "notes": outcome.notes,
        "recorded_at": outcome.recorded_at.isoformat(),
    }


def _adverse_event(event: AdverseEvent) -> dict[str, Any]:
    return {
        "kind": event.kind,
        "zones": event.zones,
        "grade": event.grade,
        "onset_on": event.onset_on.isoformat(),
        "resolved_on": _iso(event.resolved_on),
        "session_on": _iso(event.session.performed_on if event.session else None),
        "notes": event.notes,
        "follow_up": event.follow_up,
    }


def _signed(signed: SignedConsent, pdf_name: str) -> dict[str, Any]:
    return {
        "form": signed.form_version.form.name,
        "version": signed.form_version.version,
        "text": signed.form_version.text,
        "text_sha256": signed.text_sha256,
        "signed_at": signed.signed_at.isoformat(),
        "typed_name": signed.typed_name,
        "signature": signed.kind,
        "ip_address": signed.ip_address,
        "user_agent": signed.user_agent,
        "pdf": pdf_name,
    }


def _name(table: Mapping[str, Any], key: str) -> str:
    found = table.get(key)
    return found.name if found is not None else key


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _countersigned(session: TreatmentSession) -> dict[str, str] | None:
    """Who countersigned a trainee's chart, and when; None when nobody has (or needed to)."""
    try:
        signature = session.countersignature
    except ObjectDoesNotExist:
        return None
    return {"at": signature.at.isoformat(), "by": signature.by.full_name}


# --- money --------------------------------------------------------------------------------------


def memberships_data(client: Client) -> list[dict[str, Any]]:
    """The client's memberships: the plan and benefits as sold, status, periods and the
    included sessions used (by the booking's start)."""
    rows = client.memberships.select_related("location", "included_service").order_by("pk")
    return [
        {
            "plan": m.plan_name,
            "location": m.location.name,
            "price": _amount(m.price_minor, m.currency),
            "currency": m.currency,
            "billed": m.period,
            "included_sessions": m.included_sessions,
            "included_service": m.included_service.name if m.included_service else None,
            "sessions_every": m.sessions_every,
            "discount_percent": m.discount_percent,
            "status": m.status,
            "started_on": m.started_on.isoformat(),
            "current_period": [m.period_start.isoformat(), m.period_end.isoformat()],
            "ends_at_period_end": m.cancel_at_period_end,
            "ended_on": _iso(m.ended_on),
            "periods": [
                {
                    "starts_on": p.starts_on.isoformat(),
                    "ends_on": p.ends_on.isoformat(),
                    "invoice": p.invoice.reference,
                    "status": p.status,
                }
                for p in m.periods.select_related("invoice").order_by("number")
            ],
            "included_sessions_used": [
                use.booking.starts_at.isoformat()
                for use in m.uses.select_related("booking").order_by("period", "pk")
            ],
        }
        for m in rows
    ]


def money_data(client: Client) -> dict[str, Any]:
    """The client's invoices, payments, refunds, fees, account credit, accepted policies and
    saved card: amounts in major units ("85.50") with their currency."""
    payments = list(
        Payment.objects.filter(client=client)
        .select_related("location", "invoice", "refund_of")
        .order_by("taken_at", "pk")
    )
    credit = list(CreditEntry.objects.filter(client=client).order_by("at", "pk"))
    card = SavedCard.objects.filter(client=client).first()
    return {
        "invoices": [_invoice(invoice) for invoice in _invoices(client)],
        "payments": [_payment(p) for p in payments if p.kind == PaymentKind.PAYMENT],
        "refunds": [_refund(p) for p in payments if p.kind == PaymentKind.REFUND],
        "fees": [_fee(fee) for fee in _fees(client)],
        "account_credit": {
            "balance": _amount(sum(entry.amount_minor for entry in credit), _currency(client)),
            "currency": _currency(client),
            "entries": [
                {
                    "at": entry.at.isoformat(),
                    "amount": _amount(entry.amount_minor, entry.currency),
                    "currency": entry.currency,
                    "reason": entry.reason,
                }
                for entry in credit
            ],
        },
        "accepted_policies": [_policy(accepted) for accepted in _policies(client)],
        "saved_card": None
        if card is None
        else {"brand": card.brand, "last4": card.last4, "saved_at": card.saved_at.isoformat()},
    }


def _voucher(voucher: GiftVoucher) -> dict[str, Any]:
    """A voucher the client bought. Its code is left out: the export may travel, and
    whoever holds the code can spend it (the voucher's PDF carries it)."""
    currency = voucher.currency
    return {
        "code_ends": voucher.code[-4:],
        "value": _amount(voucher.initial_minor, currency),
        "balance": _amount(voucher.balance_minor, currency),
        "currency": currency,
        "status": voucher.status,
        "issued_at": voucher.issued_at.isoformat(),
        "expires_on": voucher.expires_on.isoformat(),
        "recipient_name": voucher.recipient_name,
        "message": voucher.message,
        "sale_invoice": voucher.sale_invoice.reference,
        "spent_and_put_back": [
            {
                "at": row.at.isoformat(),
                "kind": row.kind,
                "amount": _amount(row.amount_minor, currency),
                "invoice": row.invoice.reference,
            }
            for row in voucher.redemptions.select_related("invoice")
        ],
    }


def _currency(client: Client) -> str:
    return client.organisation.currency


def _amount(minor: int, currency: str) -> str:
    return str(as_decimal(Money(minor, currency)))


def _invoices(client: Client) -> QuerySet[Invoice]:
    return (
        Invoice.objects.filter(client=client)
        .select_related("location", "corrects")
        .prefetch_related("lines")
        .order_by("created_at", "pk")
    )


def _invoice(invoice: Invoice) -> dict[str, Any]:
    currency = invoice.currency
    return {
        "id": str(invoice.public_id),
        "kind": invoice.kind,
        "status": invoice.status,
        "reference": invoice.reference,
        "location": invoice.location.name,
        "issued_at": _iso(invoice.issued_at),
        "corrects": invoice.corrects.reference if invoice.corrects else None,
        "reason": invoice.reason,
        "seller": invoice.seller,
        "buyer": invoice.buyer,
        "lines": [
            {
                "description": line.description,
                "quantity": line.quantity,
                "unit_price": _amount(line.unit_minor, currency),
                "tax_rate_percent": f"{line.tax_rate_bp / 100:.2f}",
                "net": _amount(line.net_minor, currency),
                "tax": _amount(line.tax_minor, currency),
                "gross": _amount(line.gross_minor, currency),
            }
            for line in invoice.lines.all()
        ],
        "net": _amount(invoice.net_minor, currency),
        "tax": _amount(invoice.tax_minor, currency),
        "total": _amount(invoice.total_minor, currency),
        "currency": currency,
    }


def _payment(payment: Payment) -> dict[str, Any]:
    return {
        "id": str(payment.public_id),
        "taken_at": payment.taken_at.isoformat(),
        "location": payment.location.name,
        "method": payment.method,
        "purpose": payment.purpose,
        "status": payment.status,
        "amount": _amount(payment.amount_minor, payment.currency),
        "currency": payment.currency,
        "invoice": payment.invoice.reference if payment.invoice else None,
        "note": payment.note,
    }


def _refund(refund: Payment) -> dict[str, Any]:
    return {
        "id": str(refund.public_id),
        "taken_at": refund.taken_at.isoformat(),
        "refund_of": str(refund.refund_of.public_id) if refund.refund_of else None,
        "method": refund.method,
        "to_account_credit": refund.method == Method.CREDIT,
        "status": refund.status,
        "amount": _amount(refund.amount_minor, refund.currency),
        "currency": refund.currency,
        "reason": refund.note,
    }


def _fees(client: Client) -> QuerySet[Fee]:
    return (
        Fee.objects.filter(booking__client=client)
        .select_related("booking__service")
        .order_by("created_at", "pk")
    )


def _fee(fee: Fee) -> dict[str, Any]:
    return {
        "booking": {
            "service": fee.booking.service.name,
            "starts_at": fee.booking.starts_at.isoformat(),
        },
        "kind": fee.kind,
        "status": fee.status,
        "amount": _amount(fee.amount_minor, fee.currency),
        "currency": fee.currency,
        "decided_at": _iso(fee.decided_at),
        "reason": fee.reason,
    }


def _policies(client: Client) -> QuerySet[PolicyAcceptance]:
    return (
        PolicyAcceptance.objects.filter(booking__client=client)
        .select_related("booking__service")
        .order_by("accepted_at", "pk")
    )


def _policy(accepted: PolicyAcceptance) -> dict[str, Any]:
    return {
        "booking": {
            "service": accepted.booking.service.name,
            "starts_at": accepted.booking.starts_at.isoformat(),
        },
        "wording": accepted.wording,
        "deposit": _amount(accepted.deposit_minor, accepted.currency),
        "currency": accepted.currency,
        "card_saved": accepted.card_saved,
        "accepted_at": accepted.accepted_at.isoformat(),
    }
