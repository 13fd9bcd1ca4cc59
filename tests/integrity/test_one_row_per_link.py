"""A one-to-one link (a session's booking, a fee's booking) is unique per organisation,
on (organisation, link) (docs/scaling.md, "Partitioning by organisation"). The row and the
row it links to belong to one organisation, so that is still one row per link, and the
database refuses a second one itself."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from django.apps import apps
from django.db import IntegrityError, models, transaction

from needlepoint.core.models import (
    OrganisationMismatchError,
    OrganisationOneToOneField,
)
from needlepoint.core.money import Money
from needlepoint.imports.models import ImportedBooking
from needlepoint.memberships.models import MembershipPeriod, MembershipUse
from needlepoint.packages.models import Package, Redemption
from needlepoint.payments import services as money
from needlepoint.payments.choices import FeeKind, Method
from needlepoint.payments.models import (
    DepositRule,
    Fee,
    Payment,
    PolicyAcceptance,
    SavedCard,
    ScheduledCharge,
)
from needlepoint.treatments.models import Countersignature, Outcome, TreatmentSession
from tests import factories
from tests.memberships.helpers import AT, PRICE, member, plan
from tests.packages.test_package_rules import sell, sessions_of

VISIT = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)  # a Tuesday

LINKS = sorted(
    (model._meta.label, field.name)
    for model in apps.get_models()
    for field in model._meta.concrete_fields
    if isinstance(field, OrganisationOneToOneField)
)
LINK_FIELDS = {
    apps.get_model(label): [
        field
        for field in apps.get_model(label)._meta.concrete_fields
        if isinstance(field, OrganisationOneToOneField)
    ]
    for label, _ in LINKS
}


def test_every_one_to_one_of_a_clinic_table_is_unique_per_organisation():
    assert LINKS == [
        ("imports.ImportedBooking", "booking"),
        ("memberships.MembershipPeriod", "charge"),
        ("memberships.MembershipPeriod", "invoice"),
        ("memberships.MembershipUse", "booking"),
        ("packages.Package", "course"),
        ("packages.Package", "transferred_from"),
        ("packages.Redemption", "booking"),
        ("payments.DepositRule", "service"),
        ("payments.Fee", "booking"),
        ("payments.PaymentPolicy", "location"),
        ("payments.PolicyAcceptance", "booking"),
        ("payments.SavedCard", "client"),
        ("treatments.Countersignature", "session"),
        ("treatments.Outcome", "session"),
        ("treatments.TreatmentSession", "booking"),
    ]
    plain = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.OneToOneField)
        and not isinstance(field, OrganisationOneToOneField)
        and field.name != "organisation"
        and model._meta.app_config.name.startswith("needlepoint.")
    ]
    assert plain == ["clinics.StaffMember.user"]  # a person works for one organisation


def copy_of(row: models.Model) -> models.Model:
    """The same row again under a new primary key (and new public id)."""
    model = type(row)
    values = {
        field.attname: getattr(row, field.attname)
        for field in model._meta.concrete_fields
        if not field.primary_key and field.name != "public_id"
    }
    return model(**values)


def refused(write: Callable[[], object]) -> str:
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        write()
    return str(error.value)


def second_row_for_the_link(model: type[models.Model], link: str) -> str | None:
    """Give the link of one row to a second row of its organisation: a copy of the row
    (its other links emptied), or where another link can't be empty, another row of the
    model made to point at it."""
    field = model._meta.get_field(link)
    first = model._base_manager.filter(**{f"{link}__isnull": False}).first()
    if first is None:
        return None
    copy = copy_of(first)
    if hasattr(copy, "number"):
        copy.number = 99  # not another period, or session, of the same membership or package
    if hasattr(copy, "fingerprint"):
        copy.fingerprint = "another row of the file"
    others = [f for f in LINK_FIELDS[model] if f != field]
    if all(other.null for other in others):
        for other in others:
            setattr(copy, other.attname, None)
        return refused(lambda: model._base_manager.bulk_create([copy]))
    rows = model._base_manager.filter(organisation_id=first.organisation_id)
    second = rows.exclude(pk=first.pk).first()
    if second is None:
        return None
    update = {field.attname: getattr(first, field.attname)}
    return refused(lambda: rows.filter(pk=second.pk).update(**update))


@pytest.fixture
def every_link(clinic):
    """A row of each link: the rows services write (a chart, a package, a member), and the
    others written directly (the question is only what the database accepts next)."""
    user = clinic.practitioner.user
    chart = factories.open_chart(clinic, VISIT)
    Outcome.objects.create(session=chart, recorded_by=user, recorded_at=VISIT)
    Countersignature.objects.create(session=chart, by=user, at=VISIT)
    booking = chart.booking
    Fee.objects.create(
        booking=booking, kind=FeeKind.NO_SHOW, amount_minor=0, currency="GBP", created_at=VISIT
    )
    PolicyAcceptance.objects.create(
        booking=booking, wording="Policy", currency="GBP", accepted_at=VISIT
    )
    ImportedBooking.objects.create(
        organisation=clinic.organisation, booking=booking, fingerprint="f"
    )
    SavedCard.objects.create(
        client=booking.client, stripe_customer="cus_1", stripe_payment_method="pm_1", saved_at=VISIT
    )
    money.policy_for(clinic.location)
    DepositRule.objects.create(location=clinic.location, service=booking.service)

    face = factories.service(clinic.location)
    given, received = (
        sell(clinic, face, factories.screened_client(clinic.organisation)) for _ in range(2)
    )
    Package.objects.filter(pk=received.pk).update(transferred_from=given)
    Redemption.objects.create(
        package=given, booking=sessions_of(given)[0], number=1, value_minor=15000, at=VISIT
    )

    gold = plan(clinic)
    first, second = member(gold), member(gold)
    period = first.periods.get()
    charge = ScheduledCharge.objects.create(
        organisation=clinic.organisation,
        location=clinic.location,
        client=first.client,
        invoice=period.invoice,
        amount_minor=PRICE,
        currency="GBP",
        due_on=AT.date(),
        next_try_at=AT,
        key="charge-1",
        created_at=AT,
    )
    MembershipPeriod.objects.filter(pk=period.pk).update(charge=charge)
    MembershipUse.objects.create(
        membership=second, booking=sessions_of(received)[0], period=AT.date(), used_at=AT
    )
    return clinic


def test_the_database_refuses_a_second_row_for_the_same_link(every_link):
    """Each link, refused by the (organisation, link) constraint itself."""
    checked = []
    for label, link in LINKS:
        model = apps.get_model(label)
        message = second_row_for_the_link(model, link)
        constraint = next(
            c.name
            for c in model._meta.constraints
            if isinstance(c, models.UniqueConstraint) and list(c.fields) == ["organisation", link]
        )
        column = f"{model._meta.db_table}.{model._meta.get_field(link).column}"
        # PostgreSQL names the constraint; SQLite names its columns.
        assert message is not None and (constraint in message or column in message), (
            label,
            message,
        )
        checked.append(f"{label}.{link}")
    assert len(checked) == len(LINKS) == 15


def test_many_rows_may_have_no_link(clinic):
    """A composite unique with an empty link is not a clash: as many as before."""
    another = factories.location(clinic.organisation, name="Quay Road")
    for location in (clinic.location, another):
        DepositRule.objects.create(location=location, service=None)
    client = factories.client(clinic.organisation)
    for performed_on in (date(2026, 10, 1), date(2026, 10, 2)):
        TreatmentSession.objects.create(
            client=client,
            location=clinic.location,
            practitioner=clinic.practitioner,
            indication="ind.acne_scars",
            performed_on=performed_on,
        )
    assert DepositRule.objects.filter(organisation=clinic.organisation, service=None).count() == 2
    assert TreatmentSession.objects.filter(client=client, booking=None).count() == 2


def test_a_row_linked_to_another_organisations_row_is_refused(clinic, other_clinic):
    elsewhere = factories.service(other_clinic.location)
    with pytest.raises(OrganisationMismatchError), transaction.atomic():
        DepositRule.objects.create(location=clinic.location, service=elsewhere)
    booking = factories.booked_treatment(other_clinic, VISIT)
    with pytest.raises(OrganisationMismatchError), transaction.atomic():
        ImportedBooking.objects.create(
            organisation=clinic.organisation, booking=booking, fingerprint="f" * 64
        )
    assert not DepositRule.objects.filter(service=elsewhere).exists()
    assert not ImportedBooking.objects.exists()


def test_a_payment_key_is_unique_per_organisation(clinic, other_clinic):
    """The same desk key in two clinics takes two payments; twice in one clinic, one, and
    the database refuses a second row with it."""
    taken = {}
    for each in (clinic, other_clinic, clinic):
        taken.setdefault(each.organisation.pk, []).append(
            money.payment_take(
                location=each.location,
                client=factories.client(each.organisation),
                amount=Money(2000, "GBP"),
                method=Method.CASH,
                by=each.front_desk.user,
                key="desk-1",
                now=VISIT,
            )
        )
    ours, theirs = taken[clinic.organisation.pk], taken[other_clinic.organisation.pk]
    assert ours[0] == ours[1] and theirs[0] != ours[0]
    assert theirs[0].organisation == other_clinic.organisation
    copy = copy_of(ours[0])
    assert "idempotency_key" in refused(lambda: Payment.objects.bulk_create([copy]))
