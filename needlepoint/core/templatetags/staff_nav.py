"""The staff pages' main menu, drawn once per process for each URL prefix, language, role
and current page rather than on every request: its dozen links and conditions were about
a tenth of a signed-in page's time (issue 23). Links and translations don't change while a process
runs; with DEBUG on it is drawn afresh each time, so template edits show at once."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()
_drawn: dict[tuple[str, str, str, str], SafeString] = {}


@register.simple_tag(takes_context=True)
def staff_nav(context: Any) -> SafeString:
    """The menu for ``request.staff``, the page's ``nav`` marked as the current one."""
    role, nav = str(context["request"].staff.role), str(context.get("nav") or "")
    key = (get_script_prefix(), get_language() or "", role, nav)
    drawn = _drawn.get(key)
    if drawn is None or settings.DEBUG:
        manages = context["request"].staff.manages_organisation
        menu = render_to_string("_staff_nav.html", {"role": role, "manages": manages, "nav": nav})
        drawn = _drawn[key] = mark_safe(menu)
    return drawn
