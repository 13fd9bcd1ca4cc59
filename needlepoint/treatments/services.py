"""Every write to a treatment chart: start, numbing, zones, cartridge, photos, outcome,
complete, addenda, adverse events.

A chart is written while the session is open; ``session_complete`` signs and locks it
(the database refuses later changes) and computes the next eligible date. After that
only addenda and an outcome may be added.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from needlepoint.accounts.models import User
from needlepoint.audit import log as audit
from needlepoint.audit.choices import Action, Target
from needlepoint.clients.answers import answers_from_json
from needlepoint.clients.history import client_history
from needlepoint.clients.models import Client
from needlepoint.clinical import (
    Answers,
    ClinicalError,
    check_cartridge,
    check_depth,
    goodman_baron_score,
)
from needlepoint.clinical import next_session_date as clinical_next_session_date
from needlepoint.clinics.choices import TREATING_ROLES, Role
from needlepoint.clinics.clinical_wording import depth_text, error_text, refusal_text
from needlepoint.clinics.models import Device, NeedleConfiguration
from needlepoint.consents.services import consent_covers_refusal
from needlepoint.core.errors import DomainError
from needlepoint.core.storage import remove_quietly, store_errors
from needlepoint.scheduling.choices import BookingStatus, ServiceKind
from needlepoint.scheduling.models import Booking
from needlepoint.scheduling.services import booking_check_in, booking_complete
from needlepoint.treatments import signals
from needlepoint.treatments.checklist import session_checklist
from needlepoint.treatments.choices import PhotoTiming, PhotoView, SessionStatus
from needlepoint.treatments.models import (
    AdverseEvent,
    Cartridge,
    Countersignature,
    Outcome,
    Photo,
    SessionAddendum,
    TreatmentSession,
    ZoneTreatment,
)
from needlepoint.treatments.photos import process_photo

CHARTING_ROLES = TREATING_ROLES
OVERRIDE_ROLES = {Role.OWNER, Role.MANAGER, Role.PRACTITIONER}


def session_start(*, booking: Booking, by: User, now: datetime | None = None) -> TreatmentSession:
    """Open the chart of a booked treatment (checking the client in); the same chart if open."""
    now = now or timezone.now()
    _require_charting_role(by)
    existing = TreatmentSession.objects.filter(booking=booking).first()
    if existing is not None:
        return existing
    service = booking.service
    if service.kind != ServiceKind.TREATMENT:
        raise DomainError("not_a_treatment", f"{service.name} is not a treatment to chart.")
    if booking.status not in {BookingStatus.BOOKED, BookingStatus.CHECKED_IN}:
        raise DomainError(
            "wrong_status", f"A {booking.get_status_display().lower()} visit can't be charted."
        )
    with transaction.atomic():
        if booking.status == BookingStatus.BOOKED:
            booking_check_in(booking=booking, by=by, now=now)
        session = TreatmentSession.objects.create(
            client=booking.client,
            location=booking.location,
            practitioner=booking.practitioner,
            booking=booking,
            indication=service.indication,
            performed_on=booking.starts_at.astimezone(booking.location.zone).date(),
            device=booking.device,
        )
        _audit(Action.CREATED, session, "chart opened")
        return session


def session_details_record(
    *,
    session: TreatmentSession,
    by: User,
    device: Device | None = None,
    speed_hz: int | None = None,
    numbing_product: str = "",
    numbing_applied_at: datetime | None = None,
    topicals: str = "",
    reaction: str = "",
    reaction_notes: str = "",
    notes: str = "",
) -> TreatmentSession:
    """The session-wide part of the chart: pen and speed, numbing, topicals, reaction, notes."""
    _require_open(session, by)
    if device is not None and device.location_id != session.location_id:
        raise DomainError("wrong_device", "That device belongs to another location.")
    if numbing_applied_at is not None and numbing_applied_at.tzinfo is None:
        raise DomainError("naive_time", "The numbing time needs its time zone.")
    session.device, session.speed_hz = device, speed_hz
    session.numbing_product, session.numbing_applied_at = numbing_product, numbing_applied_at
    session.topicals, session.reaction, session.reaction_notes = topicals, reaction, reaction_notes
    session.notes = notes
    session.full_clean(exclude=["client", "location", "practitioner", "booking", "completed_by"])
    session.save()
    _audit(Action.CHANGED, session, "session details")
    return session


@transaction.atomic
def zone_record(
    *,
    session: TreatmentSession,
    zone: str,
    depth_mm: Decimal | float | str,
    by: User,
    passes: int = 3,
    technique: str = "",
    endpoint: str = "",
    notes: str = "",
    override_reason: str = "",
    cartridge: Cartridge | None = None,
    now: datetime | None = None,
) -> ZoneTreatment:
    """Chart one segment of a zone: a depth with its passes, cartridge and endpoint.

    Each call adds a segment (a zone treated at two depths is two segments), so a later,
    shallower pass never replaces a deeper one; a segment charted in error is removed
    with ``segment_remove``. The depth is checked against the zone's limits: a warning is
    kept with the record; a block is refused unless a practitioner, manager or owner
    gives a reason, which is kept with who gave it.
    """
    now = now or timezone.now()
    _require_open(session, by)
    checklist = session_checklist(session, now)
    if not checklist.ready:
        missing = "; ".join(f"{check.label}: {check.message}" for check in checklist.blockers)
        raise DomainError("checklist_not_ready", f"Not ready to needle. {missing}")
    depth = _depth(depth_mm)
    rules = session.client.organisation.rules()
    try:
        allowed_zones = rules.area_zones(session.booking.service.area) if session.booking else ()
        check = check_depth(zone, session.indication, float(depth), rules=rules)
    except ClinicalError as error:
        raise DomainError(error.code, error_text(error), field="zone") from error
    if allowed_zones and zone not in allowed_zones:
        raise DomainError(
            "zone_not_booked",
            f"{rules.zone(zone).name} is not part of the booked area.",
            field="zone",
        )
    if session.booking is not None:
        uncovered = consent_covers_refusal(
            client=session.client,
            service=session.booking.service,
            indication=session.indication,
            device_kind=session.device.kind if session.device else "",
            depth_mm=float(depth),
        )
        if uncovered:
            raise DomainError("consent_not_covering", uncovered, field="depth_mm")
    if cartridge is not None and cartridge.session_id != session.pk:
        raise DomainError(
            "wrong_cartridge", _("That cartridge was not used in this session."), field="cartridge"
        )
    override_by = None
    if check.status == "block":
        if not override_reason.strip():
            raise DomainError("depth_blocked", depth_text(check, rules), field="depth_mm")
        if _role(by) not in OVERRIDE_ROLES:
            raise DomainError(
                "override_not_allowed",
                "Only a practitioner, manager or owner may chart past a depth limit.",
                field="override_reason",
            )
        override_by = by
    record = ZoneTreatment.objects.create(
        session=session,
        zone=zone,
        depth_mm=depth,
        passes=passes,
        cartridge=cartridge,
        technique=technique,
        endpoint=endpoint,
        notes=notes,
        depth_status=check.status,
        depth_message=depth_text(check, rules) if check.status != "ok" else "",
        override_reason=override_reason.strip() if override_by else "",
        override_by=override_by,
    )
    _audit(Action.CHANGED, session, f"zone {zone} at {depth} mm")
    if override_by is not None:
        _audit(Action.OVERRIDDEN, session, f"depth limit on zone {zone}", override_reason.strip())
    return record


def segment_remove(*, session: TreatmentSession, segment: int | str, by: User) -> None:
    """Take back a segment charted in error (the chart is still open)."""
    _require_open(session, by)
    record = ZoneTreatment.objects.filter(session=session, pk=_segment_id(segment)).first()
    if record is None:
        raise DomainError("no_segment", _("That segment is not on this chart."))
    record.delete()
    _audit(Action.CHANGED, session, f"zone {record.zone} at {record.depth_mm} mm removed")


def _segment_id(value: int | str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise DomainError("no_segment", _("That segment is not on this chart.")) from None


@transaction.atomic
def cartridge_use(
    *,
    session: TreatmentSession,
    configuration: NeedleConfiguration,
    serial: str,
    lot: str,
    expires_on: date,
    by: User,
    now: datetime | None = None,
) -> Cartridge:
    """Record the sterile cartridge opened for this session; each one serves one session only.

    A cartridge already in stock is claimed; an unknown serial is recorded as it is
    opened. Refused: an expired lot, a material the client is allergic to, a used serial.
    """
    now = now or timezone.now()
    _require_open(session, by)
    serial, lot = serial.strip(), lot.strip()
    if not lot:
        raise DomainError("lot_missing", "Record the cartridge's lot number.", field="lot")
    organisation = session.client.organisation
    if configuration.organisation_id != organisation.pk:
        raise DomainError("wrong_configuration", "That cartridge type belongs to another clinic.")
    stocked = Cartridge.objects.filter(organisation=organisation, serial=serial).first()
    used = {serial} if stocked is not None and stocked.session_id is not None else set()
    try:
        check = check_cartridge(
            _allergies(session.client),
            configuration.material,
            expires_on,
            session.performed_on,
            serial,
            used,
            rules=organisation.rules(),
        )
    except ClinicalError as error:
        raise DomainError(error.code, error_text(error), field="serial") from error
    if not check.ok:
        raise DomainError(
            check.refusals[0].key.replace(".", "_"),
            " ".join(refusal_text(refusal) for refusal in check.refusals),
            field="serial",
        )
    _audit(Action.CHANGED, session, f"cartridge {serial}, lot {lot}")
    if stocked is None:
        try:
            with transaction.atomic():
                return Cartridge.objects.create(
                    organisation=organisation,
                    configuration=configuration,
                    serial=serial,
                    lot=lot,
                    expires_on=expires_on,
                    session=session,
                    opened_at=now,
                )
        except IntegrityError as error:  # the same serial recorded a moment ago elsewhere
            raise DomainError(
                "cartridge_used", f"Cartridge {serial} has already been used.", field="serial"
            ) from error
    claimed = Cartridge.objects.filter(pk=stocked.pk, session__isnull=True).update(
        session=session, opened_at=now
    )
    if not claimed:
        raise DomainError(
            "cartridge_used", f"Cartridge {serial} has already been used.", field="serial"
        )
    stocked.refresh_from_db()
    return stocked


def photo_add(
    *,
    session: TreatmentSession,
    view: str,
    timing: str,
    data: bytes,
    by: User,
    now: datetime | None = None,
) -> Photo:
    """Store a standard-view photo of the session, re-encoded without its metadata."""
    now = now or timezone.now()
    _require_open(session, by)
    if view not in PhotoView.values:
        raise DomainError("unknown_view", f"Unknown photo view {view!r}.", field="view")
    if timing not in PhotoTiming.values:
        raise DomainError("unknown_timing", "A photo is taken before or after.", field="timing")
    processed = process_photo(data, folder=f"{session.client.organisation_id}/{session.public_id}")
    photo = Photo(
        session=session,
        view=view,
        timing=timing,
        width=processed.width,
        height=processed.height,
        uploaded_by=by,
        uploaded_at=now,
    )
    # The files first, then the row; when either fails, whatever was written is taken back.
    try:
        with store_errors():
            photo.image.save(processed.image.name or "", processed.image, save=False)
            photo.thumbnail.save(processed.thumbnail.name or "", processed.thumbnail, save=False)
        photo.save()
    except BaseException:
        remove_quietly(photo.image, photo.thumbnail)
        raise
    audit.record(
        Action.CREATED,
        Target.PHOTO,
        photo.public_id,
        client=session.client,
        detail={"session": str(session.public_id), "view": view, "timing": timing},
    )
    return photo


def outcome_record(
    *,
    session: TreatmentSession,
    by: User,
    scar_grade: int | None = None,
    scar_counts: Mapping[str, int] | None = None,
    hypertrophic_area_cm2: float = 0.0,
    glogau: int | None = None,
    improvement: int | None = None,
    notes: str = "",
    now: datetime | None = None,
) -> Outcome:
    """The session's scores, recorded once (a correction is an addendum)."""
    _require_charting_role(by)
    if Outcome.objects.filter(session=session).exists():
        raise DomainError("outcome_recorded", "This session's outcome is already recorded.")
    counts = {key: int(value) for key, value in (scar_counts or {}).items() if int(value)}
    try:
        score = goodman_baron_score(counts, hypertrophic_area_cm2=hypertrophic_area_cm2)
    except ClinicalError as error:
        raise DomainError(error.code, error_text(error), field="scar_counts") from error
    if improvement is not None and not 0 <= improvement <= 10:
        raise DomainError("improvement_out_of_range", "Improvement is rated 0 to 10.")
    outcome = Outcome(
        session=session,
        scar_grade=scar_grade,
        scar_counts=counts,
        scar_score=score if counts or hypertrophic_area_cm2 else None,
        glogau=glogau,
        improvement=improvement,
        notes=notes,
        recorded_by=by,
        recorded_at=now or timezone.now(),
    )
    outcome.full_clean(exclude=["session", "recorded_by"])
    outcome.save()
    _audit(Action.CHANGED, session, "outcome")
    return outcome


