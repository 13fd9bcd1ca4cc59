"""The vouchers' webhooks: ``voucher.issued`` and ``voucher.redeemed``, written in the
change's own transaction. Payloads carry ids and amounts, never the code (whoever holds
it can spend it), names or the message."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from needlepoint.webhooks.events import amount, emit, utc
from needlepoint.webhooks.models import Event

if TYPE_CHECKING:
    from needlepoint.vouchers.models import GiftVoucher, VoucherRedemption


def _voucher(voucher: GiftVoucher) -> dict[str, Any]:
    return {
        "voucher": str(voucher.public_id),
        "buyer": str(voucher.buyer.public_id),
        "location": {"id": str(voucher.location.public_id), "name": voucher.location.name},
        **amount(voucher.initial_minor, voucher.currency, "value"),
        **amount(voucher.balance_minor, voucher.currency, "balance"),
        "expires_on": voucher.expires_on.isoformat(),
        "status": voucher.status,
    }


def voucher_issued(voucher: GiftVoucher) -> int:
    def payload() -> dict[str, Any]:
        return {
            **_voucher(voucher),
            "invoice": str(voucher.sale_invoice.public_id),
            "issued_at": utc(voucher.issued_at),
        }

    return emit(voucher.organisation_id, Event.VOUCHER_ISSUED, payload)


def voucher_redeemed(voucher: GiftVoucher, redemption: VoucherRedemption) -> int:
    def payload() -> dict[str, Any]:
        return {
            **_voucher(voucher),
            **amount(redemption.amount_minor, voucher.currency),
            "invoice": str(redemption.invoice.public_id),
            "payment": str(redemption.payment.public_id),
            "redeemed_at": utc(redemption.at),
        }

    return emit(voucher.organisation_id, Event.VOUCHER_REDEEMED, payload)
