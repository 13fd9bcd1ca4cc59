"""What to expect and what to do after a session, day by day (domain reference §5).

The timeline is common practice, not evidence; clinics word it their own way in their
messages. Scalp sessions add the minoxidil pause.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class AftercareStage:
    first_day: int  # days after the session; 0 is the day itself
    last_day: int | None
    title: str
    expect: str
    advice: str

    def covers(self, days_since: int) -> bool:
        return self.first_day <= days_since and (
            self.last_day is None or days_since <= self.last_day
        )


TIMELINE = (
    AftercareStage(
        0,
        0,
        "The day of your session",
        "Redness like mild sunburn, tightness, perhaps a little pinpoint ooze.",
        "No make-up, active skin care (retinoids, acids, vitamin C, benzoyl peroxide), exercise, "
        "sauna, swimming or sun. Cleanse gently with lukewarm water at night and sleep on a "
        "clean pillowcase.",
    ),
    AftercareStage(
        1,
        1,
        "Day 1",
        "Redness fading.",
        "Use a mineral SPF 30 or higher. Mineral make-up is fine from 24 hours.",
    ),
    AftercareStage(
        2,
        3,
        "Days 2–3",
        "Dryness, flaking, perhaps some swelling.",
        "Don't scrub or pick. Sweat, heat and swimming are fine again after 72 hours.",
    ),
    AftercareStage(
        4,
        7,
        "Days 4–7",
        "Your skin settles.",
        "Vitamin C and retinoids can come back from day 5–7 if your skin is calm. No peel, "
        "laser or waxing on the treated area for 14 days.",
    ),
    AftercareStage(
        8,
        None,
        "From week 2",
        "Back to normal.",
        "Wear SPF every day for the whole course.",
    ),
)
SCALP_ADVICE = "Scalp: no minoxidil for 24 hours."


def aftercare(
    session_on: date, today: date, zones: tuple[str, ...] = ()
) -> list[tuple[AftercareStage, bool]]:
    """Every stage, each marked True when it is where the client is today."""
    days_since = (today - session_on).days
    stages = [
        AftercareStage(s.first_day, s.last_day, s.title, s.expect, f"{s.advice} {SCALP_ADVICE}")
        if s.first_day == 0 and "zone.scalp" in zones
        else s
        for s in TIMELINE
    ]
    return [(stage, stage.covers(days_since)) for stage in stages]