@transaction.atomic
def session_complete(
    *, session: TreatmentSession, by: User, now: datetime | None = None
) -> TreatmentSession:
    """Sign and lock the chart, complete the visit, and compute the next eligible date."""
    now = now or timezone.now()
    _require_open(session, by)
    locked = TreatmentSession.objects.select_for_update().get(pk=session.pk)
    if locked.status != SessionStatus.OPEN:
        raise DomainError("chart_locked", "This chart is already signed.")
    zones = sorted(set(session.zones.values_list("zone", flat=True)))
    if not zones:
        raise DomainError("no_zones", "Chart at least one zone before completing the session.")
    if not session.cartridges.exists():
        raise DomainError("no_cartridge", "Record the cartridge used before completing.")
    blockers = session_checklist(session, now).blockers
    if blockers:
        raise DomainError("checklist_not_ready", f"Still open: {blockers[0].label}.")
    eligibility = clinical_next_session_date(
        client_history(session.client),
        zones,
        session.indication,
        rules=session.client.organisation.rules(),
    )
    session.status, session.completed_at, session.completed_by = SessionStatus.COMPLETED, now, by
    session.next_eligible_on = eligibility.earliest
    session.save(update_fields=["status", "completed_at", "completed_by", "next_eligible_on"])
    if session.booking is not None and session.booking.status == BookingStatus.CHECKED_IN:
        booking_complete(booking=session.booking, by=by, now=now)
    signals.session_completed.send(TreatmentSession, session=session)
    _audit(Action.CHANGED, session, "signed")
    return session


