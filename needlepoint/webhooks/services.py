"""Every write about webhook subscriptions: add, edit, rotate the secret, turn off and on,
test, and send a failed delivery again."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from needlepoint.audit import log as audit
from needlepoint.audit.choices import Action, Target
from needlepoint.clinics.models import Organisation
from needlepoint.core.errors import DomainError
from needlepoint.webhooks.events import utc, wake_the_worker
from needlepoint.webhooks.models import (
    SUBSCRIBABLE,
    DeliveryStatus,
    Event,
    WebhookDelivery,
    WebhookSubscription,
    new_secret,
)
from needlepoint.webhooks.targets import checked_address

SECRET_GRACE = timedelta(hours=24)
"""How long the secret a rotation replaced still signs, beside the new one."""


@transaction.atomic
def subscription_create(
    *, organisation: Organisation, url: str, events: Iterable[str]
) -> WebhookSubscription:
    """Subscribe ``url`` to ``events``; its secret is on the returned row, to show once."""
    chosen = _checked(url, events)
    subscription = WebhookSubscription.objects.create(
        organisation=organisation, url=url, events=chosen
    )
    _audit(subscription, Action.CREATED, {"events": chosen})
    return subscription


@transaction.atomic
def subscription_update(
    *, subscription: WebhookSubscription, url: str, events: Iterable[str]
) -> None:
    """A new address or choice of events; deliveries still waiting go to the new address."""
    chosen = _checked(url, events)
    previous_url = subscription.url
    subscription.url, subscription.events = url, chosen
    subscription.save(update_fields=["url", "events"])
    _audit(
        subscription,
        Action.CHANGED,
        {"change": "edited", "previous_url": previous_url, "events": chosen},
    )


@transaction.atomic
def secret_rotate(*, subscription: WebhookSubscription) -> str:
    """A new signing secret, in force at once; the old one signs too for ``SECRET_GRACE``."""
    _require_active(subscription)
    subscription.previous_secret = subscription.secret
    subscription.previous_secret_until = timezone.now() + SECRET_GRACE
    subscription.secret = new_secret()
    subscription.save(update_fields=["secret", "previous_secret", "previous_secret_until"])
    _audit(subscription, Action.CHANGED, {"change": "secret rotated"})
    return subscription.secret


@transaction.atomic
def subscription_deactivate(*, subscription: WebhookSubscription) -> None:
    """Stop sending to it; what was waiting is marked failed."""
    subscription.active = False
    subscription.save(update_fields=["active"])
    subscription.deliveries.filter(status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.FAILED, response_excerpt=_("The subscription was turned off.")
    )
    _audit(subscription, Action.CHANGED, {"change": "turned off"})


@transaction.atomic
def subscription_reactivate(*, subscription: WebhookSubscription) -> None:
    """Send to it again, from the next event on; what failed meanwhile stays failed."""
    turned_on = WebhookSubscription.objects.filter(pk=subscription.pk, active=False).update(
        active=True
    )
    subscription.active = True
    if turned_on:
        _audit(subscription, Action.CHANGED, {"change": "turned on"})


@transaction.atomic
def delivery_resend(*, delivery: WebhookDelivery) -> None:
    """Queue a failed delivery again, due now, with a fresh set of tries.

    The body and its id stay the same, so a receiver that did get it can tell; the
    signature is made afresh when it is posted.
    """
    _require_active(delivery.subscription)
    queued = WebhookDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.FAILED).update(
        status=DeliveryStatus.PENDING,
        attempts=0,
        next_attempt_at=timezone.now(),
        leased_until=None,
        claimed_by="",
    )
    if not queued:
        raise DomainError("not_failed", _("Only a failed delivery can be sent again."))
    detail: dict[str, object] = {
        "change": "delivery sent again",
        "delivery": str(delivery.idempotency_key),
        "event": delivery.event,
    }
    _audit(delivery.subscription, Action.CHANGED, detail)
    wake_the_worker()


@transaction.atomic
def ping_send(*, subscription: WebhookSubscription) -> WebhookDelivery:
    """Queue a ``ping`` to this subscription only, due now."""
    _require_active(subscription)
    now = timezone.now()
    delivery = WebhookDelivery.objects.create(
        subscription=subscription,
        event=Event.PING,
        payload={"message": "A test event from Needlepoint.", "sent_at": utc(now)},
        next_attempt_at=now,
        created_at=now,
    )
    wake_the_worker()
    return delivery


def _checked(url: str, events: Iterable[str]) -> list[str]:
    """The events chosen, in their usual order, once the address is known to be safe."""
    wanted = set(events)
    chosen = [value for value, _label in SUBSCRIBABLE if value in wanted]
    if not chosen:
        raise DomainError("no_events", _("Choose at least one event."), field="events")
    checked_address(url)
    return chosen


def _require_active(subscription: WebhookSubscription) -> None:
    if not subscription.active:
        raise DomainError("webhook_inactive", _("This subscription is turned off."))


def _audit(subscription: WebhookSubscription, action: Action, detail: dict[str, object]) -> None:
    """Recorded against the page (the audit log has no webhook kind); never the secret."""
    audit.record(
        action,
        Target.PAGE,
        f"webhook {subscription.pk}",
        organisation_id=subscription.organisation_id,
        detail={"webhook": subscription.url, **detail},
    )
