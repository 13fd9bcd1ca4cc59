"""``{% language_switcher organisation %}``: the clinic's languages as buttons, on the client's
pages, when it offers more than one."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from needlepoint.clinics.models import Organisation
from needlepoint.core import languages

register = template.Library()


@register.inclusion_tag("public/_language.html", takes_context=True)
def language_switcher(context: template.Context, organisation: Organisation) -> dict[str, Any]:
    offered = organisation.offered_languages()
    request = context.get("request")
    return {
        "choices": languages.choices(offered) if len(offered) > 1 else [],
        "current": get_language(),
        "next": request.get_full_path() if request is not None else "/",
        "csrf_token": context.get("csrf_token"),
    }