def addendum_add(
    *, session: TreatmentSession, text: str, by: User, now: datetime | None = None
) -> SessionAddendum:
    """A later note or correction on a signed chart; the chart itself stays as signed."""
    _require_charting_role(by)
    if session.status != SessionStatus.COMPLETED:
        raise DomainError("chart_open", "The chart is still open: change it directly.")
    if not text.strip():
        raise DomainError("addendum_empty", "Write what the addendum adds or corrects.")
    addendum = SessionAddendum.objects.create(
        session=session, text=text.strip(), by=by, at=now or timezone.now()
    )
    _audit(Action.CHANGED, session, "addendum")
    return addendum


def countersign_needed(session: TreatmentSession) -> bool:
    """Signed by a trainee and not yet countersigned by a practitioner, manager or owner."""
    if session.status != SessionStatus.COMPLETED or session.completed_by is None:
        return False
    if _role(session.completed_by) != Role.TRAINEE:
        return False
    return not Countersignature.objects.filter(session=session).exists()


def session_countersign(
    *, session: TreatmentSession, by: User, now: datetime | None = None
) -> Countersignature:
    """A practitioner, manager or owner signs under a trainee's signed chart."""
    if _role(by) not in OVERRIDE_ROLES:
        raise DomainError(
            "countersign_not_allowed", "Only a practitioner, manager or owner may countersign."
        )
    if not countersign_needed(session):
        raise DomainError("no_countersign_needed", "This chart does not await a countersignature.")
    try:
        with transaction.atomic():
            signature = Countersignature.objects.create(
                session=session, by=by, at=now or timezone.now()
            )
    except IntegrityError as error:
        raise DomainError(
            "already_countersigned", "This chart is already countersigned."
        ) from error
    _audit(Action.COUNTERSIGNED, session, "countersigned")
    return signature


