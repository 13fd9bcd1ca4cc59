"""Erasure that respects clinical retention: anonymise at once, purge the chart when the law allows.

A request to erase (GDPR Art. 17) cannot remove the clinical record at once: the clinic
must keep it (Art. 17(3)(b) and (c)) for ``Organisation.clinical_retention_years`` after
the last treatment. So ``erasure_request`` removes everything that is not clinical in one
transaction (name, email, phone, free-text notes, marketing consents, queued messages,
portal sign-ins, waitlist places and upcoming bookings) and leaves the chart readable
to practitioners, restricted to its retention purpose, until ``purge_after``. The date of
birth is kept until then: screening and depth rules read the client's age, and with the
record id it is what matches the kept record to the person if a complaint, claim or
regulator's question about their treatment comes later.

``purge_due`` then deletes the clinical record (sessions and everything charted in them,
photo files, questionnaires, screenings, signed consents, bookings, messages) and leaves
a tombstone ``Client`` row (record id, organisation, dates) that the audit log still
points at. Signed charts and consents are protected by database triggers: on PostgreSQL
the purge's transaction sets ``needlepoint.purging`` (treatments 0004, consents 0003),
the only way past them; on SQLite the triggers refuse only UPDATE, and the purge deletes
through querysets, since the models themselves refuse ``.delete()``.

Money records are the clinic's accounts, which the law makes it keep, and they never
change once written (payments 0002): invoices and credit notes (with the name and email
they were issued to), payments, refunds, fees, account credit and accepted policies
stay, with the bookings they name, through the erasure and the purge; so do course
packages (a sale and its sessions given), with the staff's free-text reasons dropped. Only
the saved card goes at once: it is there to charge the client later, and there is no later.
Gift vouchers they bought stay spendable by whoever holds them; their recipient's name and
message are emptied.
stay, with the bookings they name, through the erasure and the purge. Only the saved
card goes at once: it is there to charge the client later, and there is no later. So
a live membership ends with the erasure (nothing more is charged), and memberships stay
as accounts do, without the reasons staff typed for ending them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from django.core.files.storage import Storage
from django.db import DatabaseError, connection, transaction
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from needlepoint.accounts.models import User
from needlepoint.api.models import IdempotencyKey
from needlepoint.audit.choices import Action, Target
from needlepoint.audit.log import record
from needlepoint.clients.models import (
    Client,
    ClinicalReview,
    MarketingConsent,
    QuestionnaireSubmission,
    Screening,
)
from needlepoint.consents.models import SignedConsent
from needlepoint.core.errors import DomainError
from needlepoint.core.languages import long_date
from needlepoint.imports.models import ExternalClientId, ImportedBooking
from needlepoint.memberships.models import MembershipUse
from needlepoint.memberships.services import memberships_erase
from needlepoint.notifications.choices import MessageStatus
from needlepoint.notifications.models import Message
from needlepoint.packages.models import Redemption
from needlepoint.packages.services import packages_anonymise
from needlepoint.payments.models import Fee, Invoice, Payment, PolicyAcceptance, SavedCard
from needlepoint.privacy.export import marketing_consents
from needlepoint.public.models import OnlineRequest, PortalLink
from needlepoint.scheduling.choices import BookingStatus, OfferStatus, WaitlistStatus
from needlepoint.scheduling.models import (
    Booking,
    BookingEvent,
    Course,
    WaitlistEntry,
    WaitlistOffer,
)
from needlepoint.scheduling.services import booking_cancel
from needlepoint.treatments.models import AdverseEvent, Photo, TreatmentSession
from needlepoint.vouchers.models import GiftVoucher

logger = logging.getLogger(__name__)

ERASED_FIRST_NAME, ERASED_LAST_NAME = "Erased", "client"
ERASED_BIRTH_DATE = date(1900, 1, 1)
"""What a purged tombstone carries in the required date-of-birth column."""
PURGE_ACTOR = "needlepoint purge"


@transaction.atomic
def erasure_request(
    client: Client, *, by: User, reason: str, now: datetime | None = None
) -> Client:
    """Anonymise the client at once and set the date their clinical record will be purged."""
    now = now or timezone.now()
    _require_manager(by, client)
    reason = reason.strip()
    if not reason:
        raise DomainError("reason_required", _("Say why the data is being erased."), field="reason")
    client = Client.objects.select_for_update().select_related("organisation").get(pk=client.pk)
    if client.merged_into_id is not None:
        raise DomainError(
            "merged",
            _("This record was merged into another: erase that one, the person's record."),
        )
    if client.erasure_requested_at is not None:
        raise DomainError(
            "already_erased",
            _(
                "Erasure was already requested on %(requested)s; the "
                "clinical record is kept until %(until)s, then purged."
            )
            % {
                "requested": long_date(client.erasure_requested_at.date()),
                "until": long_date(client.purge_after) if client.purge_after else "",
            },
        )
    _leave_waitlist(client)
    cancelled = [
        booking_cancel(booking=booking, by=by, reason="The client's data was erased.", now=now)
        for booking in client.bookings.filter(status=BookingStatus.BOOKED, starts_at__gte=now)
    ]
    withdrawn = (
        marketing_consents(client).filter(withdrawn_at__isnull=True).update(withdrawn_at=now)
    )
    marketing_consents(client).update(client=client, address="")
    stopped = _stop_messages(client)
    memberships_ended = memberships_erase(client=client, by=by, now=now)
    PortalLink.objects.filter(client=client).delete()
    OnlineRequest.objects.filter(client=client).delete()
    ExternalClientId.objects.filter(client=client).delete()  # the old system's id names them too
    ImportedBooking.objects.filter(booking__client=client).delete()  # and its appointment ids
    SavedCard.objects.filter(client=client).delete()
    packages_anonymise(client)
    # The vouchers stay spendable by whoever holds them (money records); their words go.
    GiftVoucher.objects.filter(buyer=client).update(recipient_name="", message="")
    purge_after = retention_end(client, erased_on=timezone.localdate(now))
    anonymise(client, now=now, erasure_requested_at=now, purge_after=purge_after)
    client.refresh_from_db()
    record(
        Action.ANONYMISED,
        Target.CLIENT,
        client.public_id,
        client=client,
        reason=reason,
        detail={
            "purge_after": purge_after.isoformat(),
            "bookings_cancelled": len(cancelled),
            "consents_withdrawn": withdrawn,
            "messages_cancelled": stopped,
            "memberships_ended": memberships_ended,
        },
    )
    return client


def anonymise(client: Client, *, now: datetime, **also: object) -> None:
    """Empty the client's name, contact details, alert and notes, and mark them anonymised:
    never searched, booked or signed in again (an erasure, and a duplicate merged away).
    ``also`` sets further columns (or another name) in the same write."""
    # An API answer kept for a repeated request (a day at most) may carry their details.
    IdempotencyKey.objects.filter(
        organisation_id=client.organisation_id, body__contains=str(client.public_id)
    ).delete()
    emptied: dict[str, object] = {
        "first_name": ERASED_FIRST_NAME,
        "last_name": ERASED_LAST_NAME,
        "email": "",
        "phone": "",
        "alert": "",
        "notes": "",
        "message_channel": "email",
        "anonymised_at": now,
    }
    Client.objects.filter(pk=client.pk).update(**(emptied | also))


def retention_end(client: Client, *, erased_on: date) -> date:
    """The last treatment (or the erasure, when never treated) plus the retention years."""
    last = client.sessions.aggregate(last=Max("performed_on"))["last"]
    return years_after(last or erased_on, client.organisation.clinical_retention_years)


def years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


def purge_due(now: datetime | None = None) -> list[Client]:
    """Purge every clinical record whose retention ended before today; the tombstones purged.

    Each client is purged in its own transaction: one the database refuses is logged and
    left whole, and the others go on. Safe to run from several workers at once.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = Client.objects.filter(purge_after__lt=today, purged_at__isnull=True).order_by("pk")
    purged = []
    for pk in due.values_list("pk", flat=True):
        try:
            client = _purge(pk, now)
        except DatabaseError:
            logger.exception("Purging client %s failed; nothing of it was deleted.", pk)
            continue
        if client is not None:
            purged.append(client)
    return purged


