"""The clinical rules: indications, zones, areas, intervals, contraindications, adverse events.

The rules are data (rules.toml, versioned). `default_rules()` loads the shipped file;
`Rules.with_overrides()` applies a clinic's changes and gives the result its own version.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import math
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, cast

from needlepoint.clinical.durations import Duration, parse_duration
from needlepoint.clinical.errors import (
    ClinicalError,
    InvalidOverride,
    InvalidRules,
    InvalidValue,
    UnknownContraindication,
    UnknownIndication,
    UnknownKey,
    UnknownZone,
)

Category = Literal["absolute", "relative", "temporary", "precaution"]
Scope = Literal["systemic", "face", "area"]

REGIONS = ("face", "neck", "decolletage", "scalp", "body")
CATEGORIES: tuple[Category, ...] = ("absolute", "relative", "temporary", "precaution")
SCOPES: tuple[Scope, ...] = ("systemic", "face", "area")
MAX_DEPTH_MM = 5.0
_MAINTENANCE_PER_YEAR = (1, 2, 3, 4, 6, 12)


def _empty() -> Mapping[str, Any]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Zone:
    """An anatomical zone (§3); `max_depth_mm` is the hard stop."""

    key: str
    name: str
    region: str
    max_depth_mm: float
    clinician_only: bool = False
    treated_by_default: bool = True
    warn_above_mm: float | None = None
    warn_note: str = ""
    notes: str = ""


@dataclass(frozen=True)
class Area:
    """A bookable group of zones, e.g. area.face."""

    key: str
    name: str
    zones: tuple[str, ...]


@dataclass(frozen=True)
class Indication:
    """A treatment indication (§2) with its usual depth, course and results."""

    key: str
    name: str
    depth_min_mm: float
    depth_max_mm: float
    depth_by_zone: Mapping[str, tuple[float, float]] = field(hash=False)
    depth_by_region: Mapping[str, tuple[float, float]] = field(hash=False)
    sessions_min: int
    sessions_max: int
    course_max_sessions: int
    maintenance_per_year: int | None
    interval_shortest_days: int
    interval_typical_days: tuple[int, int]
    visible_result: str
    result_weeks: tuple[int, int]
    notes: str = ""

    def depth_range(self, zone: Zone) -> tuple[float, float]:
        """The usual depth range on `zone`: zone-specific, else region-specific, else general."""
        if zone.key in self.depth_by_zone:
            return self.depth_by_zone[zone.key]
        return self.depth_by_region.get(zone.region, (self.depth_min_mm, self.depth_max_mm))


@dataclass(frozen=True)
class Variant:
    """A kind of a contraindication with its own wait, e.g. an ablative laser."""

    key: str
    label: str
    wait: Duration


@dataclass(frozen=True)
class Contraindication:
    """A contraindication (§4). `category` is the reference's class."""

    key: str
    name: str
    category: Category
    scope: Scope
    explanation: str
    question: str | None = None
    date_question: str | None = None
    wait: Duration | None = None
    variants: Mapping[str, Variant] = field(default_factory=lambda: _empty(), hash=False)
    after: str = ""
    clinician_signoff: bool = False
    ongoing: str | None = None
    while_ongoing: str = "you are still taking or using it"  # "While ... we can't treat you"
    computed_from: str | None = None
    under_age: int | None = None
    phototype_at_least: int | None = None
    allowed_materials: tuple[str, ...] = ()
    notes: str = ""

    @property
    def asked(self) -> bool:
        """Whether the questionnaire asks it (the others are computed from the answers)."""
        return self.computed_from is None

    @property
    def has_wait(self) -> bool:
        """Whether the deferral ends on a computable date."""
        return self.wait is not None or bool(self.variants)

    @property
    def can_be_ongoing(self) -> bool:
        """Whether "still taking it" (no date yet) may answer: the rule words that answer
        (`ongoing`, e.g. a medicine's "I'm still taking it"), waits and asks a date."""
        return self.ongoing is not None and self.has_wait and self.date_question is not None

    def wait_for(self, variant: str | None) -> tuple[str, Duration] | None:
        """The rule key and value of the wait in force for `variant`, if there is a wait."""
        if variant is not None and variant in self.variants:
            return f"{self.key}.variants.{variant}.wait", self.variants[variant].wait
        if self.wait is not None:
            return f"{self.key}.wait", self.wait
        return None


