"""Session workflow guards (§5)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from needlepoint.clinical.errors import InvalidValue, UnknownKey

# Steps a session log may hold before needling, in §5 order.
STEPS = (
    "consent",
    "photos",
    "cleanse",
    "anaesthetic_applied",
    "anaesthetic_removed",
    "antisepsis",
)


@dataclass(frozen=True)
class StartCheck:
    """Whether "needling started" may be recorded; if not, what is missing."""

    ok: bool
    missing: tuple[str, ...]
    code: str  # "start.missing" (see `missing`), "start.antisepsis_again" or "start.ready"


def check_needling_start(steps_done: Sequence[str], *, numbed: bool = True) -> StartCheck:
    """Needling may start only after the anaesthetic is wiped off and then antiseptic applied.

    `steps_done` are the logged steps in the order they happened; `numbed` is False when
    no anaesthetic was used, so there is nothing to remove.
    """
    if isinstance(steps_done, str):
        raise InvalidValue("Give the logged steps as a sequence, not a single string.")
    unknown = [step for step in steps_done if step not in STEPS]
    if unknown:
        raise UnknownKey(f"Unknown workflow steps: {', '.join(unknown)}.")
    required = ("anaesthetic_removed", "antisepsis") if numbed else ("antisepsis",)
    missing = tuple(step for step in required if step not in steps_done)
    if missing:
        return StartCheck(False, missing, "start.missing")
    if numbed and _last(steps_done, "antisepsis") < _last(steps_done, "anaesthetic_removed"):
        return StartCheck(False, ("antisepsis",), "start.antisepsis_again")
    return StartCheck(True, (), "start.ready")


def _last(steps: Sequence[str], step: str) -> int:
    return max(index for index, done in enumerate(steps) if done == step)
