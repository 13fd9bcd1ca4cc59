"""The clinical engine's reasons, refusals and checks in words, in English, Spanish and German.

The engine returns message codes and language-neutral values (dates, numbers, keys); the
web layer (needlepoint.clinics.clinical_wording) words them in the active language with
gettext, Babel's long dates and Babel's lists.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from django.utils import translation

from needlepoint.clinical import (
    Answer,
    History,
    Reason,
    SessionRecord,
    check_cartridge,
    check_depth,
    check_needling_start,
    next_session_date,
    parse_duration,
    reason_from_json,
    reason_to_json,
    screen,
)
from needlepoint.clinics.clinical_wording import (
    clinical_text,
    duration_words,
    long_date,
    rule_text,
    rules_messages,
    word_list,
)
from tests.clinical.helpers import answers

ENGLISH_WORDS = ("We can treat", "treated on", "after", "months", "Too early", "session")


def in_language(language: str, thing: object) -> str:
    with translation.override(language):
        return clinical_text(thing)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en-gb", "14 March 2025"), ("es", "14 de marzo de 2025"), ("de", "14. März 2025")],
)
def test_long_dates_read_in_the_language(language: str, expected: str) -> None:
    with translation.override(language):
        assert long_date(date(2025, 3, 14)) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en-gb", "a, b and c"), ("es", "a, b y c"), ("de", "a, b und c")],
)
def test_lists_read_in_the_language(language: str, expected: str) -> None:
    with translation.override(language):
        assert word_list(["a", "b", "c"]) == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en-gb", "P1D", "1 day"),
        ("en-gb", "P1Y3D", "1 year and 3 days"),
        ("es", "P1D", "1 día"),
        ("es", "P6M", "6 meses"),
        ("es", "P1M2W", "1 mes y 2 semanas"),
        ("de", "P1Y", "1 Jahr"),
        ("de", "P14D", "2 Wochen"),
        ("de", "P1Y3D", "1 Jahr und 3 Tage"),
    ],
)
def test_durations_count_in_the_language(language: str, text: str, expected: str) -> None:
    with translation.override(language):
        assert duration_words(parse_duration(text)) == expected


def _isotretinoin_wait() -> Reason:
    screening = answers(
        date(2025, 6, 1), {"ci.isotretinoin_recent": Answer(True, since=date(2025, 1, 10))}
    )
    result = screen(screening, date(2025, 6, 1), zones=["area.face"])
    (reason,) = [r for r in result.reasons if r.key == "ci.isotretinoin_recent"]
    return reason


def test_the_engine_returns_keys_and_values_and_no_english() -> None:
    reason = _isotretinoin_wait()

    assert reason.code == "ci.wait"
    assert reason.until == date(2025, 7, 10)
    assert dict(reason.params) == {"whom": "you", "wait": "P6M", "signoff": False}
    texts = [value for value in reason.params.values() if isinstance(value, str)]
    assert not any(word in text for text in texts for word in ENGLISH_WORDS)
    assert not hasattr(reason, "message")


def test_a_wait_reads_in_english_spanish_and_german() -> None:
    reason = _isotretinoin_wait()

    assert in_language("en-gb", reason) == (
        "We can treat you from 10 July 2025, 6 months after your last dose of isotretinoin."
    )
    assert in_language("es", reason) == (
        "Podremos tratar su piel a partir del 10 de julio de 2025, 6 meses después de su "
        "última dosis de isotretinoína."
    )
    assert in_language("de", reason) == (
        "Wir können Sie ab dem 10. Juli 2025 behandeln, 6 Monate nach Ihrer letzten "
        "Einnahme von Isotretinoin."
    )


def test_a_stored_reason_is_worded_at_read_time_and_old_rows_keep_their_text() -> None:
    reason = _isotretinoin_wait()
    stored = reason_to_json(reason)

    assert reason_from_json(stored) == reason
    assert "10 de julio de 2025" in in_language("es", stored)
    old = {"key": "ci.pregnancy", "severity": "deferred", "message": "Written long ago."}
    assert in_language("de", old) == "Written long ago."


def test_the_interval_and_its_refusal_in_three_languages() -> None:
    history = History(
        sessions=(
            SessionRecord(
                date(2025, 3, 1), "ind.acne_scars", {"zone.cheeks": 1.5, "zone.chin": 1.5}
            ),
        )
    )
    eligibility = next_session_date(history, ["zone.cheeks", "zone.chin"], "ind.acne_scars")
    (reason,) = eligibility.reasons
    refusal = eligibility.refusal(date(2025, 3, 10))

    assert in_language("en-gb", reason) == (
        "Cheeks and Chin treated on 1 March 2025: earliest allowed 2025-03-29 "
        "(28 days, interval.dermal)."
    )
    assert in_language("es", reason).startswith("Mejillas y Mentón tratado el 1 de marzo de 2025")
    assert in_language("de", reason).startswith("Wangen und Kinn behandelt am 1. März 2025")
    assert in_language("en-gb", refusal) == "Too early: earliest allowed 2025-03-29."
    assert in_language("de", refusal) == "Zu früh: frühestens erlaubt am 2025-03-29."


@pytest.mark.parametrize(
    ("language", "per_year", "expected"),
    [
        ("en-gb", 1, "up to 1 session in any 12 months"),
        ("en-gb", 2, "up to 2 sessions in any 12 months"),
        ("es", 1, "hasta 1 sesión en cualquier periodo de 12 meses"),
        ("es", 2, "hasta 2 sesiones en cualquier periodo de 12 meses"),
        ("de", 1, "bis zu 1 Sitzung in beliebigen 12 Monaten"),
        ("de", 2, "bis zu 2 Sitzungen in beliebigen 12 Monaten"),
    ],
)
def test_maintenance_counts_sessions_in_the_plural_of_the_language(
    language: str, per_year: int, expected: str
) -> None:
    reason = Reason(
        "course.maintenance",
        "deferred",
        "course.maintenance",
        {"course_max": 6, "per_year": per_year},
        date(2026, 7, 1),
        ("zone.cheeks",),
    )
    assert expected in in_language(language, reason)


def test_depth_and_cartridge_checks_in_spanish_and_german() -> None:
    too_deep = check_depth("zone.forehead", "ind.acne_scars", 1.5)
    used = check_cartridge((), "steel", date(2026, 1, 1), date(2025, 6, 1), "C-1", {"C-1"})

    assert in_language("en-gb", too_deep) == "1.5 mm is too deep for the forehead: cap 1 mm."
    assert in_language("es", too_deep) == (
        "1,5 mm es demasiado profundo para la zona frente: límite 1 mm."
    )
    assert in_language("de", too_deep) == "1,5 mm ist zu tief für die Zone Stirn: Grenze 1 mm."
    assert in_language("de", used.refusals[0]) == "Die Kartusche C-1 wurde bereits verwendet."
    start = check_needling_start(["consent"])
    assert in_language("en-gb", start) == (
        "Log anaesthetic removed and antisepsis before needling."
    )
    assert in_language("es", start) == (
        "Registre anestésico retirado y antisepsia antes del tratamiento con agujas."
    )


def test_the_rules_texts_are_the_clinical_catalogues_messages() -> None:
    messages = dict(rules_messages())

    assert messages["Are you pregnant?"] == "clinical rules"
    assert "Cheeks" in messages and "your last dose of isotretinoin" in messages
    with translation.override("es"):
        assert rule_text("Are you pregnant?") == "¿Está embarazada?"
    with translation.override("de"):
        assert rule_text("Cheeks") == "Wangen"


def test_an_engine_reason_is_a_frozen_value() -> None:
    reason = _isotretinoin_wait()
    with pytest.raises(dataclasses.FrozenInstanceError):
        reason.code = "other"  # type: ignore[misc]