def _purge(pk: int, now: datetime) -> Client | None:
    with transaction.atomic():
        client = (
            Client.objects.select_for_update()
            .select_related("organisation")
            .filter(pk=pk, purged_at__isnull=True, erasure_requested_at__isnull=False)
            .first()
        )
        if client is None or client.purge_after is None or client.erasure_requested_at is None:
            return None
        # Treated again since, or retention lengthened: never purge inside retention.
        kept_until = retention_end(
            client, erased_on=timezone.localdate(client.erasure_requested_at)
        )
        if kept_until > client.purge_after:
            Client.objects.filter(pk=pk).update(purge_after=kept_until)
            return None
        files = _photo_files(client)
        with _purging():
            deleted = _delete_clinical_record(client)
        Client.objects.filter(pk=pk).update(
            date_of_birth=ERASED_BIRTH_DATE,
            fitzpatrick=None,
            home_location=None,
            purged_at=now,
        )
        record(
            Action.PURGED,
            Target.CLIENT,
            client.public_id,
            client=client,
            actor=PURGE_ACTOR,
            reason="Clinical retention period ended.",
            detail={"purge_after": client.purge_after.isoformat(), "deleted": deleted},
        )
        transaction.on_commit(lambda: _remove_files(files))
    client.refresh_from_db()
    return client


def _require_manager(by: User, client: Client) -> None:
    staff = getattr(by, "staff", None)
    if (
        staff is None
        or not staff.is_active
        or staff.organisation_id != client.organisation_id
        or not staff.manages_organisation
    ):
        raise DomainError(
            "not_allowed", _("Only the clinic's owner or a manager can erase a client's data.")
        )


