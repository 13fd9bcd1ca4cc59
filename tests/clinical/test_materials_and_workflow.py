from __future__ import annotations

from datetime import date

from needlepoint.clinical import check_cartridge, check_needling_start

from .helpers import answers, yes

TODAY = date(2025, 7, 14)
GOOD_UNTIL = date(2027, 1, 1)


def test_a_steel_cartridge_is_fine_without_allergies() -> None:
    check = check_cartridge([], "steel", GOOD_UNTIL, TODAY, "C-9", {"C-1"})

    assert check.ok
    assert check.refusals == ()


def test_nickel_allergy_rules_out_plain_steel_and_offers_titanium_or_nickel_free() -> None:
    check = check_cartridge(["ci.nickel_allergy"], "steel", GOOD_UNTIL, TODAY, "C-9", set())

    assert not check.ok
    assert check.alternatives == ("nickel_free_steel", "titanium")


def test_gold_and_nickel_allergies_together_leave_the_materials_both_allow() -> None:
    allergies = ["ci.gold_allergy", "ci.nickel_allergy"]

    check = check_cartridge(allergies, "gold_plated", GOOD_UNTIL, TODAY, "C-9", set())

    assert check.alternatives == ("nickel_free_steel", "titanium")


def test_allergies_can_come_from_the_screening_answers() -> None:
    screening = answers(TODAY, {"ci.gold_allergy": yes()})

    check = check_cartridge(screening, "gold_plated", GOOD_UNTIL, TODAY, "C-9", set())

    assert not check.ok


def test_an_expired_lot_is_refused_but_a_lot_expiring_today_is_not() -> None:
    expired = check_cartridge([], "steel", date(2025, 7, 13), TODAY, "C-9", set())
    last_day = check_cartridge([], "steel", TODAY, TODAY, "C-9", set())

    assert [refusal.key for refusal in expired.refusals] == ["cartridge.expired"]
    assert last_day.ok


def test_every_reason_to_refuse_a_cartridge_is_listed() -> None:
    check = check_cartridge(
        ["ci.gold_allergy"], "gold_plated", date(2025, 1, 1), TODAY, "C-1", ["C-1"]
    )

    assert [refusal.key for refusal in check.refusals] == [
        "material.allergy",
        "cartridge.expired",
        "cartridge.used",
    ]


def test_antisepsis_logged_before_the_anaesthetic_was_removed_does_not_count() -> None:
    check = check_needling_start(["anaesthetic_applied", "antisepsis", "anaesthetic_removed"])

    assert not check.ok
    assert check.missing == ("antisepsis",)


def test_without_numbing_only_antisepsis_is_needed() -> None:
    assert check_needling_start(["cleanse", "antisepsis"], numbed=False).ok
    assert not check_needling_start(["cleanse"], numbed=False).ok
