"""The voucher's email to its buyer, with the voucher's PDF attached: worded here, sent
through the notifications outbox (which can't import vouchers, so this registers itself)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from needlepoint.notifications.choices import MessageKind
from needlepoint.notifications.models import Message
from needlepoint.notifications.rendering import NothingToSend, Rendered, fixed, renders
from needlepoint.vouchers.models import GiftVoucher
from needlepoint.vouchers.pdf import voucher_pdf


@renders(MessageKind.GIFT_VOUCHER)
def voucher_email(message: Message) -> Rendered:
    voucher = (
        GiftVoucher.objects.select_related("buyer", "location__organisation")
        .filter(public_id=message.subject.partition(":")[2])
        .first()
    )
    if voucher is None:
        raise NothingToSend("The voucher is gone.")
    subject = _("Your gift voucher from %(clinic)s") % {"clinic": voucher.location.name}
    context = {"voucher": voucher, "client": voucher.buyer}
    attachment = (f"gift-voucher-{voucher.code[-4:]}.pdf", voucher_pdf(voucher), "application/pdf")
    return fixed(subject, "vouchers/email/voucher", context, [attachment])
