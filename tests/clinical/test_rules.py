from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from needlepoint.clinical import (
    InvalidOverride,
    InvalidRules,
    Outcome,
    Rules,
    default_rules,
    load_rules,
    screen,
)

from .helpers import answers, yes

RULES_FILE = Path(__file__).parents[2] / "needlepoint" / "clinical" / "rules.toml"

# Transcribed from the reference: §2 indications, §3 zones, §4 contraindications, §8 events.
INDICATIONS = [
    "wrinkles_fine_lines", "acne_scars", "surgical_scars", "hyperpigmentation", "stretch_marks",
    "enlarged_pores", "sun_damage", "skin_laxity", "alopecia", "blackheads", "burn_scars",
]  # fmt: skip
ZONES = [
    "forehead", "temples", "periorbital", "eyelids", "nose", "cheeks", "perioral", "chin",
    "jawline", "neck", "decolletage", "scalp", "abdomen", "thighs", "buttocks", "arms", "back",
    "hands",
]  # fmt: skip
CONTRAINDICATIONS = [
    "malignancy_area", "bleeding_disorder", "keloid_history", "isotretinoin_recent", "pregnancy",
    "breastfeeding", "sunburn_area", "recent_tan", "active_infection_area", "hsv_active",
    "hsv_history", "inflammatory_acne_area", "dermatosis_flare_area", "koebner_disease",
    "open_wound_area", "warts_moles_area", "anticoagulant", "antiplatelet_nsaid",
    "diabetes_uncontrolled", "immunosuppression", "chemotherapy_active", "radiation_area",
    "autoimmune_ctd", "chemical_peel_recent", "laser_recent", "filler_recent_area",
    "neurotoxin_recent_area", "topical_retinoid", "hair_removal_recent_area",
    "surgery_recent_area", "gold_allergy", "nickel_allergy", "anaesthetic_allergy",
    "photosensitising_drug", "fitzpatrick_iv_vi", "minor",
]  # fmt: skip
ADVERSE_EVENTS = [
    "erythema_prolonged", "oedema", "bruising", "pih", "infection_bacterial", "hsv_reactivation",
    "contact_dermatitis", "acneiform_milia", "granuloma", "tram_track_scar", "lymphadenopathy",
    "anaesthetic_toxicity", "vasovagal",
]  # fmt: skip


def test_the_shipped_rules_carry_their_version(rules: Rules) -> None:
    assert rules.version == "2026.11.1"
    assert rules.overrides == {}


def test_the_shipped_rules_are_loaded_once() -> None:
    assert default_rules() is default_rules()


def test_every_key_of_the_reference_is_in_the_rules(rules: Rules) -> None:
    assert list(rules.indications) == [f"ind.{key}" for key in INDICATIONS]
    assert list(rules.zones) == [f"zone.{key}" for key in ZONES]
    assert list(rules.contraindications) == [f"ci.{key}" for key in CONTRAINDICATIONS]
    assert list(rules.adverse_events) == [f"ae.{key}" for key in ADVERSE_EVENTS]


def test_zone_caps_are_the_hard_stops_of_the_reference(rules: Rules) -> None:
    caps = {key.removeprefix("zone."): zone.max_depth_mm for key, zone in rules.zones.items()}

    assert caps == {
        "forehead": 1.0, "temples": 1.0, "periorbital": 0.5, "eyelids": 0.25, "nose": 1.0,
        "cheeks": 2.0, "perioral": 1.0, "chin": 1.5, "jawline": 1.5, "neck": 1.0,
        "decolletage": 1.0, "scalp": 1.5, "abdomen": 2.5, "thighs": 2.5, "buttocks": 2.5,
        "arms": 1.5, "back": 2.5, "hands": 0.5,
    }  # fmt: skip


def test_eyelids_are_clinician_only_and_not_treated_by_default(rules: Rules) -> None:
    eyelids = rules.zone("zone.eyelids")

    assert eyelids.clinician_only
    assert not eyelids.treated_by_default
    assert "zone.eyelids" not in rules.area_zones("area.face")


