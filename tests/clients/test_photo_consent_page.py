"""Staff record a client's consent to marketing photos in the words shown, and its withdrawal."""

from __future__ import annotations

from django.urls import reverse

from needlepoint.audit.models import AuditEvent
from needlepoint.clients.choices import ConsentChannel
from needlepoint.clients.models import MarketingConsent
from needlepoint.clients.photo_consent import photo_consent_wording
from tests import factories


def test_the_front_desk_records_and_withdraws_photo_consent(clinic):
    client = factories.client(clinic.organisation)
    browser = factories.signed_in(clinic.front_desk)
    page = reverse("clients:detail", args=[client.public_id])
    action = reverse("clients:photo_consent", args=[client.public_id])
    assert "Not agreed" in browser.get(page).content.decode()

    unticked = browser.post(action, follow=True).content.decode()
    assert "Tick the box" in unticked
    assert not MarketingConsent.objects.filter(client=client).exists()

    shown = browser.post(action, {"agreed": "yes"}, follow=True).content.decode()
    consent = MarketingConsent.objects.get(client=client, channel=ConsentChannel.PHOTOS)
    assert consent.wording == photo_consent_wording(client)
    assert consent.confirmed_at is not None and consent.withdrawn_at is None
    assert "Agreed" in shown and "Withdraw consent" in shown

    browser.post(action, {"action": "withdraw"})
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert "Not agreed" in browser.get(page).content.decode()
    assert AuditEvent.objects.filter(client=client, target="consent").count() == 2
