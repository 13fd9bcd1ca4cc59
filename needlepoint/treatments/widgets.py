"""The chart's form fields drawn in Python, byte for byte as Django's own widget templates
draw them: the open chart has some forty fields, and a template render for each one (and
for each option of each list) was most of the page's time (issue 23).

Only the plain widgets are drawn here (inputs, text areas, single-choice lists); anything
else, or anything these do not expect, goes to Django's renderer as before.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import Any

from django.forms.renderers import BaseRenderer, get_default_renderer
from django.template import Template
from django.utils.functional import Promise
from django.utils.html import conditional_escape

Widget = Mapping[str, Any]


def _escape(value: Any) -> str:
    """``conditional_escape``, sooner for a plain string (most of what a form holds)."""
    return html.escape(value) if type(value) is str else conditional_escape(value)


def _attrs(attrs: Mapping[str, Any]) -> str:
    """django/forms/widgets/attrs.html"""
    return "".join(
        f" {_escape(name)}" if value is True else f' {_escape(name)}="{_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: Widget) -> str | None:
    """django/forms/widgets/input.html (text, number, hidden, time, date, file …)"""
    value = widget["value"]
    shown = "" if value is None else f' value="{_escape(value)}"'
    return (
        f'<input type="{_escape(widget["type"])}"'
        f' name="{_escape(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'
    )


def _file_input(widget: Widget) -> str | None:
    """django/forms/widgets/clearable_file_input.html with no file yet: a file input."""
    if widget.get("is_initial"):
        return None
    return (
        f'<input type="{_escape(widget["type"])}"'
        f' name="{_escape(widget["name"])}"{_attrs(widget["attrs"])}>'
    )


def _textarea(widget: Widget) -> str | None:
    """django/forms/widgets/textarea.html"""
    value = widget["value"]
    if value and not isinstance(value, str | Promise):
        return None  # the template would localise it
    text = _escape(value) if value else ""
    return (
        f'<textarea name="{_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n{text}</textarea>'
    )


def _select(widget: Widget) -> str | None:
    """django/forms/widgets/select.html, its options as select_option.html draws them."""
    parts = [f'<select name="{_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_escape(group_name)}">')
        for option in group_choices:
            label = option["label"]
            if option["template_name"] != OPTION or not isinstance(label, str | Promise):
                return None  # another kind of option, or a label the template would localise
            parts.append(
                f'\n  <option value="{_escape(option["value"])}"'
                f"{_attrs(option['attrs'])}>{_escape(str(label))}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


OPTION = "django/forms/widgets/select_option.html"
DRAWN: dict[str, Callable[[Widget], str | None]] = {
    **{
        f"django/forms/widgets/{name}.html": _input
        for name in ("input", "text", "number", "hidden", "time", "date", "email", "file")
    },
    "django/forms/widgets/clearable_file_input.html": _file_input,
    "django/forms/widgets/textarea.html": _textarea,
    "django/forms/widgets/select.html": _select,
}


class PlainWidgets(BaseRenderer):
    """A form renderer drawing the widgets of ``DRAWN`` itself; Django's draws the rest."""

    def get_template(self, template_name: str) -> Template:
        return get_default_renderer().get_template(template_name)  # type: ignore[no-any-return]

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        draw = DRAWN.get(template_name)
        widget = context.get("widget")
        drawn = draw(widget) if draw is not None and widget is not None else None
        if drawn is None:
            return get_default_renderer().render(template_name, context, request)
        return drawn


PLAIN_WIDGETS = PlainWidgets()
