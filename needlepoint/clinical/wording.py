"""What the clinical engine says: a stable message code and language-neutral values.

The engine writes no sentences. A `Message` (and a `Reason`, a `Refusal`, a depth or
start check) carries a `code` such as ``"refusal.too_early"`` and `params` holding dates
as `date`, numbers, and zone, area, indication and contraindication keys; the web layer
(``needlepoint.clinics.clinical_wording``) turns it into words in the reader's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


def frozen_params(params: Mapping[str, object] | None) -> Mapping[str, object]:
    """`params` as a read-only mapping (tuples stay tuples)."""
    return MappingProxyType(dict(params or {}))


@dataclass(frozen=True)
class Message:
    """A message code with its values, e.g. Message("refusal.too_early", {"earliest": day})."""

    code: str
    params: Mapping[str, object] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", frozen_params(self.params))