@dataclass(frozen=True)
class IntervalException:
    """A shorter interval between sessions of one indication on one zone."""

    key: str
    zone: str
    indication: str
    days: int


@dataclass(frozen=True)
class IntervalRule:
    """The §2 default interval rule between sessions on the same zone."""

    superficial_max_depth_mm: float
    superficial_days: int
    dermal_days: int
    exceptions: tuple[IntervalException, ...] = ()

    def days_after(
        self, zone: str, depth_mm: float, earlier: str, booked: str
    ) -> tuple[str, str, int]:
        """(reason key, value key, days) after a session at `depth_mm` on `zone`.

        `earlier` is that session's indication, `booked` the indication being booked.
        """
        for rule in self.exceptions:
            if rule.zone == zone and rule.indication == earlier == booked:
                return f"interval.{rule.key}", f"interval.exceptions.{rule.key}.days", rule.days
        if depth_mm > self.superficial_max_depth_mm:
            return "interval.dermal", "interval.dermal_days", self.dermal_days
        return "interval.superficial", "interval.superficial_days", self.superficial_days


@dataclass(frozen=True)
class DepthBand:
    """A depth band (§1): what a consent covers, up to and including `deepest_mm` (§7.3)."""

    key: str
    name: str
    deepest_mm: float


@dataclass(frozen=True)
class AdverseEventKind:
    """An adverse event (§8) and the window in which the matching reaction is expected."""

    key: str
    name: str
    grade: int
    expected_days: int | None = None
    expected_days_deep_or_body: int | None = None
    expected_days_by_zone: Mapping[str, int] = field(default_factory=lambda: _empty(), hash=False)
    grade_by_days: tuple[int, int] | None = None
    notes: str = ""


@dataclass(frozen=True)
class Choice:
    """One option of a multiple-choice question."""

    key: str
    label: str


@dataclass(frozen=True)
class Question:
    """One screening question as the questionnaire renders it.

    Ask yes/no; when yes, ask `date_question` (required when `date_required`), which
    zones when `asks_zones`, and which of `variants` when there are any. When
    `can_be_ongoing`, "still taking or using it" may stand instead of the date.
    """

    key: str
    text: str
    date_question: str | None
    date_required: bool
    asks_zones: bool
    variants: tuple[Choice, ...]
    can_be_ongoing: bool = False
    ongoing: str | None = None  # the words of the "no date yet" answer, where there is one


