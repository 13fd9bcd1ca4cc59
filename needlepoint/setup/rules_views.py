"""Settings: the clinical rules a clinic may adjust. Owners change them; managers read them."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from needlepoint.accounts.access import StaffRequest, no_store, staff_view
from needlepoint.clinics.choices import Role
from needlepoint.clinics.clinical_rules import (
    GROUPS,
    AdjustableRule,
    adjustable_rules,
    clinic_value,
    clinical_rule_reset,
    clinical_rule_set,
    value_in_words,
)
from needlepoint.core.errors import DomainError
from needlepoint.setup.consent_forms import ClinicalRuleForm, rule_initial


@dataclass(frozen=True)
class RuleRow:
    rule: AdjustableRule
    default: str
    clinic: str  # "" where the default stands


@staff_view
def clinical_rules(request: StaffRequest) -> HttpResponse:
    organisation = request.staff.organisation
    groups: dict[str, list[RuleRow]] = {group: [] for group in GROUPS}
    for rule in adjustable_rules().values():
        value = clinic_value(organisation, rule)
        clinic = value_in_words(rule, value) if value is not None else ""
        groups[rule.group].append(RuleRow(rule, value_in_words(rule, rule.default), clinic))
    context = {
        "nav": "settings",
        "groups": [(GROUPS[key], rows) for key, rows in groups.items()],
        "can_change": request.staff.role == Role.OWNER,
        "changed": sum(1 for rows in groups.values() for row in rows if row.clinic),
    }
    return no_store(render(request, "setup/rules/list.html", context))


@staff_view
def clinical_rule_edit(request: StaffRequest, key: str) -> HttpResponse:
    organisation = request.staff.organisation
    rule = adjustable_rules().get(key)
    if rule is None:
        raise Http404(_("This is not a rule a clinic can adjust."))
    can_change = request.staff.role == Role.OWNER
    if request.method == "POST" and not can_change:
        raise PermissionDenied(_("Only the clinic's owner changes clinical rules."))
    value = clinic_value(organisation, rule)
    in_force = value if value is not None else rule.default
    form = ClinicalRuleForm(request.POST or None, rule=rule, initial=rule_initial(rule, in_force))
    resetting = "reset" in request.POST
    if request.method == "POST" and (resetting or form.is_valid()):
        try:
            if resetting:
                clinical_rule_reset(organisation=organisation, key=key, by=request.staff)
            else:
                clinical_rule_set(
                    organisation=organisation, key=key, value=form.rule_value(), by=request.staff
                )
        except DomainError as error:
            form.add_error("value" if error.field == "value" else None, error.message)
        else:
            messages.success(request, _("Saved: %(name)s.") % {"name": rule.name})
            return redirect("settings:clinical_rules")
    context = {
        "nav": "settings",
        "rule": rule,
        "group": GROUPS[rule.group],
        "form": form,
        "can_change": can_change,
        "default": value_in_words(rule, rule.default),
        "clinic": value_in_words(rule, value) if value is not None else "",
    }
    return no_store(render(request, "setup/rules/edit.html", context))
