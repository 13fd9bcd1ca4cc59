"""An erased client keeps no link to their id in the clinic's previous system."""

from __future__ import annotations

from needlepoint.imports.models import ExternalClientId
from needlepoint.privacy.erasure import erasure_request
from tests import factories


def test_erasure_removes_the_previous_systems_id(clinic):
    client = factories.client(clinic.organisation)
    ExternalClientId.objects.create(
        organisation=clinic.organisation, external_id="OLD-1042", client=client
    )
    erasure_request(client, by=clinic.owner.user, reason="The client asked us to.")
    assert not ExternalClientId.objects.filter(external_id="OLD-1042").exists()