@transaction.atomic
def adverse_event_record(
    *,
    client: Client,
    kind: str,
    grade: int,
    onset_on: date,
    by: User,
    zones: list[str] | None = None,
    session: TreatmentSession | None = None,
    notes: str = "",
    follow_up: str = "",
) -> AdverseEvent:
    _require_charting_role(by)
    rules = client.organisation.rules()
    try:
        rules.adverse_event(kind)
        for zone in zones or ():
            rules.zone(zone)
    except ClinicalError as error:
        raise DomainError(error.code, error_text(error), field="kind") from error
    if session is not None and session.client_id != client.pk:
        raise DomainError("wrong_session", "That session is another client's.")
    event = AdverseEvent(
        client=client,
        session=session,
        kind=kind,
        zones=list(zones or []),
        grade=grade,
        onset_on=onset_on,
        notes=notes,
        follow_up=follow_up,
        recorded_by=by,
    )
    event.full_clean(exclude=["client", "session", "recorded_by"])
    event.save()
    audit.record(
        Action.CREATED, Target.ADVERSE_EVENT, event.pk, client=client, detail={"kind": kind}
    )
    signals.adverse_event_recorded.send(AdverseEvent, event=event)
    return event


@transaction.atomic
def adverse_event_resolve(
    *, event: AdverseEvent, resolved_on: date, by: User, follow_up: str = ""
) -> AdverseEvent:
    _require_charting_role(by)
    if event.resolved_on is not None:
        raise DomainError("already_resolved", "This adverse event is already resolved.")
    if resolved_on < event.onset_on:
        raise DomainError("resolved_before_onset", "It can't resolve before its onset.")
    event.resolved_on = resolved_on
    if follow_up.strip():
        event.follow_up = f"{event.follow_up}\n{follow_up.strip()}".strip()
    event.save(update_fields=["resolved_on", "follow_up"])
    audit.record(Action.CHANGED, Target.ADVERSE_EVENT, event.pk, client=event.client)
    signals.adverse_event_resolved.send(AdverseEvent, event=event)
    return event