def test_the_face_area_is_every_face_zone_but_the_eyelids(rules: Rules) -> None:
    face = set(rules.face_zones()) - {"zone.eyelids"}

    assert set(rules.area_zones("area.face")) == face
    assert set(rules.area_zones("area.face_neck")) == face | {"zone.neck"}
    assert rules.area_zones("area.neck_decolletage") == ("zone.neck", "zone.decolletage")


def test_a_single_zone_key_works_wherever_an_area_does(rules: Rules) -> None:
    assert rules.area_zones("zone.cheeks") == ("zone.cheeks",)
    assert rules.zones_of(["area.scalp", "zone.cheeks", "zone.scalp"]) == (
        "zone.cheeks",
        "zone.scalp",
    )


def test_only_ageing_indications_and_alopecia_have_maintenance(rules: Rules) -> None:
    maintenance = {
        key: indication.maintenance_per_year
        for key, indication in rules.indications.items()
        if indication.maintenance_per_year
    }

    assert maintenance == {
        "ind.wrinkles_fine_lines": 2,
        "ind.sun_damage": 2,
        "ind.skin_laxity": 2,
        "ind.alopecia": 12,
    }


def test_depth_ranges_follow_the_zone_when_the_reference_gives_one(rules: Rules) -> None:
    wrinkles = rules.indication("ind.wrinkles_fine_lines")
    laxity = rules.indication("ind.skin_laxity")

    assert wrinkles.depth_range(rules.zone("zone.periorbital")) == (0.25, 0.5)
    assert wrinkles.depth_range(rules.zone("zone.cheeks")) == (0.5, 1.5)
    assert laxity.depth_range(rules.zone("zone.neck")) == (1.0, 2.0)
    assert laxity.depth_range(rules.zone("zone.abdomen")) == (1.5, 2.5)


def test_the_interval_rule_defaults_to_28_14_and_7_days(rules: Rules) -> None:
    interval = rules.interval

    assert interval.days_after("zone.cheeks", 0.31, "ind.acne_scars", "ind.acne_scars")[2] == 28
    assert interval.days_after("zone.cheeks", 0.3, "ind.acne_scars", "ind.acne_scars")[2] == 14
    assert interval.days_after("zone.scalp", 1.5, "ind.alopecia", "ind.alopecia")[2] == 7
    assert interval.days_after("zone.scalp", 1.5, "ind.alopecia", "ind.skin_laxity")[2] == 28


def test_contraindication_classes_match_the_reference(rules: Rules) -> None:
    def keys(category: str) -> set[str]:
        cis = rules.contraindications.values()
        return {ci.key.removeprefix("ci.") for ci in cis if ci.category == category}

    assert keys("absolute") == {"malignancy_area", "bleeding_disorder", "keloid_history"}
    assert keys("precaution") == {"fitzpatrick_iv_vi"}
    assert keys("temporary") == {
        "isotretinoin_recent", "pregnancy", "sunburn_area", "recent_tan", "active_infection_area",
        "hsv_active", "inflammatory_acne_area", "dermatosis_flare_area", "open_wound_area",
        "chemotherapy_active", "radiation_area", "chemical_peel_recent", "laser_recent",
        "filler_recent_area", "neurotoxin_recent_area", "topical_retinoid",
        "hair_removal_recent_area", "surgery_recent_area",
    }  # fmt: skip


def test_waits_and_variants_match_the_reference(rules: Rules) -> None:
    waits = {
        key: str(ci.wait) for key, ci in rules.contraindications.items() if ci.wait is not None
    }
    variants = {
        f"{key}.{name}": str(variant.wait)
        for key, ci in rules.contraindications.items()
        for name, variant in ci.variants.items()
    }

    assert waits == {
        "ci.isotretinoin_recent": "P6M", "ci.sunburn_area": "P14D", "ci.recent_tan": "P14D",
        "ci.hsv_active": "P14D", "ci.dermatosis_flare_area": "P14D",
        "ci.open_wound_area": "P14D", "ci.radiation_area": "P12M",
        "ci.filler_recent_area": "P28D", "ci.neurotoxin_recent_area": "P14D",
        "ci.hair_removal_recent_area": "P7D", "ci.surgery_recent_area": "P3M",
    }  # fmt: skip
    assert variants == {
        "ci.chemical_peel_recent.superficial": "P14D",
        "ci.chemical_peel_recent.medium_deep": "P28D",
        "ci.laser_recent.non_ablative": "P28D",
        "ci.laser_recent.ablative": "P3M",
        "ci.topical_retinoid.prescription": "P7D",
        "ci.topical_retinoid.otc": "P3D",
    }


