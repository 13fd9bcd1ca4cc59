"""Writes the client's own pages make: the booking confirmed online with its money, a
request for review, a signed consent with its emailed copy."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from needlepoint.audit import log as audit
from needlepoint.audit.choices import Action, Target
from needlepoint.clients.models import Client, Screening
from needlepoint.consents.choices import SignatureKind
from needlepoint.consents.models import ConsentFormVersion, SignedConsent
from needlepoint.consents.services import consent_sign
from needlepoint.core.errors import DomainError
from needlepoint.notifications import planner
from needlepoint.notifications.choices import MessageKind
from needlepoint.payments import online
from needlepoint.payments.services import payment_send
from needlepoint.public.models import OnlineRequest
from needlepoint.scheduling.choices import Channel
from needlepoint.scheduling.models import Booking, Service
from needlepoint.scheduling.services import booking_create


def online_booking_confirm(
    *,
    client: Client,
    service: Service,
    starts_at: datetime,
    wording: str = "",
    accepted_at: datetime | None = None,
    setup_intent: str = "",
    payment_intent: str = "",
    now: datetime | None = None,
) -> Booking:
    """Book the visit a client confirmed online with what they paid and accepted: the
    booking, the deposit, the card saved for fees and the policy (``wording``) accepted,
    all or none of them.

    The card step's intents are asked of Stripe here, never taken from the browser. The
    same deposit confirmed twice (a reload, a double click) books once. A visit that can't
    be booked after all (the time was taken meanwhile) keeps no booking, no card and no
    policy, but its deposit is recorded and refunded at once. Not one transaction: Stripe
    is asked before, and the refund sent after, the commit.
    """
    now = now or timezone.now()
    paid = (
        online.card_step_outcome(
            organisation=client.organisation,
            setup_intent=setup_intent,
            payment_intent=payment_intent,
        )
        if setup_intent
        else None
    )
    done = online.booking_paid_by(client.organisation, paid)
    if done is not None:
        return done
    try:
        return _book_online(client, service, starts_at, paid, wording, accepted_at, now)
    except DomainError as error:
        if paid is None or paid.deposit is None:
            raise
        refund = online.unbooked_deposit_refund(
            location=service.location, client=client, paid=paid, reason=error.message, now=now
        )
        if refund is None:  # the same confirm, sent twice at once, booked it after all
            done = online.booking_paid_by(client.organisation, paid)
            if done is not None:
                return done
            raise
        payment_send(refund)
        notice = f"{error.message} {online.refund_notice(paid)}"
        raise DomainError(error.code, notice, field=error.field) from error


@transaction.atomic
def _book_online(
    client: Client,
    service: Service,
    starts_at: datetime,
    paid: online.Paid | None,
    wording: str,
    accepted_at: datetime | None,
    now: datetime,
) -> Booking:
    booking = booking_create(
        client=client, service=service, starts_at=starts_at, channel=Channel.ONLINE, now=now
    )
    online.online_money_record(
        booking=booking, paid=paid, wording=wording, accepted_at=accepted_at, now=now
    )
    return booking


@transaction.atomic
def online_request_record(
    *, screening: Screening, service: Service, starts_at: datetime
) -> OnlineRequest:
    """A client whose answers need a clinician's review asked for this time online: it
    waits on the staff home page, and the location is told by email (the outbox)."""
    request = OnlineRequest.objects.create(
        client_id=screening.client_id, service=service, starts_at=starts_at, screening=screening
    )
    audit.record(
        Action.CREATED,
        Target.SCREENING,
        screening.pk,
        client=screening.client,
        detail={"online_request": request.pk, "service": service.pk},
    )
    planner.plan_email_now(
        organisation_id=service.location.organisation_id,
        client=screening.client,
        kind=MessageKind.REVIEW_REQUESTED,
        subject=f"review:{screening.pk}:{service.pk}:{starts_at.isoformat()}",
        to=service.location.email,
    )
    return request


@transaction.atomic
def consent_sign_with_copy(
    *,
    client: Client,
    form_version: ConsentFormVersion,
    kind: SignatureKind,
    typed_name: str,
    drawing_png: bytes,
    ip_address: str | None,
    user_agent: str,
) -> SignedConsent:
    """The client's signature and the copy emailed to them, or neither: from the booking
    link and from the clinic's tablet alike."""
    signed = consent_sign(
        client=client,
        form_version=form_version,
        kind=kind,
        typed_name=typed_name,
        drawing_png=drawing_png,
        ip_address=ip_address,
        user_agent=user_agent,
    )
    planner.plan_email_now(
        organisation_id=client.organisation_id,
        client=client,
        kind=MessageKind.CONSENT_COPY,
        subject=f"consent:{signed.public_id}",
        to=client.email,
    )
    return signed
