"""An online booking with a deposit, end to end on our side, against the same online
booking without one, interleaved on the same connection and the same data.

With a deposit the server makes the card step (a Stripe customer and a SetupIntent), then
confirms: asks Stripe how the card step went, charges the deposit (a PaymentIntent),
books, and records the deposit, the saved card and the accepted policy. The browser's
part (Stripe.js saving the card) is Stripe's work, not ours: it is done untimed, with the
SDK, between the two. Without a deposit the same confirm books and records the accepted
policy. Stripe is localstripe on this machine, so the ratio counts its round trips as
local ones: real Stripe adds its network time on top, which no code of ours can remove.
"""

from __future__ import annotations

import time
from datetime import datetime

from bench.data import NOW, Place
from bench.scheduling import WARM_UP, rate, service_of, summary, timed
from needlepoint.clients.models import Client

SECRET = "sk_test_needlepoint_bench"


def measure_deposit_booking(place: Place, clients: list[Client], server: str) -> dict[str, object]:
    import stripe
    from django.conf import settings

    from needlepoint.payments import online
    from needlepoint.payments.billing import cancellation_wording
    from needlepoint.payments.choices import DepositKind
    from needlepoint.payments.keys import seal
    from needlepoint.payments.models import DepositRule
    from needlepoint.payments.services import billing_for
    from needlepoint.public.services import online_booking_confirm

    settings.STRIPE_API_BASE = server
    service = service_of(place)
    organisation = service.location.organisation
    billing = billing_for(organisation)
    billing.stripe_publishable_key = "pk_test_needlepoint_bench"
    billing.stripe_secret_key = seal(SECRET)
    billing.save()
    wording = cancellation_wording(service.location)
    browser = stripe.StripeClient(SECRET, base_addresses={"api": server})
    starts = online_starts(service)

    def without_deposit(client: Client, at: datetime) -> None:
        online_booking_confirm(
            client=client, service=service, starts_at=at, wording=wording, accepted_at=NOW, now=NOW
        )

    def with_deposit(client: Client, at: datetime) -> float:
        begun = time.perf_counter()
        step = online.card_step_start(
            client=client, customer="", setup_intent="", key=f"bench-{client.pk}"
        )
        middle = time.perf_counter()
        browser.v1.setup_intents.confirm(  # Stripe.js's part, untimed
            step.setup.stripe_id, params={"payment_method": "pm_card_visa"}
        )
        resumed = time.perf_counter()
        online_booking_confirm(
            client=client,
            service=service,
            starts_at=at,
            wording=wording,
            accepted_at=NOW,
            setup_intent=step.setup.stripe_id,
            now=NOW,
        )
        return (middle - begun + time.perf_counter() - resumed) * 1000

    plain_times, deposit_times = [], []
    for n, (plain, paying) in enumerate(zip(clients[0::2], clients[1::2], strict=False)):
        DepositRule.objects.filter(location=service.location).delete()
        plain_time = timed(lambda plain=plain: without_deposit(plain, next(starts)))
        DepositRule.objects.create(location=service.location, kind=DepositKind.PERCENT, percent=20)
        deposit_time = with_deposit(paying, next(starts))
        if n >= WARM_UP:
            plain_times.append(plain_time)
            deposit_times.append(deposit_time)
    DepositRule.objects.filter(location=service.location).delete()
    return {
        "online_booking": summary(plain_times) | rate(plain_times),
        "online_booking_with_deposit": summary(deposit_times) | rate(deposit_times),
    }


def online_starts(service):  # type: ignore[no-untyped-def]
    """The earliest time the online pages offer after the last one given."""
    from datetime import timedelta

    from needlepoint.scheduling.choices import Channel
    from needlepoint.scheduling.queries import available_slots

    day, after = NOW.astimezone(service.location.zone).date(), NOW
    while True:
        offered = available_slots(service, day, day, now=NOW, channel=Channel.ONLINE)
        later = [slot.start for slot in offered if slot.start > after]
        if later:
            after = later[0]
            yield after
        else:
            day += timedelta(days=1)
