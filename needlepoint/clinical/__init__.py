"""Needlepoint's clinical rules engine: pure functions over frozen dataclasses, no Django.

The rules (indications, zones, areas, intervals, contraindications, adverse events) are
data in rules.toml, versioned; every decision records `rules_version` and, where a
configurable value was used, `values_in_force`. A clinic changes a default with
`default_rules().with_overrides({...})` and passes the result as `rules=`.

    from datetime import date
    from needlepoint.clinical import (
        Answer, Answers, History, SessionRecord, check_depth, default_rules,
        next_session_date, screen,
    )

    rules = default_rules().with_overrides({"ci.isotretinoin_recent.wait": "P3M"})
    answers = Answers(
        answered_on=date(2025, 5, 1),
        date_of_birth=date(1990, 1, 1),
        fitzpatrick=2,
        items={q.key: Answer(False) for q in rules.questions()},
    )
    result = screen(answers, date(2025, 5, 1), zones=["area.face"], rules=rules)
    result.outcome  # Outcome.CLEARED

    history = History(sessions=(SessionRecord(date(2025, 3, 1), "ind.acne_scars",
                                              {"zone.cheeks": 1.5}),))
    next_session_date(history, "zone.cheeks", "ind.acne_scars").earliest  # 2025-03-29

    check_depth("zone.periorbital", "ind.wrinkles_fine_lines", 1.5).status  # "block"

Bad input raises a `ClinicalError` (a ValueError) subclass with a `code`.
See docs/clinical.md.
"""

from needlepoint.clinical.density import (
    MAX_STROKES_PER_MINUTE,
    MIN_STROKES_PER_SECOND,
    STROKE_UNITS,
    Density,
    StrokeUnit,
    describe_stroke_rate,
    format_stroke_rate,
    pen_channel_density,
    roller_channel_density,
    stroke_rate_hz,
    strokes_per_minute,
)
from needlepoint.clinical.depth import DepthCheck, SuggestedDepth, check_depth, suggested_depth
from needlepoint.clinical.durations import Duration, add_duration, parse_duration
from needlepoint.clinical.eligibility import (
    AdverseEventRecord,
    Eligibility,
    History,
    SessionRecord,
    course_limit_with_booked,
    course_sessions,
    next_session_date,
)
from needlepoint.clinical.errors import (
    ClinicalError,
    DatesOutOfOrder,
    InvalidAnswer,
    InvalidDepth,
    InvalidDuration,
    InvalidOverride,
    InvalidReview,
    InvalidRules,
    InvalidValue,
    MissingAnswers,
    UnknownContraindication,
    UnknownIndication,
    UnknownKey,
    UnknownZone,
)
from needlepoint.clinical.materials import CartridgeCheck, Refusal, check_cartridge
from needlepoint.clinical.outcomes import (
    PHOTO_VIEWS,
    SCAR_WEIGHTS,
    AdverseEventSuggestion,
    classify_reaction,
    goodman_baron_score,
    missing_views,
)
from needlepoint.clinical.rules import (
    AdverseEventKind,
    Area,
    Choice,
    Contraindication,
    Indication,
    IntervalException,
    IntervalRule,
    Question,
    Rules,
    Variant,
    Zone,
    default_rules,
    load_rules,
)
from needlepoint.clinical.screening import (
    Answer,
    Answers,
    Outcome,
    Reason,
    Review,
    ScreeningResult,
    reason_from_json,
    reason_to_json,
    screen,
)
from needlepoint.clinical.wording import Message
from needlepoint.clinical.workflow import StartCheck, check_needling_start

__all__ = [
    "MAX_STROKES_PER_MINUTE",
    "MIN_STROKES_PER_SECOND",
    "PHOTO_VIEWS",
    "SCAR_WEIGHTS",
    "STROKE_UNITS",
    "AdverseEventKind",
    "AdverseEventRecord",
    "AdverseEventSuggestion",
    "Answer",
    "Answers",
    "Area",
    "CartridgeCheck",
    "Choice",
    "ClinicalError",
    "Contraindication",
    "DatesOutOfOrder",
    "Density",
    "DepthCheck",
    "Duration",
    "Eligibility",
    "History",
    "Indication",
    "IntervalException",
    "IntervalRule",
    "InvalidAnswer",
    "InvalidDepth",
    "InvalidDuration",
    "InvalidOverride",
    "InvalidReview",
    "InvalidRules",
    "InvalidValue",
    "Message",
    "MissingAnswers",
    "Outcome",
    "Question",
    "Reason",
    "Refusal",
    "Review",
    "Rules",
    "ScreeningResult",
    "SessionRecord",
    "StartCheck",
    "StrokeUnit",
    "SuggestedDepth",
    "UnknownContraindication",
    "UnknownIndication",
    "UnknownKey",
    "UnknownZone",
    "Variant",
    "Zone",
    "add_duration",
    "check_cartridge",
    "check_depth",
    "check_needling_start",
    "classify_reaction",
    "course_limit_with_booked",
    "course_sessions",
    "default_rules",
    "describe_stroke_rate",
    "format_stroke_rate",
    "goodman_baron_score",
    "load_rules",
    "missing_views",
    "next_session_date",
    "parse_duration",
    "pen_channel_density",
    "reason_from_json",
    "reason_to_json",
    "roller_channel_density",
    "screen",
    "stroke_rate_hz",
    "strokes_per_minute",
    "suggested_depth",
]
