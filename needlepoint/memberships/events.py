"""The membership webhooks: started, renewed (a period paid), payment_failed (a charge
refused, to be tried again) and ended (cancelled or lapsed). Payloads carry ids, the plan,
the status and amounts; never a name or a reason, which may be personal."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from needlepoint.webhooks.events import amount, emit
from needlepoint.webhooks.models import Event

if TYPE_CHECKING:
    from needlepoint.memberships.models import Membership, MembershipPeriod

STARTED = Event.MEMBERSHIP_STARTED
RENEWED = Event.MEMBERSHIP_RENEWED
PAYMENT_FAILED = Event.MEMBERSHIP_PAYMENT_FAILED
ENDED = Event.MEMBERSHIP_ENDED


def membership_event(
    membership: Membership, event: Event, period: MembershipPeriod | None = None
) -> int:
    def payload() -> dict[str, Any]:
        data: dict[str, Any] = {
            "membership": str(membership.public_id),
            "client": str(membership.client.public_id),
            "plan": {"id": str(membership.plan.public_id), "name": membership.plan_name},
            "location": {
                "id": str(membership.location.public_id),
                "name": membership.location.name,
            },
            "status": membership.status,
            "period": membership.period,
            **amount(membership.price_minor, membership.currency, "price"),
            "started_on": membership.started_on.isoformat(),
            "period_start": membership.period_start.isoformat(),
            "period_end": membership.period_end.isoformat(),
            "ended_on": membership.ended_on.isoformat() if membership.ended_on else None,
        }
        if period is not None:
            data["invoice"] = str(period.invoice.public_id)
        return data

    return emit(membership.organisation_id, event, payload)
