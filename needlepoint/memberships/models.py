"""Memberships: a plan a clinic sells by the month or the year, the clients who hold one,
each period billed (an issued invoice and a charge of the saved card), and the included
sessions used. Amounts are whole minor units of ``currency``.

A membership keeps its own copy of the plan's price and benefits as they were when it
started: changing a plan changes what new members get, never what a member was sold.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from needlepoint.clients.models import Client
from needlepoint.clinics.models import Location, Organisation
from needlepoint.core.models import OrganisationOneToOneField, OrganisationRow
from needlepoint.memberships.choices import (
    LIVE,
    MembershipStatus,
    Period,
    PeriodStatus,
    SessionsEvery,
)
from needlepoint.payments.models import Invoice, Payment, ScheduledCharge
from needlepoint.scheduling.models import Booking, Service


class Benefits(models.Model):
    """What a plan gives, and what a membership was sold (its snapshot)."""

    price_minor = models.PositiveIntegerField(_("price"))
    currency = models.CharField(max_length=3)
    period = models.CharField(_("billed"), max_length=8, choices=Period.choices)
    included_sessions = models.PositiveSmallIntegerField(_("included sessions"), default=0)
    included_service = models.ForeignKey(
        Service, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sessions_every = models.CharField(
        max_length=8, choices=SessionsEvery.choices, default=SessionsEvery.PERIOD
    )
    discount_percent = models.PositiveSmallIntegerField(_("discount on treatments (%)"), default=0)

    class Meta:
        abstract = True


class MembershipPlan(Benefits):
    organisation_path = "organisation"
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="membership_plans"
    )
    name = models.CharField(_("name"), max_length=80)
    active = models.BooleanField(_("on sale"), default=True)
    sold_online = models.BooleanField(_("sold online"), default=False)

    class Meta:
        ordering = ("location", "name")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "location", "name"], name="plan_name_once_per_location"
            ),
            models.CheckConstraint(condition=Q(price_minor__gt=0), name="plan_price_positive"),
            models.CheckConstraint(
                condition=Q(discount_percent__lte=100), name="plan_discount_at_most_100"
            ),
            models.CheckConstraint(
                condition=Q(included_sessions=0) | Q(included_service__isnull=False),
                name="plan_included_sessions_name_a_service",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(Benefits):
    organisation_path = "organisation"
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="memberships")
    plan = models.ForeignKey(MembershipPlan, on_delete=models.PROTECT, related_name="memberships")
    plan_name = models.CharField(max_length=80)
    status = models.CharField(
        max_length=10, choices=MembershipStatus.choices, default=MembershipStatus.ACTIVE
    )
    started_on = models.DateField()
    period_start = models.DateField()
    period_end = models.DateField(help_text="The last day of the current period.")
    cancel_at_period_end = models.BooleanField(default=False)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=300, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("-started_on", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "client", "plan"],
                condition=Q(status__in=LIVE),
                name="one_live_membership_per_client_and_plan",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="membership_period_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(cancelled_at=None) | Q(cancel_reason__gt=""),
                name="cancelled_membership_says_why",
            ),
        ]

    def __str__(self) -> str:
        return self.plan_name

    @property
    def is_live(self) -> bool:
        return self.status in LIVE


class MembershipPeriod(OrganisationRow):
    """One period of a membership and how it is paid: its issued invoice and the charge of
    the saved card (the first period is paid while the client signs up, so it has the
    payment and no charge)."""

    organisation_from = "membership"
    organisation_path = "membership__organisation"
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="periods")
    number = models.PositiveIntegerField(help_text="0 for the first period.")
    starts_on = models.DateField()
    ends_on = models.DateField()
    invoice = OrganisationOneToOneField(Invoice, on_delete=models.PROTECT, related_name="+")
    charge = OrganisationOneToOneField(
        ScheduledCharge, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=8, choices=PeriodStatus.choices, default=PeriodStatus.DUE)

    class Meta:
        ordering = ("membership", "number")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "membership", "number"], name="membership_period_once"
            ),
            models.UniqueConstraint(
                fields=["organisation", "invoice"], name="period_once_per_invoice"
            ),
            models.UniqueConstraint(
                fields=["organisation", "charge"], name="period_once_per_charge"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="period_ends_after_it_starts"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership} {self.starts_on} – {self.ends_on}"


class MembershipUse(OrganisationRow):
    """An included session used: one booking, once, in the allowance window starting on
    ``period`` (the billing period's first day, or the quarter's)."""

    organisation_from = "membership"
    organisation_path = "membership__organisation"
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="uses")
    booking = OrganisationOneToOneField(Booking, on_delete=models.PROTECT, related_name="+")
    period = models.DateField()
    used_at = models.DateTimeField()

    class Meta:
        ordering = ("membership", "period", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "booking"], name="membership_use_once_per_booking"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership} used for {self.booking}"
