"""Stored answers keep "still taking it" (``ongoing``); older answers without it still read."""

from __future__ import annotations

from datetime import date

import pytest

from needlepoint.clients.answers import answers_from_json, answers_to_json
from needlepoint.clinical import default_rules
from needlepoint.core.errors import DomainError

TODAY = date(2026, 11, 23)
BORN = date(1990, 4, 2)


def parse(items: dict[str, object]):
    return answers_from_json(items, answered_on=TODAY, date_of_birth=BORN, fitzpatrick=2)


def all_no() -> dict[str, object]:
    return {question.key: {"present": False} for question in default_rules().questions()}


def test_an_ongoing_answer_goes_round_trip_through_json():
    items = all_no() | {
        "ci.isotretinoin_recent": {"present": True, "ongoing": True},
        "ci.topical_retinoid": {
            "present": True,
            "ongoing": True,
            "zones": ["area.face"],
            "variant": "otc",
        },
    }
    parsed = parse(items)
    assert parsed.items["ci.isotretinoin_recent"].ongoing is True
    assert answers_to_json(parsed) == items
    assert parse(answers_to_json(parsed)) == parsed


def test_answers_stored_before_ongoing_existed_still_read_and_are_not_ongoing():
    items = all_no() | {"ci.isotretinoin_recent": {"present": True, "since": "2026-10-01"}}
    parsed = parse(items)
    assert parsed.items["ci.isotretinoin_recent"].ongoing is False
    assert answers_to_json(parsed) == items  # no "ongoing": false is written


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({"present": True, "ongoing": "yes"}, "ongoing: true or false"),
        ({"present": True, "ongoing": True, "since": "2026-10-01"}, "give one or the other"),
        ({"present": False, "ongoing": True}, "cannot be still going on"),
    ],
)
def test_a_malformed_ongoing_answer_is_refused_clearly(answer, message):
    with pytest.raises(DomainError) as refused:
        parse(all_no() | {"ci.isotretinoin_recent": answer})
    assert refused.value.code == "invalid_answers"
    assert message in refused.value.message
    assert refused.value.field == "ci.isotretinoin_recent"
