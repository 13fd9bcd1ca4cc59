"""The starter catalogue names only areas and indications the rules file knows."""

from needlepoint.clinical import default_rules
from needlepoint.scheduling.choices import ServiceKind
from needlepoint.scheduling.starter import STARTER_SERVICES


def test_every_starter_treatment_names_a_known_area_and_indication():
    rules = default_rules()
    treatments = [s for s in STARTER_SERVICES if s.kind == ServiceKind.TREATMENT]
    assert treatments
    for service in treatments:
        assert service.area in rules.areas, service.name
        assert service.indication in rules.indications, service.name
    assert {s.kind for s in STARTER_SERVICES} == set(ServiceKind.values)
