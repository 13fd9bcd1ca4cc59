"""Treatment summaries for the client's record: one session, or a whole course."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from babel.dates import format_date, format_time
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from fpdf import FPDF

from needlepoint.clients.models import Client
from needlepoint.clinical import describe_stroke_rate
from needlepoint.core.languages import in_language_of, reader_locale, word_list
from needlepoint.core.pdf import Write, document
from needlepoint.core.storage import NOT_READ, store_errors
from needlepoint.treatments.models import TreatmentSession
from needlepoint.treatments.queries import Chart, session_chart

THUMB_MM = 34


def _day(day: date, form: str = "long") -> str:
    return str(format_date(day, format=form, locale=reader_locale()))


def _moment(moment: datetime) -> str:
    return _("%(day)s, %(time)s") % {
        "day": _day(moment.date()),
        "time": format_time(moment, format="short", locale=reader_locale()),
    }


@in_language_of(lambda session: session.client.preferred_language)
def session_summary_pdf(session: TreatmentSession) -> bytes:
    pdf, write = document()
    client = session.client
    write(client.organisation.name, size=10)
    write(
        _("Treatment summary: %(client)s") % {"client": client.full_name},
        size=16,
        style="B",
        gap=3,
    )
    _session_section(pdf, write, session_chart(session))
    return bytes(pdf.output())


@in_language_of(lambda client, sessions: client.preferred_language)
def course_summary_pdf(client: Client, sessions: Sequence[TreatmentSession]) -> bytes:
    pdf, write = document()
    rules = client.organisation.rules()
    write(client.organisation.name, size=10)
    name = rules.indication(sessions[0].indication).name
    write(_("Course summary: %(client)s") % {"client": client.full_name}, size=16, style="B")
    count = len(sessions)
    write(
        ngettext("%(indication)s, %(count)s session", "%(indication)s, %(count)s sessions", count)
        % {"indication": name, "count": count},
        size=11,
        gap=3,
    )
    for number, session in enumerate(sessions, start=1):
        write(_("Session %(number)s") % {"number": number}, size=13, style="B")
        _session_section(pdf, write, session_chart(session))
    return bytes(pdf.output())


def _session_section(pdf: FPDF, write: Write, chart: Chart) -> None:
    session = chart.session
    rules = session.client.organisation.rules()
    write(
        _("%(day)s at %(location)s, by %(practitioner)s")
        % {
            "day": _day(session.performed_on),
            "location": session.location.name,
            "practitioner": session.practitioner.user.full_name,
        },
        size=10,
    )
    write(
        _("Indication: %(indication)s") % {"indication": rules.indication(session.indication).name},
        size=10,
    )
    if session.completed_at:
        moment = _moment(session.completed_at.astimezone(session.location.zone))
        if session.is_locked:
            status = _("Signed on %(moment)s") % {"moment": moment}
        else:
            status = _("Not yet signed (completed on %(moment)s)") % {"moment": moment}
    else:
        status = _("Signed") if session.is_locked else _("Not yet signed")
    write(status, size=10)
    if session.device:
        device = {"device": session.device.name, "serial": session.device.serial_number}
        if session.speed_hz:
            device["speed"] = describe_stroke_rate(session.speed_hz, "hz")
            write(_("Device: %(device)s (%(serial)s), %(speed)s") % device, size=10)
        else:
            write(_("Device: %(device)s (%(serial)s)") % device, size=10)
    for cartridge in chart.cartridges:
        write(
            _("Cartridge: %(cartridge)s, serial %(serial)s, lot %(lot)s, expires %(expires)s")
            % {
                "cartridge": cartridge.configuration.name,
                "serial": cartridge.serial,
                "lot": cartridge.lot,
                "expires": _day(cartridge.expires_on, "medium"),
            },
            size=10,
        )
    if session.numbing_product:
        write(_("Numbing: %(product)s") % {"product": session.numbing_product}, size=10)
    if session.topicals:
        write(_("Topicals: %(topicals)s") % {"topicals": session.topicals}, size=10)
    write(_("Zones"), size=11, style="B")
    for line in chart.zones:
        record = line.record
        passes = {"zone": line.name, "depth": record.depth_mm, "passes": record.passes}
        text = (
            ngettext(
                "%(zone)s: %(depth)s mm, %(passes)s pass",
                "%(zone)s: %(depth)s mm, %(passes)s passes",
                record.passes,
            )
            % passes
        )
        if record.endpoint:
            text = _("%(text)s, endpoint: %(endpoint)s") % {
                "text": text,
                "endpoint": str(record.get_endpoint_display()).lower(),
            }
        if record.depth_message:
            text += f" ({record.depth_message})"
        if record.override_reason:
            text += " " + _("Override: %(reason)s") % {"reason": record.override_reason}
        write(text, size=10)
    if not chart.zones:
        write(_("No zones charted."), size=10)
    if session.reaction:
        write(
            _("Immediate reaction: %(reaction)s") % {"reaction": session.get_reaction_display()},
            size=10,
        )
    outcome = chart.outcome
    if outcome is not None:
        scores = []
        if outcome.scar_grade:
            scores.append(_("Goodman & Baron grade %(grade)s") % {"grade": outcome.scar_grade})
        if outcome.scar_score is not None:
            scores.append(_("score %(score)s") % {"score": outcome.scar_score})
        if outcome.glogau:
            scores.append(_("Glogau %(type)s") % {"type": outcome.get_glogau_display()})
        if outcome.improvement is not None:
            scores.append(
                _("client-rated improvement %(rating)s/10") % {"rating": outcome.improvement}
            )
        if scores:
            write(
                _("Outcome: %(scores)s") % {"scores": word_list(scores, style="unit")},
                size=10,
            )
        else:
            write(_("Outcome: notes only"), size=10)
    if session.next_eligible_on:
        write(
            _("Next session on these zones from %(day)s") % {"day": _day(session.next_eligible_on)},
            size=10,
        )
    for addendum in chart.addenda:
        write(
            _("Addendum %(day)s by %(author)s: %(text)s")
            % {
                "day": _day(addendum.at.date(), "medium"),
                "author": addendum.by.full_name,
                "text": addendum.text,
            },
            size=9,
        )
    _thumbnails(pdf, chart)
    pdf.ln(4)


def _thumbnails(pdf: FPDF, chart: Chart) -> None:
    if not chart.photos:
        return
    x, y = pdf.l_margin, pdf.get_y()
    if y + THUMB_MM > pdf.h - pdf.b_margin:
        pdf.add_page()
        y = pdf.get_y()
    for photo in chart.photos:
        if x + THUMB_MM > pdf.w - pdf.r_margin:
            x, y = pdf.l_margin, y + THUMB_MM + 2
            if y + THUMB_MM > pdf.h - pdf.b_margin:
                pdf.add_page()
                y = pdf.get_y()
        with store_errors(NOT_READ), photo.thumbnail.open("rb") as thumbnail:
            pdf.image(thumbnail, x=x, y=y, w=THUMB_MM, h=THUMB_MM, keep_aspect_ratio=True)
        x += THUMB_MM + 2
    pdf.set_y(y + THUMB_MM + 2)
