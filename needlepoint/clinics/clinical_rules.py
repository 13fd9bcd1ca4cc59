"""The clinical rules a clinic may adjust, and changing them (``Organisation.rule_overrides``).

Only the responsible clinician (an owner) changes them. The rules engine
(``Rules.with_overrides``) judges every value; its message is shown when it refuses one.
Every change is audited with the old and the new value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from needlepoint.audit import log as audit
from needlepoint.audit.choices import Action, Target
from needlepoint.clinical import ClinicalError, Rules, default_rules, parse_duration
from needlepoint.clinics.choices import Role
from needlepoint.clinics.clinical_wording import (
    duration_words,
    error_text,
    in_sentence,
    number,
    rule_text,
)
from needlepoint.clinics.models import Organisation, StaffMember
from needlepoint.core.errors import DomainError, checked

Kind = Literal["days", "mm", "wait", "sessions"]
RuleValue = int | float | str


@dataclass(frozen=True)
class AdjustableRule:
    """One value of the rules file a clinic may change: its dotted key and its name."""

    key: str
    group: str
    name: str
    kind: Kind
    default: RuleValue


def adjustable_rules() -> dict[str, AdjustableRule]:
    """Every adjustable rule by key: intervals, deepest needling per zone, waits, courses."""
    rules = default_rules()
    found = [*_intervals(rules), *_zones(rules), *_waits(rules), *_courses(rules)]
    return {rule.key: rule for rule in found}


def _intervals(rules: Rules) -> list[AdjustableRule]:
    group = "intervals"
    interval = rules.interval
    found = [
        AdjustableRule(
            "interval.superficial_days",
            group,
            _("After superficial needling"),
            "days",
            interval.superficial_days,
        ),
        AdjustableRule(
            "interval.dermal_days", group, _("After deeper needling"), "days", interval.dermal_days
        ),
        AdjustableRule(
            "interval.superficial_max_depth_mm",
            group,
            _("Deepest needling counted as superficial"),
            "mm",
            interval.superficial_max_depth_mm,
        ),
    ]
    for exception in interval.exceptions:
        name = _("%(indication)s on the %(zone)s") % {
            "indication": rule_text(rules.indication(exception.indication).name),
            "zone": in_sentence(rule_text(rules.zone(exception.zone).name)),
        }
        key = f"interval.exceptions.{exception.key}.days"
        found.append(AdjustableRule(key, group, name, "days", exception.days))
    return found


def _zones(rules: Rules) -> list[AdjustableRule]:
    return [
        AdjustableRule(
            f"{key}.max_depth_mm", "zones", rule_text(zone.name), "mm", zone.max_depth_mm
        )
        for key, zone in rules.zones.items()
    ]


def _waits(rules: Rules) -> list[AdjustableRule]:
    found = []
    for key, ci in rules.contraindications.items():
        if ci.wait is not None:
            found.append(
                AdjustableRule(f"{key}.wait", "waits", rule_text(ci.name), "wait", str(ci.wait))
            )
        for name, variant in ci.variants.items():
            found.append(
                AdjustableRule(
                    f"{key}.variants.{name}.wait",
                    "waits",
                    _("%(name)s: %(kind)s")
                    % {"name": rule_text(ci.name), "kind": rule_text(variant.label)},
                    "wait",
                    str(variant.wait),
                )
            )
    return found


def _courses(rules: Rules) -> list[AdjustableRule]:
    return [
        AdjustableRule(
            f"{key}.course_max_sessions",
            "courses",
            rule_text(ind.name),
            "sessions",
            ind.course_max_sessions,
        )
        for key, ind in rules.indications.items()
    ]


GROUPS = {
    "intervals": gettext_lazy("Days between sessions on the same zone"),
    "zones": gettext_lazy("Deepest needling on each zone"),
    "waits": gettext_lazy("Waits before treatment"),
    "courses": gettext_lazy("Sessions in a course"),
}


def value_in_words(rule: AdjustableRule, value: RuleValue) -> str:
    """A rule's value as the clinic says it: "28 days", "1.5 mm", "6 months", "6 sessions"."""
    if rule.kind == "wait":
        return duration_words(parse_duration(str(value)))
    if rule.kind == "mm":
        return _("%(depth)s mm") % {"depth": number(float(value))}
    if rule.kind == "days":
        count = int(str(value))
        return ngettext("%(count)s day", "%(count)s days", count) % {"count": count}
    count = int(str(value))
    return ngettext("%(count)s session", "%(count)s sessions", count) % {"count": count}


def clinic_value(organisation: Organisation, rule: AdjustableRule) -> RuleValue | None:
    """The clinic's own value for the rule, or None where the default stands."""
    overrides = organisation.rule_overrides or {}
    value = overrides.get(rule.key)
    return value if isinstance(value, int | float | str) else None


def find_rule(key: str) -> AdjustableRule:
    rule = adjustable_rules().get(key)
    if rule is None:
        raise DomainError("unknown_rule", _("This is not a rule a clinic can adjust."))
    return rule


@transaction.atomic
def clinical_rule_set(
    *, organisation: Organisation, key: str, value: RuleValue, by: StaffMember
) -> None:
    """Set the clinic's value of one rule; the default's own value resets it."""
    rule = find_rule(key)
    _check_owner(organisation, by)
    if rule.kind == "wait":
        try:
            value = str(parse_duration(str(value)))
        except ClinicalError as error:
            raise DomainError("invalid_override", error_text(error), field="value") from error
    elif rule.kind == "mm" and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    _write(organisation, rule, None if value == rule.default else value)


@transaction.atomic
def clinical_rule_reset(*, organisation: Organisation, key: str, by: StaffMember) -> None:
    """Back to the shipped default."""
    rule = find_rule(key)
    _check_owner(organisation, by)
    _write(organisation, rule, None)


def _check_owner(organisation: Organisation, by: StaffMember) -> None:
    if by.organisation_id != organisation.pk or by.role != Role.OWNER:
        raise DomainError(
            "owner_only",
            _("Only the clinic's owner, its responsible clinician, changes clinical rules."),
        )


def _write(organisation: Organisation, rule: AdjustableRule, value: RuleValue | None) -> None:
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    overrides = dict(locked.rule_overrides or {})
    old = overrides.get(rule.key)
    if value is None:
        overrides.pop(rule.key, None)
    else:
        overrides[rule.key] = value
    if overrides.get(rule.key) == old:
        return
    try:
        default_rules().with_overrides(overrides)
    except ClinicalError as error:
        raise DomainError("invalid_override", error_text(error), field="value") from error
    locked.rule_overrides = overrides
    checked(locked, "invalid_override")
    locked.save(update_fields=["rule_overrides"])
    organisation.rule_overrides = overrides
    audit.record(
        Action.CHANGED,
        Target.CLINICAL_RULES,
        rule.key,
        organisation_id=organisation.pk,
        detail={
            "rule": rule.key,
            "old": old if old is not None else rule.default,
            "new": value if value is not None else rule.default,
            "default": value is None,
        },
    )
