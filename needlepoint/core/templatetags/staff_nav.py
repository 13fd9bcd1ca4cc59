"""The staff pages' menu and sign-out form, drawn once per process for each URL prefix,
language, role and current page rather than on every request: their links, labels and
conditions were about a quarter of rendering a signed-in page (issue 23). Links and
translations don't change while a process runs; with DEBUG on it is drawn afresh each
time, so template edits show at once.

Two things differ on every request, the CSRF token and the staff member's name: the
drawing holds a mark where each goes, and they are put in, escaped, as the page is drawn.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()
_drawn: dict[tuple[str, str, str, str], list[str]] = {}
MARK = "\x1e"
"""Stands for the CSRF token and the name in a drawing: no text of the template holds it,
and escaping leaves it as it is."""


@register.simple_tag(takes_context=True)
def staff_nav(context: Any) -> SafeString:
    """The menu and sign-out form for ``request.staff``, the page's ``nav`` marked as the
    current one."""
    request = context["request"]
    staff = request.staff
    role, nav = str(staff.role), str(context.get("nav") or "")
    key = (get_script_prefix(), get_language() or "", role, nav)
    parts = _drawn.get(key)
    if parts is None or settings.DEBUG:
        drawn = render_to_string(
            "_staff_nav.html",
            {
                "role": role,
                "role_name": staff.get_role_display(),
                "manages": staff.manages_organisation,
                "nav": nav,
                "csrf_token": MARK,
                "who": MARK,
            },
        )
        parts = _drawn[key] = drawn.split(MARK)
    before_token, before_name, rest = parts
    token, name = escape(context["csrf_token"]), escape(request.user.get_short_name())
    return mark_safe(before_token + token + before_name + name + rest)