def _leave_waitlist(client: Client) -> None:
    WaitlistOffer.objects.filter(entry__client=client, status=OfferStatus.OPEN).update(
        status=OfferStatus.EXPIRED
    )
    client.waitlist_entries.filter(
        status__in=[WaitlistStatus.WAITING, WaitlistStatus.OFFERED]
    ).update(status=WaitlistStatus.WITHDRAWN)


def _stop_messages(client: Client) -> int:
    """Cancel what is not sent yet; drop the address from every message (kept: what and when)."""
    addresses = [address for address in (client.email, client.phone) if address]
    theirs = Message.objects.filter(client=client) | Message.objects.filter(
        organisation_id=client.organisation_id, recipient__in=addresses
    )
    stopped = theirs.filter(status__in=[MessageStatus.PENDING, MessageStatus.FAILED]).update(
        status=MessageStatus.CANCELLED, last_error="The client's data was erased."
    )
    theirs.update(client=client, recipient="")
    return stopped


@contextmanager
def _purging() -> Iterator[None]:
    """Inside, PostgreSQL's triggers let signed charts and consents be deleted (see module)."""
    if connection.vendor != "postgresql":
        yield
        return
    assert connection.in_atomic_block, "SET LOCAL only lasts inside a transaction"
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL needlepoint.purging = 'on'")
    yield
    with connection.cursor() as cursor:  # not left on for the rest of an outer transaction
        cursor.execute("SET LOCAL needlepoint.purging = 'off'")


def _delete_clinical_record(client: Client) -> dict[str, int]:
    """Delete, children first, everything about the client but the client row; counts by kind.

    Querysets, not ``Model.delete()``: the immutable models refuse the latter by design.
    """
    sessions = TreatmentSession.objects.filter(client=client)
    deleted = _delete_session_records(sessions)
    accounted = list(accounted_bookings(client).values_list("pk", flat=True))
    steps: list[tuple[str, QuerySet[Any]]] = [
        ("adverse_events", AdverseEvent.objects.filter(client=client)),
        ("waitlist_offers", WaitlistOffer.objects.filter(entry__client=client)),
        ("waitlist_entries", WaitlistEntry.objects.filter(client=client)),
        ("sessions", sessions),
        ("online_requests", OnlineRequest.objects.filter(client=client)),
        ("portal_links", PortalLink.objects.filter(client=client)),
        ("screenings", Screening.objects.filter(client=client)),
        ("clinical_reviews", ClinicalReview.objects.filter(client=client)),
        ("questionnaires", QuestionnaireSubmission.objects.filter(client=client)),
        ("signed_consents", SignedConsent.objects.filter(client=client)),
        ("booking_events", BookingEvent.objects.filter(booking__client=client)),
        ("bookings", Booking.objects.filter(client=client).exclude(pk__in=accounted)),
        (
            "courses",
            Course.objects.filter(client=client, package=None).exclude(bookings__in=accounted),
        ),
        ("messages", Message.objects.filter(client=client)),
        ("marketing_consents", MarketingConsent.objects.filter(client=client)),
    ]
    return deleted | {kind: rows.delete()[0] for kind, rows in steps}


def accounted_bookings(client: Client) -> QuerySet[Booking]:
    """The client's bookings an invoice, payment, fee, accepted policy or membership's
    included session names: part of the accounts, kept with them (service, time and
    status; their history goes)."""
    named = Q(pk__in=[])
    for model in (Invoice, Payment, Fee, PolicyAcceptance, Redemption, MembershipUse):
        named |= Q(Exists(model.objects.filter(booking=OuterRef("pk"))))
    return Booking.objects.filter(named, client=client)


def _delete_session_records(sessions: QuerySet[TreatmentSession]) -> dict[str, int]:
    """Whatever is recorded against the sessions: zones, photos, cartridges, outcome, addenda,
    countersignature, adverse events, and anything charted there in future."""
    deleted = {}
    for relation in TreatmentSession._meta.related_objects:
        model = relation.related_model
        assert not isinstance(model, str)
        rows = model._base_manager.filter(**{f"{relation.field.name}__in": sessions})
        deleted[model._meta.label_lower] = rows.delete()[0]
    return deleted


def _photo_files(client: Client) -> list[tuple[Storage, str]]:
    files = []
    for photo in Photo.objects.filter(session__client=client):
        files += [
            (photo.image.storage, photo.image.name),
            (photo.thumbnail.storage, photo.thumbnail.name),
        ]
    for review in ClinicalReview.objects.filter(client=client).exclude(attachment=""):
        files.append((review.attachment.storage, review.attachment.name))  # a doctor's letter
    return [(storage, name) for storage, name in files if name]


def _remove_files(files: list[tuple[Storage, str]]) -> None:
    """After the purge commits: a rolled-back purge must not have lost the photos."""
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:
            logger.exception("Purged photo file %s could not be removed; remove it by hand.", name)
