"""Every write about webhook subscriptions: add, rotate the secret, turn off, test."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

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


@transaction.atomic
def subscription_create(
    *, organisation: Organisation, url: str, events: Iterable[str]
) -> WebhookSubscription:
    """Subscribe ``url`` to ``events``; its secret is on the returned row, to show once."""
    chosen = [value for value, _ in SUBSCRIBABLE if value in set(events)]
    if not chosen:
        raise DomainError("no_events", "Choose at least one event.", field="events")
    checked_address(url)
    subscription = WebhookSubscription.objects.create(
        organisation=organisation, url=url, events=chosen
    )
    _audit(subscription, Action.CREATED, {"events": chosen})
    return subscription


@transaction.atomic
def secret_rotate(*, subscription: WebhookSubscription) -> str:
    """A new signing secret, in force at once for every delivery not yet sent."""
    _require_active(subscription)
    subscription.secret = new_secret()
    subscription.save(update_fields=["secret"])
    _audit(subscription, Action.CHANGED, {"change": "secret rotated"})
    return subscription.secret


@transaction.atomic
def subscription_deactivate(*, subscription: WebhookSubscription) -> None:
    """Stop sending to it; what was waiting is marked failed."""
    subscription.active = False
    subscription.save(update_fields=["active"])
    subscription.deliveries.filter(status=DeliveryStatus.PENDING).update(
        status=DeliveryStatus.FAILED, response_excerpt="The subscription was turned off."
    )
    _audit(subscription, Action.CHANGED, {"change": "turned off"})


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
    transaction.on_commit(wake_the_worker)
    return delivery


def _require_active(subscription: WebhookSubscription) -> None:
    if not subscription.active:
        raise DomainError("webhook_inactive", "This subscription is turned off.")


def _audit(subscription: WebhookSubscription, action: Action, detail: dict[str, object]) -> None:
    """Recorded against the page (the audit log has no webhook kind); never the secret."""
    audit.record(
        action,
        Target.PAGE,
        f"webhook {subscription.pk}",
        organisation_id=subscription.organisation_id,
        detail={"webhook": subscription.url, **detail},
    )