def test_infection_chemotherapy_radiation_and_surgery_need_a_sign_off(rules: Rules) -> None:
    signed_off = {key for key, ci in rules.contraindications.items() if ci.clinician_signoff}

    assert signed_off == {
        "ci.active_infection_area",
        "ci.chemotherapy_active",
        "ci.radiation_area",
        "ci.surgery_recent_area",
    }


def test_questions_are_asked_in_order_and_leave_out_computed_conditions(rules: Rules) -> None:
    questions = rules.questions()
    keys = [question.key for question in questions]

    assert keys == [
        key for key in rules.contraindications if key not in {"ci.fitzpatrick_iv_vi", "ci.minor"}
    ]
    assert all(question.text.endswith("?") for question in questions)


def test_a_question_says_what_to_ask_for_besides_yes_or_no(rules: Rules) -> None:
    by_key = {question.key: question for question in rules.questions()}

    isotretinoin = by_key["ci.isotretinoin_recent"]
    laser = by_key["ci.laser_recent"]
    pregnancy = by_key["ci.pregnancy"]
    assert (isotretinoin.date_question, isotretinoin.date_required) == (
        "When did you last take it?",
        True,
    )
    assert not isotretinoin.asks_zones
    assert laser.asks_zones
    assert [choice.key for choice in laser.variants] == ["non_ablative", "ablative"]
    assert (pregnancy.date_question, pregnancy.date_required, pregnancy.variants) == (
        None,
        False,
        (),
    )


def test_an_override_gives_a_new_version_and_keeps_the_overrides(rules: Rules) -> None:
    clinic = rules.with_overrides({"interval.dermal_days": 35, "zone.forehead.max_depth_mm": 0.75})

    assert clinic.version.startswith("2026.11.1+")
    assert len(clinic.version) == len("2026.11.1+") + 8
    assert clinic.overrides == {"interval.dermal_days": 35, "zone.forehead.max_depth_mm": 0.75}
    assert clinic.interval.dermal_days == 35
    assert clinic.zone("zone.forehead").max_depth_mm == 0.75
    assert rules.zone("zone.forehead").max_depth_mm == 1.0


def test_the_override_version_is_stable_and_ignores_how_numbers_are_written(rules: Rules) -> None:
    one = rules.with_overrides({"zone.forehead.max_depth_mm": 1, "interval.dermal_days": 35})
    same = rules.with_overrides({"interval.dermal_days": 35, "zone.forehead.max_depth_mm": 1.0})
    other = rules.with_overrides({"interval.dermal_days": 36, "zone.forehead.max_depth_mm": 1.0})

    assert one.version == same.version != other.version


def test_overrides_add_up_and_a_later_value_wins(rules: Rules) -> None:
    stepwise = rules.with_overrides({"interval.dermal_days": 35}).with_overrides(
        {"ci.isotretinoin_recent.wait": "P3M", "interval.dermal_days": 42}
    )
    at_once = rules.with_overrides(
        {"ci.isotretinoin_recent.wait": "P3M", "interval.dermal_days": 42}
    )

    assert stepwise.version == at_once.version
    assert stepwise.interval.dermal_days == 42


def test_no_overrides_leave_the_rules_as_they_are(rules: Rules) -> None:
    assert rules.with_overrides({}) is rules


def test_a_clinic_can_make_keloid_history_relative(rules: Rules) -> None:
    clinic = rules.with_overrides({"ci.keloid_history.class": "relative"})
    screening = answers(date(2025, 6, 2), {"ci.keloid_history": yes()})

    assert screen(screening, date(2025, 6, 2)).outcome is Outcome.DECLINED
    assert screen(screening, date(2025, 6, 2), rules=clinic).outcome is Outcome.NEEDS_REVIEW