@dataclass(frozen=True)
class Rules:
    """A complete, validated set of clinical rules with its version."""

    version: str
    indications: Mapping[str, Indication] = field(hash=False)
    zones: Mapping[str, Zone] = field(hash=False)
    areas: Mapping[str, Area] = field(hash=False)
    contraindications: Mapping[str, Contraindication] = field(hash=False)
    adverse_events: Mapping[str, AdverseEventKind] = field(hash=False)
    interval: IntervalRule
    materials: Mapping[str, str] = field(hash=False)
    base_version: str
    depth_bands: Mapping[str, DepthBand] = field(default_factory=lambda: _empty(), hash=False)
    overrides: Mapping[str, object] = field(default_factory=lambda: _empty(), hash=False)
    data: Mapping[str, Any] = field(
        default_factory=lambda: _empty(), repr=False, compare=False, hash=False
    )

    def indication(self, key: str) -> Indication:
        """The indication `key`, e.g. "ind.acne_scars"."""
        if key not in self.indications:
            raise UnknownIndication(f"Unknown indication {key!r}.")
        return self.indications[key]

    def depth_band(self, depth_mm: float) -> DepthBand:
        """The band a depth falls in: the shallowest whose deepest depth reaches it."""
        for band in self.depth_bands.values():
            if depth_mm <= band.deepest_mm:
                return band
        raise InvalidValue(f"{depth_mm} mm is deeper than every depth band.")

    def zone(self, key: str) -> Zone:
        """The zone `key`, e.g. "zone.cheeks" (not an area)."""
        if key not in self.zones:
            raise UnknownZone(f"Unknown zone {key!r}.")
        return self.zones[key]

    def area_zones(self, key: str) -> tuple[str, ...]:
        """The zones of area `key`, or `(key,)` when `key` is a zone."""
        if key in self.areas:
            return self.areas[key].zones
        if key in self.zones:
            return (key,)
        raise UnknownZone(f"Unknown zone or area {key!r}.")

    def zones_of(self, keys: Iterable[str]) -> tuple[str, ...]:
        """Every zone of the given zone and area keys, in the rules' order."""
        wanted = {zone for key in keys for zone in self.area_zones(key)}
        return tuple(zone for zone in self.zones if zone in wanted)

    def face_zones(self) -> tuple[str, ...]:
        """Zones of the face region (the `face` scope of §4)."""
        return tuple(key for key, zone in self.zones.items() if zone.region == "face")

    def contraindication(self, key: str) -> Contraindication:
        """The contraindication `key`, e.g. "ci.pregnancy"."""
        if key not in self.contraindications:
            raise UnknownContraindication(f"Unknown contraindication {key!r}.")
        return self.contraindications[key]

    def adverse_event(self, key: str) -> AdverseEventKind:
        """The adverse event `key`, e.g. "ae.pih"."""
        if key not in self.adverse_events:
            raise UnknownKey(f"Unknown adverse event {key!r}.")
        return self.adverse_events[key]

    def questions(self) -> tuple[Question, ...]:
        """The screening questions in the order to ask them (computed conditions excluded).

        Made once per rules (every screening checks its answers against them).
        """
        made: tuple[Question, ...] | None = self.__dict__.get("_questions")
        if made is None:
            made = tuple(_question(ci) for ci in self.contraindications.values() if ci.asked)
            object.__setattr__(self, "_questions", made)
        return made

    def with_overrides(self, overrides: Mapping[str, object]) -> Rules:
        """These rules with a clinic's changes, e.g. {"ci.isotretinoin_recent.wait": "P3M"}.

        Keys are dotted paths of values in rules.toml. The result's version is the base
        version plus a short hash of all overrides; `overrides` holds them. Unknown keys
        and bad values raise InvalidOverride.
        """
        if not isinstance(overrides, Mapping):
            raise InvalidOverride("Overrides must be a mapping of rule keys to values.")
        merged = {**self.overrides, **overrides}
        if not merged:
            return self
        data = copy.deepcopy(dict(self.data))
        normalised = {key: _apply_override(data, key, value) for key, value in merged.items()}
        try:
            rules = parse_rules(data)
        except ClinicalError as error:
            raise InvalidOverride(f"Override rejected: {error.message}") from error
        return _replace_version(rules, normalised)


def _question(ci: Contraindication) -> Question:
    variants = tuple(Choice(v.key, v.label) for v in ci.variants.values())
    return Question(
        key=ci.key,
        text=ci.question or "",
        date_question=ci.date_question,
        date_required=ci.has_wait,
        asks_zones=ci.scope == "area",
        variants=variants,
        can_be_ongoing=ci.can_be_ongoing,
        ongoing=ci.ongoing if ci.can_be_ongoing else None,
    )


def _replace_version(rules: Rules, overrides: dict[str, object]) -> Rules:
    canonical = json.dumps(sorted(overrides.items()), separators=(",", ":"), ensure_ascii=True)
    digest = hashlib.sha256(canonical.encode()).hexdigest()[:8]
    return replace(
        rules,
        version=f"{rules.base_version}+{digest}",
        overrides=MappingProxyType(dict(sorted(overrides.items()))),
    )


