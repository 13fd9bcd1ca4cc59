"""The membership email, sent through the notifications outbox: the membership lapsed
(each refused try of a period's charge is told by payments, with the day of the next
try). The subject names the membership: ``membership:<public id>:lapsed``."""

from __future__ import annotations

from django.utils.translation import gettext as _

from needlepoint.memberships.models import Membership
from needlepoint.notifications.choices import MessageKind
from needlepoint.notifications.models import Message
from needlepoint.notifications.rendering import NothingToSend, Rendered, fixed, renders


@renders(MessageKind.MEMBERSHIP)
def membership_email(message: Message) -> Rendered:
    _kind, public_id, what = [*message.subject.split(":"), "", ""][:3]
    membership = (
        Membership.objects.select_related("client", "location").filter(public_id=public_id).first()
        if what == "lapsed"
        else None
    )
    if membership is None:
        raise NothingToSend("The membership is gone.")
    subject = _("Your %(plan)s membership has ended") % {"plan": membership.plan_name}
    context = {"membership": membership, "client": membership.client}
    return fixed(subject, "memberships/email/lapsed", context)
