"""Reads of gift vouchers, always from the organisation's (and the staff member's
locations') scope: the desk's list and search, and the vouchers report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q, QuerySet, Sum

from needlepoint.clients.models import Client
from needlepoint.clinics.models import Location
from needlepoint.payments.queries import days_bounds
from needlepoint.vouchers.choices import RedemptionKind, VoucherStatus
from needlepoint.vouchers.codes import normalise
from needlepoint.vouchers.models import GiftVoucher, VoucherRedemption

LIST_SIZE = 100


def vouchers_at(locations: Sequence[Location] | QuerySet[Location]) -> QuerySet[GiftVoucher]:
    return GiftVoucher.objects.filter(location__in=locations).select_related(
        "buyer", "location", "sale_invoice"
    )


def search(
    locations: Sequence[Location] | QuerySet[Location], typed: str, status: str = ""
) -> QuerySet[GiftVoucher]:
    """The desk's list: by whole code (as typed, any case or dashes), the code's last four,
    or the buyer's name or email; newest first."""
    found = vouchers_at(locations)
    typed = typed.strip()
    if typed:
        code = normalise(typed)
        tail = "".join(char for char in typed.upper() if char.isalnum())
        found = found.filter(
            Q(code=code or "-")
            | Q(code__endswith=tail if len(tail) == 4 else "-")
            | Q(buyer__last_name__icontains=typed)
            | Q(buyer__email__iexact=typed)
            | Q(recipient_name__icontains=typed)
        )
    if status in VoucherStatus.values:
        found = found.filter(status=status)
    return found.order_by("-issued_at", "-pk")


def bought_by(client: Client) -> QuerySet[GiftVoucher]:
    return GiftVoucher.objects.filter(buyer=client).order_by("issued_at", "pk")


# ---- the report ----------------------------------------------------------------------------


@dataclass
class Month:
    month: date  # its first day
    issued_count: int = 0
    issued: int = 0
    redeemed: int = 0  # spent less refunds put back
    expired_unspent: int = 0  # breakage: what was left when they expired


@dataclass
class VoucherFigures:
    currency: str
    months: list[Month] = field(default_factory=list)
    outstanding: int = 0  # still to spend on vouchers that can be spent
    outstanding_count: int = 0
    cancelled: int = 0

    @property
    def issued(self) -> int:
        return sum(month.issued for month in self.months)

    @property
    def issued_count(self) -> int:
        return sum(month.issued_count for month in self.months)

    @property
    def redeemed(self) -> int:
        return sum(month.redeemed for month in self.months)

    @property
    def expired_unspent(self) -> int:
        return sum(month.expired_unspent for month in self.months)


def _first(day: date) -> date:
    return day.replace(day=1)


def figures(
    locations: Sequence[Location], start: date, end: date, today: date, currency: str
) -> VoucherFigures:
    """Issued, redeemed and expired unspent (breakage) by month in ``start``–``end`` (each
    location's own days); the balance still to spend and what was cancelled, as of now."""
    result = VoucherFigures(currency=currency)
    months: dict[date, Month] = {}
    for location in locations:
        since, until = days_bounds(location, start, end)
        zone = location.zone
        sold = GiftVoucher.objects.filter(
            location=location, currency=currency, issued_at__gte=since, issued_at__lt=until
        )
        for voucher in sold.only("issued_at", "initial_minor"):
            month = months.setdefault(
                _first(voucher.issued_at.astimezone(zone).date()), Month(date.min)
            )
            month.issued_count += 1
            month.issued += voucher.initial_minor
        moved = VoucherRedemption.objects.filter(
            voucher__location=location, voucher__currency=currency, at__gte=since, at__lt=until
        )
        for row in moved.only("at", "amount_minor", "kind"):
            month = months.setdefault(_first(row.at.astimezone(zone).date()), Month(date.min))
            sign = 1 if row.kind == RedemptionKind.SPEND else -1
            month.redeemed += sign * row.amount_minor
        lapsed = GiftVoucher.objects.filter(
            location=location,
            currency=currency,
            expires_on__gte=start,
            expires_on__lte=min(end, today - timedelta(days=1)),
            status__in=(VoucherStatus.EXPIRED, VoucherStatus.ACTIVE),
        )
        for voucher in lapsed.only("expires_on", "balance_minor"):
            month = months.setdefault(_first(voucher.expires_on), Month(date.min))
            month.expired_unspent += voucher.balance_minor
    for first, month in sorted(months.items()):
        month.month = first
        result.months.append(month)
    live = GiftVoucher.objects.filter(
        location__in=locations,
        currency=currency,
        status=VoucherStatus.ACTIVE,
        expires_on__gte=today,
    )
    totals = live.aggregate(total=Sum("balance_minor"))
    result.outstanding = int(totals["total"] or 0)
    result.outstanding_count = live.filter(balance_minor__gt=0).count()
    cancelled = GiftVoucher.objects.filter(
        location__in=locations, currency=currency, status=VoucherStatus.CANCELLED
    ).aggregate(total=Sum("balance_minor"))
    result.cancelled = int(cancelled["total"] or 0)
    return result
