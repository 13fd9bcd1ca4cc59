"""Cartridge checks at scan time: allergies to the needle material, expiry, single use."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from needlepoint.clinical.checks import require_date
from needlepoint.clinical.errors import InvalidValue, UnknownKey
from needlepoint.clinical.rules import Rules, default_rules
from needlepoint.clinical.screening import Answers
from needlepoint.clinical.wording import frozen_params


@dataclass(frozen=True)
class Refusal:
    """One reason a cartridge cannot be used: its rule key (also its message code) and values.

    "material.allergy": `material`, `allowed` (material keys); "cartridge.expired":
    `expired_on`; "cartridge.used": `serial`.
    """

    key: str
    params: Mapping[str, object] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", frozen_params(self.params))


@dataclass(frozen=True)
class CartridgeCheck:
    """Whether a scanned cartridge may be used; if not, why, and which materials would do."""

    ok: bool
    refusals: tuple[Refusal, ...]
    alternatives: tuple[str, ...]


def check_cartridge(
    allergies: Answers | Iterable[str],
    material: str,
    lot_expiry: date,
    on_date: date,
    serial: str,
    used_serials: Collection[str],
    *,
    rules: Rules | None = None,
) -> CartridgeCheck:
    """Check a cartridge scanned on `on_date` for a client.

    `allergies` is the client's screening answers or their allergy keys (ci.gold_allergy,
    ci.nickel_allergy). A cartridge is refused when its material is not allowed by every
    allergy (alternatives are the materials that are), when its lot expired before
    `on_date`, or when its serial is in `used_serials`.
    """
    rules = rules or default_rules()
    require_date(lot_expiry, "The lot expiry")
    require_date(on_date, "The scan date")
    if material not in rules.materials:
        raise UnknownKey(f"Unknown material {material!r}; use one of {', '.join(rules.materials)}.")
    if not isinstance(serial, str) or not serial.strip():
        raise InvalidValue(f"A cartridge serial is needed, not {serial!r}.")
    allowed = _allowed_materials(_allergy_keys(allergies, rules), rules)
    refusals = []
    if material not in allowed:
        params = {"material": material, "allowed": allowed}
        refusals.append(Refusal("material.allergy", params))
    if lot_expiry < on_date:
        refusals.append(Refusal("cartridge.expired", {"expired_on": lot_expiry}))
    if serial in used_serials:
        refusals.append(Refusal("cartridge.used", {"serial": serial}))
    alternatives = allowed if material not in allowed else ()
    return CartridgeCheck(not refusals, tuple(refusals), alternatives)


def _allergy_keys(allergies: Answers | Iterable[str], rules: Rules) -> tuple[str, ...]:
    if isinstance(allergies, Answers):
        present = [key for key, answer in allergies.items.items() if answer.present]
    elif isinstance(allergies, str):
        raise InvalidValue("Give allergy keys as a collection, not a single string.")
    else:
        present = list(allergies)
    for key in present:
        rules.contraindication(key)
    return tuple(key for key in present if rules.contraindication(key).allowed_materials)


def _allowed_materials(allergies: tuple[str, ...], rules: Rules) -> tuple[str, ...]:
    allowed = set(rules.materials)
    for key in allergies:
        allowed &= set(rules.contraindication(key).allowed_materials)
    return tuple(material for material in rules.materials if material in allowed)