def _apply_override(data: dict[str, Any], key: object, value: object) -> object:
    """Set `value` at the dotted path `key` in `data` and return the value as stored."""
    if not isinstance(key, str) or not key or key == "version":
        raise InvalidOverride(f"{key!r} is not a rule that can be overridden.")
    *parents, leaf = key.split(".")
    node: Any = data
    for part in parents:
        node = node.get(part) if isinstance(node, dict) else None
    if not isinstance(node, dict) or isinstance(node.get(leaf), dict):
        raise InvalidOverride(f"Unknown rule {key!r}.")
    stored = _same_type(key, node.get(leaf), value)
    node[leaf] = stored
    return stored


def _same_type(key: str, current: object, value: object) -> object:
    """`value` if it has the type of `current` (ints stand in for floats), else an error."""
    if isinstance(value, float) and not math.isfinite(value):
        raise InvalidOverride(f"{key}: {value!r} is not a number.")
    if current is None or type(value) is type(current):
        return value
    if isinstance(current, float) and type(value) is int:
        return float(value)
    if isinstance(current, list) and isinstance(value, list | tuple):
        return [_same_type(key, current[0] if current else None, item) for item in value]
    expected = type(current).__name__
    raise InvalidOverride(f"{key}: {value!r} should be a {expected} like {current!r}.")


@functools.cache
def default_rules() -> Rules:
    """The shipped rules (rules.toml), loaded once."""
    text = resources.files("needlepoint.clinical").joinpath("rules.toml").read_text("utf-8")
    return load_rules(text)


def load_rules(path_or_text: str | Path) -> Rules:
    """Load and validate rules from a file path or from TOML text; raise InvalidRules."""
    text = path_or_text
    if isinstance(path_or_text, Path) or "=" not in path_or_text:
        try:
            text = Path(path_or_text).read_text("utf-8")
        except OSError as error:
            raise InvalidRules(f"Cannot read rules file {str(path_or_text)!r}: {error}.") from error
    try:
        data = tomllib.loads(str(text))
    except tomllib.TOMLDecodeError as error:
        raise InvalidRules(f"The rules file is not valid TOML: {error}.") from error
    return parse_rules(data)


def parse_rules(data: Mapping[str, Any]) -> Rules:
    """Validate parsed TOML into Rules."""
    root = _Table(data, "rules")
    version = root.text("version")
    materials = _materials(root.table("materials"))
    zones = {f"zone.{k}": _zone(f"zone.{k}", t) for k, t in root.table("zone").items()}
    interval_table = root.table("interval")
    indications = {
        f"ind.{k}": _indication(f"ind.{k}", t, zones) for k, t in root.table("ind").items()
    }
    areas = {f"area.{k}": _area(f"area.{k}", t, zones) for k, t in root.table("area").items()}
    cis = {
        f"ci.{k}": _contraindication(f"ci.{k}", t, materials) for k, t in root.table("ci").items()
    }
    aes = {f"ae.{k}": _adverse_event(f"ae.{k}", t, zones) for k, t in root.table("ae").items()}
    interval = _interval(interval_table, zones, indications)
    bands = sorted(
        (_depth_band(f"band.{k}", t) for k, t in root.table("depth_band").items()),
        key=lambda band: band.deepest_mm,
    )
    root.done()
    if not zones or not indications:
        raise InvalidRules("The rules need at least one zone and one indication.")
    return Rules(
        version=version,
        indications=MappingProxyType(indications),
        zones=MappingProxyType(zones),
        areas=MappingProxyType(areas),
        contraindications=MappingProxyType(cis),
        adverse_events=MappingProxyType(aes),
        interval=interval,
        materials=MappingProxyType(materials),
        base_version=version,
        depth_bands=MappingProxyType({band.key: band for band in bands}),
        data=MappingProxyType(copy.deepcopy(dict(data))),
    )