def test_a_clinic_can_change_a_variant_wait_and_a_depth_range(rules: Rules) -> None:
    clinic = rules.with_overrides(
        {
            "ci.laser_recent.variants.ablative.wait": "P6M",
            "ind.wrinkles_fine_lines.depth_by_zone.periorbital": [0.25, 0.4],
        }
    )

    assert str(clinic.contraindication("ci.laser_recent").variants["ablative"].wait) == "P6M"
    periorbital = clinic.zone("zone.periorbital")
    assert clinic.indication("ind.wrinkles_fine_lines").depth_range(periorbital) == (0.25, 0.4)


def test_a_clinic_can_add_a_value_the_rules_leave_optional(rules: Rules) -> None:
    clinic = rules.with_overrides({"ind.acne_scars.maintenance_per_year": 1})

    assert clinic.indication("ind.acne_scars").maintenance_per_year == 1


def test_rules_load_from_a_path_or_from_text() -> None:
    from_path = load_rules(RULES_FILE)
    from_text = load_rules(RULES_FILE.read_text("utf-8"))
    from_name = load_rules(str(RULES_FILE))

    assert from_path == from_text == from_name == default_rules()


def test_a_rules_file_with_an_unknown_field_is_refused() -> None:
    text = RULES_FILE.read_text("utf-8").replace("[zone.chin]\n", '[zone.chin]\ncolour = "pink"\n')

    with pytest.raises(InvalidRules, match=r"zone.chin has unknown fields: colour"):
        load_rules(text)


@pytest.mark.parametrize(
    ("old", "new", "complaint"),
    [
        ('version = "2026.11.1"', "", "version is missing"),
        ('max_depth_mm = 1.5\nnotes = "Trials', 'max_depth_mm = 9\nnotes = "Trials', "at most 5"),
        ('region = "body"', 'region = "torso"', "region must be one of"),
        ('"zone.back"]', '"zone.spine"]', "unknown: zone.spine"),
        ('wait = "P6M"', 'wait = "6 months"', "ci.isotretinoin_recent.wait"),
        ('class = "relative"', 'class = "sometimes"', "class must be one of"),
        ("maintenance_per_year = 12", "maintenance_per_year = 5", "must divide 12"),
    ],
)
def test_an_inconsistent_rules_file_is_refused_with_the_place_named(
    old: str, new: str, complaint: str
) -> None:
    text = RULES_FILE.read_text("utf-8").replace(old, new, 1)

    with pytest.raises(InvalidRules, match=complaint):
        load_rules(text)


def test_a_rules_file_that_is_not_toml_or_not_there_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidRules, match="not valid TOML"):
        load_rules("version = = 1")
    with pytest.raises(InvalidRules, match="Cannot read"):
        load_rules(tmp_path / "missing.toml")


@pytest.mark.parametrize(
    "overrides",
    [
        {"ci.isotretinoin_recent.wiat": "P3M"},
        {"ci.unknown.wait": "P3M"},
        {"version": "1"},
        {"ci.laser_recent.variants": "P3M"},
        {"ci.isotretinoin_recent.wait": "3 months"},
        {"ci.isotretinoin_recent.wait": 3},
        {"zone.forehead.max_depth_mm": "deep"},
        {"zone.forehead.max_depth_mm": 7.5},
        {"zone.forehead.max_depth_mm": float("nan")},
        {"zone.forehead.max_depth_mm": True},
        {"interval.dermal_days": 35.5},
        {"interval.dermal_days": 0},
        {"ci.pregnancy.wait": "P9M"},
        {"": 1},
        {3: 1},
    ],
)
def test_an_unknown_key_or_bad_value_is_an_invalid_override(
    rules: Rules, overrides: dict[object, object]
) -> None:
    with pytest.raises(InvalidOverride) as caught:
        rules.with_overrides(overrides)  # type: ignore[arg-type]

    assert caught.value.code == "invalid_override"
