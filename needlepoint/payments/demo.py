"""The demo clinic's money set-up, through the same services Settings uses: legal details
for its invoices, prices that include tax (0% on treatments), a no-show and a
late-cancellation fee, and a 20% deposit for treatments. No Stripe keys: card steps stay
off until an owner adds the clinic's own."""

from __future__ import annotations

from needlepoint.clinics.models import Location, StaffMember
from needlepoint.core.money import Money
from needlepoint.payments.billing import (
    DepositChoice,
    billing_update,
    deposit_rules_set,
    payment_policy_update,
)
from needlepoint.payments.choices import ClinicalRefund, DepositKind
from needlepoint.scheduling.choices import ServiceKind
from needlepoint.scheduling.models import Service

LEGAL_NAME = "Harbour Skin Clinic Ltd"
INVOICE_NOTE = "Registered in England and Wales, company no. 09876543. Thank you for choosing us."


def load(location: Location, owner: StaffMember) -> None:
    organisation = location.organisation
    currency = organisation.currency
    billing_update(
        organisation=organisation,
        by=owner,
        legal_name=LEGAL_NAME,
        address=location.address,
        tax_number="GB 123 4567 89",
        prices_include_tax=True,
        invoice_note=INVOICE_NOTE,
    )
    payment_policy_update(
        location=location,
        no_show_fee=Money(2500, currency),
        late_cancel_fee=Money(1500, currency),
        charge_fees_automatically=False,
        clinical_refund=ClinicalRefund.REFUND,
        cancellation_wording="",  # the wording made from the fees
    )
    no_deposit = DepositChoice(DepositKind.NONE)
    rules: dict[Service | None, DepositChoice | None] = {
        None: DepositChoice(DepositKind.PERCENT, percent=20)
    }
    for service in location.services.exclude(kind=ServiceKind.TREATMENT):
        rules[service] = no_deposit  # consultations and patch tests: nothing to pay ahead
    deposit_rules_set(location=location, rules=rules)
