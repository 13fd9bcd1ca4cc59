"""The membership emails, sent through the notifications outbox: a period's payment was
refused (and when the card is tried again), and the membership lapsed. The subject names
the membership and what happened: ``membership:<public id>:<what>[:<charge id>]``."""

from __future__ import annotations

from django.utils.translation import gettext as _

from needlepoint.memberships.models import Membership
from needlepoint.notifications.choices import MessageKind
from needlepoint.notifications.models import Message
from needlepoint.notifications.rendering import NothingToSend, Rendered, fixed, renders
from needlepoint.payments.models import ScheduledCharge


@renders(MessageKind.MEMBERSHIP)
def membership_email(message: Message) -> Rendered:
    _kind, public_id, what, *rest = [*message.subject.split(":"), ""][:4]
    membership = (
        Membership.objects.select_related("client", "location").filter(public_id=public_id).first()
        if public_id
        else None
    )
    if membership is None or what not in ("payment_failed", "lapsed"):
        raise NothingToSend("The membership is gone.")
    charge = ScheduledCharge.objects.filter(pk=int(rest[0])).first() if rest[0].isdigit() else None
    values = {"plan": membership.plan_name, "clinic": membership.location.name}
    subject = (
        _("Your %(plan)s membership payment did not go through")
        if what == "payment_failed"
        else _("Your %(plan)s membership has ended")
    ) % values
    context = {
        "membership": membership,
        "client": membership.client,
        "what": what,
        "charge": charge,
        "zone": membership.location.time_zone,
    }
    return fixed(subject, "memberships/email/membership", context)
