"""Staff screens say a rule's name, never its key ("Oral isotretinoin now or recently",
not "ci.isotretinoin_recent")."""

from __future__ import annotations

from django import template

from needlepoint.clinics.clinical_wording import rule_name as clinical_rule_name

register = template.Library()


@register.filter
def rule_name(key: str) -> str:
    """The name of the contraindication or adverse event ``key``; "" for other rules
    (intervals, course limits), whose message already says what they are."""
    return clinical_rule_name(key)
