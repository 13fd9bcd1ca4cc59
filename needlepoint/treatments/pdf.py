"""Treatment summaries for the client's record: one session, or a whole course."""

from __future__ import annotations

from collections.abc import Sequence

from fpdf import FPDF

from needlepoint.clients.models import Client
from needlepoint.clinical import describe_stroke_rate
from needlepoint.core.languages import in_language_of
from needlepoint.core.pdf import Write, document
from needlepoint.treatments.models import TreatmentSession
from needlepoint.treatments.queries import Chart, session_chart

THUMB_MM = 34


@in_language_of(lambda session: session.client.preferred_language)
def session_summary_pdf(session: TreatmentSession) -> bytes:
    pdf, write = document()
    client = session.client
    write(client.organisation.name, size=10)
    write(f"Treatment summary: {client.full_name}", size=16, style="B", gap=3)
    _session_section(pdf, write, session_chart(session))
    return bytes(pdf.output())


@in_language_of(lambda client, sessions: client.preferred_language)
def course_summary_pdf(client: Client, sessions: Sequence[TreatmentSession]) -> bytes:
    pdf, write = document()
    rules = client.organisation.rules()
    write(client.organisation.name, size=10)
    name = rules.indication(sessions[0].indication).name
    write(f"Course summary: {client.full_name}", size=16, style="B")
    write(f"{name}, {len(sessions)} session{'s' if len(sessions) != 1 else ''}", size=11, gap=3)
    for number, session in enumerate(sessions, start=1):
        write(f"Session {number}", size=13, style="B")
        _session_section(pdf, write, session_chart(session))
    return bytes(pdf.output())


def _session_section(pdf: FPDF, write: Write, chart: Chart) -> None:
    session = chart.session
    rules = session.client.organisation.rules()
    write(
        f"{session.performed_on:%d %B %Y} at {session.location.name}, "
        f"by {session.practitioner.user.full_name}",
        size=10,
    )
    write(f"Indication: {rules.indication(session.indication).name}", size=10)
    status = "Signed" if session.is_locked else "Not yet signed"
    if session.completed_at:
        status += f" on {session.completed_at.astimezone(session.location.zone):%d %B %Y, %H:%M}"
    write(status, size=10)
    if session.device:
        speed = f", {describe_stroke_rate(session.speed_hz, 'hz')}" if session.speed_hz else ""
        write(f"Device: {session.device.name} ({session.device.serial_number}){speed}", size=10)
    for cartridge in chart.cartridges:
        write(
            f"Cartridge: {cartridge.configuration.name}, serial {cartridge.serial}, "
            f"lot {cartridge.lot}, expires {cartridge.expires_on:%d %b %Y}",
            size=10,
        )
    if session.numbing_product:
        write(f"Numbing: {session.numbing_product}", size=10)
    if session.topicals:
        write(f"Topicals: {session.topicals}", size=10)
    write("Zones", size=11, style="B")
    for line in chart.zones:
        record = line.record
        text = f"{line.name}: {record.depth_mm} mm, {record.passes} passes"
        if record.endpoint:
            text += f", endpoint {record.get_endpoint_display().lower()}"
        if record.depth_message:
            text += f" ({record.depth_message})"
        if record.override_reason:
            text += f" Override: {record.override_reason}"
        write(text, size=10)
    if not chart.zones:
        write("No zones charted.", size=10)
    if session.reaction:
        write(f"Immediate reaction: {session.get_reaction_display()}", size=10)
    outcome = chart.outcome
    if outcome is not None:
        scores = []
        if outcome.scar_grade:
            scores.append(f"Goodman & Baron grade {outcome.scar_grade}")
        if outcome.scar_score is not None:
            scores.append(f"score {outcome.scar_score}")
        if outcome.glogau:
            scores.append(f"Glogau {outcome.get_glogau_display()}")
        if outcome.improvement is not None:
            scores.append(f"client-rated improvement {outcome.improvement}/10")
        write("Outcome: " + (", ".join(scores) or "notes only"), size=10)
    if session.next_eligible_on:
        write(f"Next session on these zones from {session.next_eligible_on:%d %B %Y}", size=10)
    for addendum in chart.addenda:
        write(
            f"Addendum {addendum.at:%d %b %Y} by {addendum.by.full_name}: {addendum.text}", size=9
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
        with photo.thumbnail.open("rb") as thumbnail:
            pdf.image(thumbnail, x=x, y=y, w=THUMB_MM, h=THUMB_MM, keep_aspect_ratio=True)
        x += THUMB_MM + 2
    pdf.set_y(y + THUMB_MM + 2)
