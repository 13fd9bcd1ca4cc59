"""Staff screens say a rule's name, never its key ("Oral isotretinoin now or recently",
not "ci.isotretinoin_recent")."""

from __future__ import annotations

from django import template

from needlepoint.clinical import default_rules

register = template.Library()


@register.filter
def rule_name(key: str) -> str:
    """The name of the contraindication or adverse event ``key``; "" for other rules
    (intervals, course limits), whose message already says what they are."""
    rules = default_rules()
    found = rules.contraindications.get(key) or rules.adverse_events.get(key)
    return found.name if found is not None else ""
