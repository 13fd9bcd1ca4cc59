"""Errors raised for input the clinical rules cannot judge.

Every error is a `ClinicalError` (a `ValueError`) with a stable `code` for the caller
and a message a member of staff can read.
"""

from __future__ import annotations

from collections.abc import Iterable


class ClinicalError(ValueError):
    """Base class: input the rules engine refuses to judge."""

    code = "clinical_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidRules(ClinicalError):
    """The rules file is missing, unreadable or inconsistent."""

    code = "invalid_rules"


class InvalidOverride(ClinicalError):
    """A clinic's override names an unknown rule or gives it a bad value."""

    code = "invalid_override"


class InvalidDuration(ClinicalError):
    """A wait is not an ISO-8601 date duration such as P14D or P6M."""

    code = "invalid_duration"


class UnknownKey(ClinicalError):
    """A key that the rules do not define."""

    code = "unknown_key"


class UnknownZone(UnknownKey):
    """A zone or area key that the rules do not define."""

    code = "unknown_zone"


class UnknownIndication(UnknownKey):
    """An indication key that the rules do not define."""

    code = "unknown_indication"


class UnknownContraindication(UnknownKey):
    """A contraindication key that the rules do not define or do not ask about."""

    code = "unknown_contraindication"


class MissingAnswers(ClinicalError):
    """Screening questions left unanswered; `keys` lists them."""

    code = "missing_answers"

    def __init__(self, keys: Iterable[str]) -> None:
        self.keys = tuple(keys)
        super().__init__("Please answer every screening question: " + ", ".join(self.keys) + ".")


class InvalidAnswer(ClinicalError):
    """An answer that is incomplete or contradicts its question."""

    code = "invalid_answer"


class InvalidReview(ClinicalError):
    """A clinician's review without a name or a note."""

    code = "invalid_review"


class InvalidDepth(ClinicalError):
    """A depth that is not a number of millimetres above 0 and at most 5."""

    code = "invalid_depth"


class DatesOutOfOrder(ClinicalError):
    """Dates that cannot be true together, e.g. a last dose after the day it was reported."""

    code = "dates_out_of_order"


class InvalidValue(ClinicalError):
    """Any other number or choice outside what the rules accept."""

    code = "invalid_value"
