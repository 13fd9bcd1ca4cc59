"""A booking's price: the service's own, unless an app above answers lower."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from needlepoint.payments import services
from needlepoint.payments.pricing import Price, booking_priced
from tests import factories

pytestmark = pytest.mark.django_db
AT = datetime(2027, 3, 9, 10, 0, tzinfo=UTC)


@pytest.fixture
def answers():
    given: list[object] = []

    def answer(sender, booking, **kwargs):
        return given.pop(0) if given else None

    booking_priced.connect(answer, dispatch_uid="test.pricing")
    yield given
    booking_priced.disconnect(dispatch_uid="test.pricing")


@pytest.mark.parametrize(
    ("answer", "line"),
    [
        (None, None),
        (Price("Session 2 of 3, course package", 0), ("Session 2 of 3, course package", 0)),
        (Price("Dearer", 10**7), None),
    ],
)
def test_the_lowest_price_goes_on_the_invoice(clinic, answers, answer, line) -> None:
    booking = factories.booked_treatment(clinic, AT)
    answers.append(answer)
    invoice = services.invoice_for_booking(booking=booking)
    own = (booking.service.name, booking.service.price_minor)
    assert list(invoice.lines.values_list("description", "unit_minor")) == [line or own]
