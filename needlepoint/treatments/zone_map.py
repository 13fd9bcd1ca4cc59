"""The tappable zone map: SVG shapes for every zone of the domain reference (§3).

Two figures: the face with neck, décolletage and scalp, and the body from the front and
back. A zone may have more than one shape (left and right cheek); tapping any of them
opens that zone's form. Each shape's state (charted, with a warning, past a limit,
outside the booked area, chosen) becomes a CSS class.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, pgettext


def pgettext_noop(context: str, message: str) -> str:
    """Marks a figure's words for the catalogue (with their context); the template
    translates them when it shows them."""
    return message


def _ellipse(cx: int, cy: int, rx: int, ry: int) -> str:
    return f"M{cx - rx},{cy} a{rx},{ry} 0 1,0 {2 * rx},0 a{rx},{ry} 0 1,0 {-2 * rx},0 Z"


def _box(x: int, y: int, width: int, height: int) -> str:
    return f"M{x},{y} h{width} v{height} h{-width} Z"


FACE_SHAPES: tuple[tuple[str, str], ...] = (
    ("zone.scalp", "M62,118 Q150,-8 238,118 Q150,72 62,118 Z"),
    ("zone.forehead", "M72,128 Q150,80 228,128 L222,150 Q150,128 78,150 Z"),
    ("zone.temples", _ellipse(66, 170, 11, 22)),
    ("zone.temples", _ellipse(234, 170, 11, 22)),
    ("zone.eyelids", _ellipse(114, 166, 19, 6)),
    ("zone.eyelids", _ellipse(186, 166, 19, 6)),
    ("zone.periorbital", _ellipse(114, 184, 21, 7)),
    ("zone.periorbital", _ellipse(186, 184, 21, 7)),
    ("zone.nose", "M140,172 L160,172 L170,226 Q150,238 130,226 Z"),
    ("zone.cheeks", _ellipse(97, 222, 25, 28)),
    ("zone.cheeks", _ellipse(203, 222, 25, 28)),
    ("zone.perioral", _ellipse(150, 258, 32, 14)),
    ("zone.chin", _ellipse(150, 293, 24, 13)),
    ("zone.jawline", "M62,232 Q78,290 124,308 L119,317 Q70,299 54,234 Z"),
    ("zone.jawline", "M238,232 Q222,290 176,308 L181,317 Q230,299 246,234 Z"),
    ("zone.neck", "M110,322 L190,322 L196,368 L104,368 Z"),
    ("zone.decolletage", "M58,374 L242,374 Q256,404 240,404 L60,404 Q44,404 58,374 Z"),
)
FACE_OUTLINE = _ellipse(150, 198, 96, 124)

BODY_SHAPES: tuple[tuple[str, str], ...] = (
    ("zone.arms", _box(38, 70, 22, 120)),
    ("zone.arms", _box(140, 70, 22, 120)),
    ("zone.hands", _box(38, 194, 22, 26)),
    ("zone.hands", _box(140, 194, 22, 26)),
    ("zone.abdomen", _box(66, 126, 68, 56)),
    ("zone.thighs", _box(66, 190, 32, 120)),
    ("zone.thighs", _box(102, 190, 32, 120)),
    ("zone.back", _box(266, 68, 68, 104)),
    ("zone.buttocks", _box(266, 176, 68, 44)),
)
BODY_OUTLINE = (
    _ellipse(100, 38, 20, 24)
    + " "
    + _box(64, 66, 72, 120)
    + " "
    + _ellipse(300, 38, 20, 24)
    + " "
    + _box(264, 66, 72, 156)
    + " "
    + _box(266, 224, 32, 96)
    + " "
    + _box(302, 224, 32, 96)
)


@dataclass(frozen=True)
class Shape:
    zone: str
    name: str
    path: str
    state: str  # "", "charted-ok", "charted-warn", "charted-block", with " unavailable"/" chosen"


@dataclass(frozen=True)
class Figure:
    title: str
    view_box: str
    outline: str
    shapes: tuple[Shape, ...]
    labels: tuple[tuple[int, int, str], ...] = ()

    def html(self) -> SafeString:
        """The figure as SVG, in the page's language: built here, as a template loop over
        its shapes cost more than the rest of the chart page's template (issue 23)."""
        title = escape(pgettext("zone map", self.title))
        choose = gettext("%(title)s: choose a zone") % {"title": title}
        shapes = "\n".join(
            f'<a href="?zone={s.zone}#zone-form" class="zone {s.state}" aria-label="{name}">'
            f'<title>{name}</title><path d="{s.path}"/></a>'
            for s in self.shapes
            for name in (conditional_escape(s.name),)
        )
        labels = "".join(
            f'<text x="{x}" y="{y}" text-anchor="middle">{label}</text>'
            for x, y, word in self.labels
            for label in (escape(pgettext("zone map", word)),)
        )
        return mark_safe(
            f'\n<figure class="zone-map">\n'
            f'  <svg viewBox="{self.view_box}" role="group" aria-label="{choose}">\n'
            f'    <path class="outline" d="{self.outline}"/>\n'
            f"    {shapes}\n"
            f"    {labels}\n"
            f"  </svg>\n"
            f"  <figcaption>{title}</figcaption>\n"
            f"</figure>\n"
        )


def zone_map(
    names: Mapping[str, str],
    charted: Mapping[str, str],
    allowed: frozenset[str] | None,
    chosen: str,
) -> tuple[Figure, ...]:
    """The two figures with each shape's state; ``allowed`` None means every zone."""

    def shapes(source: tuple[tuple[str, str], ...]) -> tuple[Shape, ...]:
        return tuple(
            Shape(zone, names.get(zone, zone), path, _state(zone, charted, allowed, chosen))
            for zone, path in source
        )

    return (
        Figure(
            pgettext_noop("zone map", "Face, neck and scalp"),
            "0 0 300 410",
            FACE_OUTLINE,
            shapes(FACE_SHAPES),
        ),
        Figure(
            pgettext_noop("zone map", "Body"),
            "0 0 400 330",
            BODY_OUTLINE,
            shapes(BODY_SHAPES),
            labels=(
                (100, 326, pgettext_noop("zone map", "Front")),
                (300, 326, pgettext_noop("zone map", "Back")),
            ),
        ),
    )


def _state(
    zone: str, charted: Mapping[str, str], allowed: frozenset[str] | None, chosen: str
) -> str:
    classes = [f"charted-{charted[zone]}"] if zone in charted else []
    if allowed is not None and zone not in allowed:
        classes.append("unavailable")
    if zone == chosen:
        classes.append("chosen")
    return " ".join(classes)