def _audit(action: Action, session: TreatmentSession, what: str, reason: str = "") -> None:
    audit.record(
        action,
        Target.CHART,
        session.public_id,
        client=session.client,
        reason=reason,
        detail={"what": what},
    )


def _require_open(session: TreatmentSession, by: User) -> None:
    _require_charting_role(by)
    if session.status != SessionStatus.OPEN:
        raise DomainError("chart_locked", "This chart is signed: add an addendum instead.")


def _require_charting_role(by: User) -> None:
    if _role(by) not in CHARTING_ROLES:
        raise DomainError("not_clinical_staff", "Only clinical staff may write a chart.")


def _role(by: User) -> str | None:
    staff = getattr(by, "staff", None)
    return staff.role if staff is not None and staff.is_active else None


def _depth(value: Decimal | float | str) -> Decimal:
    try:
        depth = Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation as error:
        raise DomainError("invalid_depth", "Give the depth in millimetres, e.g. 1.5.") from error
    if not Decimal("0") < depth <= Decimal("3"):
        raise DomainError(
            "invalid_depth", "Depth must be more than 0 and at most 3 mm.", field="depth_mm"
        )
    return depth


def _allergies(client: Client) -> Answers | list[str]:
    """The client's latest answers, where allergies are recorded (none on file: none known)."""
    latest = client.questionnaires.order_by("-version").first()
    if latest is None:
        return []
    return answers_from_json(
        latest.answers,
        answered_on=latest.answered_on,
        date_of_birth=client.date_of_birth,
        fitzpatrick=client.fitzpatrick,
    )
