"""Progress over a course, drawn as a server-side SVG: scores per session against time.

The x axis is weeks since the first session; the shaded band is when the clinical core
expects results to show for the indication (``Indication.result_weeks``). Client-rated
improvement (0–10) uses the left scale, the Goodman & Baron score (0–84) the right.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from needlepoint.clinical import Rules
from needlepoint.treatments.models import Outcome, TreatmentSession

WIDTH, HEIGHT = 560, 220
LEFT, RIGHT, TOP, BOTTOM = 40, 40, 16, 34
SCAR_SCALE = 84


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class ProgressChart:
    indication: str
    name: str
    sessions: int
    improvement: list[Point]
    scar: list[Point]
    band: tuple[float, float]  # x from, x to
    band_label: str
    week_ticks: list[tuple[float, int]]
    session_marks: list[tuple[float, int]]
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def improvement_path(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.improvement)

    @property
    def scar_path(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.scar)

    @property
    def band_width(self) -> float:
        return round(self.band[1] - self.band[0], 1)

    @property
    def band_height(self) -> int:
        return HEIGHT - TOP - BOTTOM

    @property
    def plot_bottom(self) -> int:
        return HEIGHT - BOTTOM

    @property
    def plot_right(self) -> int:
        return WIDTH - RIGHT


def progress_charts(
    sessions: Iterable[TreatmentSession], outcomes: Iterable[Outcome], rules: Rules
) -> list[ProgressChart]:
    """One chart per indication treated, from sessions and outcomes already loaded."""
    by_session = {outcome.session_id: outcome for outcome in outcomes}
    by_indication: defaultdict[str, list[TreatmentSession]] = defaultdict(list)
    for session in sorted(sessions, key=lambda s: (s.performed_on, s.pk)):
        by_indication[session.indication].append(session)
    return [
        _chart(indication, course, by_session, rules)
        for indication, course in by_indication.items()
    ]


def _chart(
    indication: str,
    course: list[TreatmentSession],
    outcomes: dict[int, Outcome],
    rules: Rules,
) -> ProgressChart:
    plan = rules.indication(indication)
    first = course[0].performed_on
    weeks = [(session.performed_on - first).days / 7 for session in course]
    span = max([*weeks, float(plan.result_weeks[1]), 1.0]) * 1.05

    def x(week: float) -> float:
        return LEFT + week / span * (WIDTH - LEFT - RIGHT)

    def y(value: float, scale: float) -> float:
        return HEIGHT - BOTTOM - value / scale * (HEIGHT - TOP - BOTTOM)

    improvement, scar = [], []
    for week, session in zip(weeks, course, strict=True):
        outcome = outcomes.get(session.pk)
        if outcome is None:
            continue
        when = f"{session.performed_on:%d %b %Y}"
        if outcome.improvement is not None:
            improvement.append(
                Point(x(week), y(outcome.improvement, 10), f"{when}: {outcome.improvement}/10")
            )
        if outcome.scar_score is not None:
            scar.append(
                Point(x(week), y(outcome.scar_score, SCAR_SCALE), f"{when}: {outcome.scar_score}")
            )
    step = 4 if span <= 30 else 8 if span <= 60 else 13
    return ProgressChart(
        indication=indication,
        name=plan.name,
        sessions=len(course),
        improvement=improvement,
        scar=scar,
        band=(x(plan.result_weeks[0]), x(plan.result_weeks[1])),
        band_label=f"Results expected {plan.result_weeks[0]}–{plan.result_weeks[1]} weeks",
        week_ticks=[(x(week), week) for week in range(0, int(span) + 1, step)],
        session_marks=[(x(week), number) for number, week in enumerate(weeks, start=1)],
    )