class _Table:
    """Typed, strict access to one TOML table: every key must be used exactly once."""

    def __init__(self, data: object, where: str) -> None:
        if not isinstance(data, Mapping):
            raise InvalidRules(f"{where} must be a table.")
        self.where = where
        self._data: dict[str, Any] = dict(data)

    def _error(self, key: str, expected: str) -> InvalidRules:
        return InvalidRules(f"{self.where}.{key} must be {expected}.")

    def _get(self, key: str) -> Any:
        if key not in self._data:
            raise InvalidRules(f"{self.where}.{key} is missing.")
        return self._data.pop(key)

    def has(self, key: str) -> bool:
        return key in self._data

    def names(self) -> list[str]:
        return list(self._data)

    def text(self, key: str, default: str | None = None) -> str:
        if default is not None and key not in self._data:
            return default
        value = self._get(key)
        if not isinstance(value, str) or not value.strip():
            raise self._error(key, "a non-empty string")
        return value

    def optional_text(self, key: str) -> str | None:
        return self.text(key) if key in self._data else None

    def number(self, key: str, low: float = 0.0, high: float = MAX_DEPTH_MM) -> float:
        value = self._get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self._error(key, "a number")
        if not low < value <= high:
            raise self._error(key, f"above {low} and at most {high}")
        return float(value)

    def integer(self, key: str, low: int = 1, high: int = 10_000) -> int:
        value = self._get(key)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self._error(key, f"a whole number from {low} to {high}")
        return int(value)

    def optional_integer(self, key: str, low: int = 1, high: int = 10_000) -> int | None:
        return self.integer(key, low, high) if key in self._data else None

    def flag(self, key: str) -> bool:
        value = self._data.pop(key, False)
        if not isinstance(value, bool):
            raise self._error(key, "true or false")
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        value = self._data.pop(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self._error(key, "a list of strings")
        return tuple(value)

    def pair(self, key: str, integers: bool = False) -> tuple[float, float]:
        value = self._get(key)
        kinds = (int,) if integers else (int, float)
        if (
            not isinstance(value, list)
            or len(value) != 2
            or not all(isinstance(v, kinds) and not isinstance(v, bool) for v in value)
            or not 0 < value[0] <= value[1] <= (10_000 if integers else MAX_DEPTH_MM)
        ):
            raise self._error(key, "a pair [low, high] with 0 < low <= high")
        return (value[0], value[1]) if integers else (float(value[0]), float(value[1]))

    def table(self, key: str) -> dict[str, Any]:
        value = self._data.pop(key, {})
        if not isinstance(value, dict):
            raise self._error(key, "a table")
        return value

    def done(self) -> None:
        if self._data:
            raise InvalidRules(f"{self.where} has unknown fields: {', '.join(sorted(self._data))}.")


def _duration(table: _Table, key: str) -> Duration:
    text = table.text(key)
    try:
        return parse_duration(text)
    except ClinicalError as error:
        raise InvalidRules(f"{table.where}.{key}: {error.message}") from error


def _materials(data: dict[str, Any]) -> dict[str, str]:
    table = _Table(data, "materials")
    materials = {key: table.text(key) for key in list(data)}
    table.done()
    return materials


def _zone(key: str, data: object) -> Zone:
    table = _Table(data, key)
    zone = Zone(
        key=key,
        name=table.text("name"),
        region=table.text("region"),
        max_depth_mm=table.number("max_depth_mm"),
        clinician_only=table.flag("clinician_only"),
        treated_by_default=not table.has("treated_by_default") or table.flag("treated_by_default"),
        warn_above_mm=table.number("warn_above_mm") if table.has("warn_above_mm") else None,
        warn_note=table.text("warn_note", default=""),
        notes=table.text("notes", default=""),
    )
    table.done()
    if zone.region not in REGIONS:
        raise InvalidRules(f"{key}.region must be one of {', '.join(REGIONS)}.")
    if zone.warn_above_mm is not None and zone.warn_above_mm >= zone.max_depth_mm:
        raise InvalidRules(f"{key}.warn_above_mm must be below max_depth_mm.")
    return zone


def _area(key: str, data: object, zones: Mapping[str, Zone]) -> Area:
    table = _Table(data, key)
    area = Area(key=key, name=table.text("name"), zones=table.texts("zones"))
    table.done()
    unknown = [zone for zone in area.zones if zone not in zones]
    if not area.zones or unknown:
        raise InvalidRules(f"{key}.zones must list known zones (unknown: {', '.join(unknown)}).")
    return area


def _depths_by(
    table: _Table, key: str, names: Iterable[str], prefix: str
) -> Mapping[str, tuple[float, float]]:
    sub = _Table(table.table(key), f"{table.where}.{key}")
    known = set(names)
    depths = {f"{prefix}{name}": sub.pair(name) for name in sub.names()}
    sub.done()
    unknown = sorted(name for name in depths if name not in known)
    if unknown:
        raise InvalidRules(f"{table.where}.{key} names unknown {', '.join(unknown)}.")
    return MappingProxyType(depths)


def _indication(key: str, data: object, zones: Mapping[str, Zone]) -> Indication:
    table = _Table(data, key)
    indication = Indication(
        key=key,
        name=table.text("name"),
        depth_min_mm=table.number("depth_min_mm"),
        depth_max_mm=table.number("depth_max_mm"),
        depth_by_zone=_depths_by(table, "depth_by_zone", zones, "zone."),
        depth_by_region=_depths_by(table, "depth_by_region", REGIONS, ""),
        sessions_min=table.integer("sessions_min", high=100),
        sessions_max=table.integer("sessions_max", high=100),
        course_max_sessions=table.integer("course_max_sessions", high=100),
        maintenance_per_year=table.optional_integer("maintenance_per_year", high=12),
        interval_shortest_days=table.integer("interval_shortest_days", high=3660),
        interval_typical_days=cast(tuple[int, int], table.pair("interval_typical_days", True)),
        visible_result=table.text("visible_result"),
        result_weeks=cast(tuple[int, int], table.pair("result_weeks", True)),
        notes=table.text("notes", default=""),
    )
    table.done()
    if indication.depth_min_mm > indication.depth_max_mm:
        raise InvalidRules(f"{key}: depth_min_mm is above depth_max_mm.")
    if indication.sessions_min > indication.sessions_max:
        raise InvalidRules(f"{key}: sessions_min is above sessions_max.")
    if indication.maintenance_per_year not in (None, *_MAINTENANCE_PER_YEAR):
        raise InvalidRules(f"{key}.maintenance_per_year must divide 12 (1, 2, 3, 4, 6 or 12).")
    return indication


def _depth_band(key: str, data: object) -> DepthBand:
    table = _Table(data, key)
    band = DepthBand(key=key, name=table.text("name"), deepest_mm=table.number("deepest_mm"))
    table.done()
    return band


def _interval(
    data: dict[str, Any], zones: Mapping[str, Zone], indications: Mapping[str, Indication]
) -> IntervalRule:
    table = _Table(data, "interval")
    exceptions = table.table("exceptions")
    rule = IntervalRule(
        superficial_max_depth_mm=table.number("superficial_max_depth_mm"),
        superficial_days=table.integer("superficial_days", high=3660),
        dermal_days=table.integer("dermal_days", high=3660),
        exceptions=tuple(
            _interval_exception(k, t, zones, indications) for k, t in exceptions.items()
        ),
    )
    table.done()
    return rule


def _interval_exception(
    key: str, data: object, zones: Mapping[str, Zone], indications: Mapping[str, Indication]
) -> IntervalException:
    table = _Table(data, f"interval.exceptions.{key}")
    rule = IntervalException(
        key=key,
        zone=table.text("zone"),
        indication=table.text("indication"),
        days=table.integer("days", high=3660),
    )
    table.done()
    if rule.zone not in zones or rule.indication not in indications:
        raise InvalidRules(f"interval.exceptions.{key} names an unknown zone or indication.")
    return rule


def _variants(table: _Table) -> Mapping[str, Variant]:
    variants = {}
    for name, data in table.table("variants").items():
        sub = _Table(data, f"{table.where}.variants.{name}")
        variants[name] = Variant(key=name, label=sub.text("label"), wait=_duration(sub, "wait"))
        sub.done()
    return MappingProxyType(variants)


def _contraindication(key: str, data: object, materials: Mapping[str, str]) -> Contraindication:
    table = _Table(data, key)
    category = table.text("class")
    scope = table.text("scope")
    if category not in CATEGORIES or scope not in SCOPES:
        raise InvalidRules(
            f"{key}: class must be one of {', '.join(CATEGORIES)}; "
            f"scope one of {', '.join(SCOPES)}."
        )
    ci = Contraindication(
        key=key,
        name=table.text("name"),
        category=cast(Category, category),
        scope=cast(Scope, scope),
        explanation=table.text("explanation"),
        question=table.optional_text("question"),
        date_question=table.optional_text("date_question"),
        wait=_duration(table, "wait") if table.has("wait") else None,
        variants=_variants(table),
        after=table.text("after", default=""),
        clinician_signoff=table.flag("clinician_signoff"),
        ongoing=table.optional_text("ongoing"),
        while_ongoing=table.text("while_ongoing", "you are still taking or using it"),
        computed_from=table.optional_text("computed_from"),
        under_age=table.optional_integer("under_age", high=150),
        phototype_at_least=table.optional_integer("phototype_at_least", high=6),
        allowed_materials=table.texts("allowed_materials"),
        notes=table.text("notes", default=""),
    )
    table.done()
    _check_contraindication(ci, materials)
    return ci


def _check_contraindication(ci: Contraindication, materials: Mapping[str, str]) -> None:
    problems = []
    if ci.wait is not None and ci.variants:
        problems.append("has both a wait and variants")
    if (ci.has_wait or ci.clinician_signoff) and ci.category != "temporary":
        problems.append("only a temporary contraindication has a wait or a sign-off")
    if ci.has_wait and not (ci.date_question and ci.after):
        problems.append("a wait needs date_question and after")
    if ci.asked == (ci.question is None):
        problems.append("needs a question unless computed, and no question when computed")
    if ci.computed_from not in (None, "date_of_birth", "fitzpatrick"):
        problems.append("computed_from must be date_of_birth or fitzpatrick")
    if ci.computed_from == "date_of_birth" and ci.under_age is None:
        problems.append("computed from date_of_birth needs under_age")
    if ci.computed_from == "fitzpatrick" and ci.phototype_at_least is None:
        problems.append("computed from fitzpatrick needs phototype_at_least")
    if ci.computed_from is not None and (ci.scope, ci.category) not in {
        ("systemic", "relative"),
        ("systemic", "precaution"),
    }:
        problems.append("a computed condition is a systemic relative one or a precaution")
    problems += [f"unknown material {m}" for m in ci.allowed_materials if m not in materials]
    if problems:
        raise InvalidRules(f"{ci.key}: " + "; ".join(problems) + ".")


def _adverse_event(key: str, data: object, zones: Mapping[str, Zone]) -> AdverseEventKind:
    table = _Table(data, key)
    by_zone = _Table(table.table("expected_days_by_zone"), f"{key}.expected_days_by_zone")
    event = AdverseEventKind(
        key=key,
        name=table.text("name"),
        grade=table.integer("grade", high=3),
        expected_days=table.optional_integer("expected_days", high=3660),
        expected_days_deep_or_body=table.optional_integer("expected_days_deep_or_body", high=3660),
        expected_days_by_zone=MappingProxyType(
            {f"zone.{name}": by_zone.integer(name, high=3660) for name in by_zone.names()}
        ),
        grade_by_days=(
            cast(tuple[int, int], table.pair("grade_by_days", True))
            if table.has("grade_by_days")
            else None
        ),
        notes=table.text("notes", default=""),
    )
    table.done()
    by_zone.done()
    if any(zone not in zones for zone in event.expected_days_by_zone):
        raise InvalidRules(f"{key}.expected_days_by_zone names an unknown zone.")
    return event
