"""The clinical engine's messages and rules texts in the reader's language, for templates.

{% load clinical_text %}
{{ reason|clinical_text }}      a reason (or a stored one), a refusal, a depth check...
{{ question.text|rule_text }}   a human text of rules.toml
{{ "zone.cheeks"|zone_name }}
"""

from __future__ import annotations

from django import template

from needlepoint.clinics import clinical_wording

register = template.Library()


@register.filter(name="clinical_text")
def clinical_text(thing: object) -> str:
    return clinical_wording.clinical_text(thing)


@register.filter(name="rule_text")
def rule_text(text: str | None) -> str:
    return clinical_wording.rule_text(text or "")


@register.filter(name="zone_name")
def zone_name(key: str) -> str:
    return clinical_wording.zone_name(key)
