"""Clinical reviews: a clinician's recorded decision on a client's contraindications.

A review clears a relative contraindication, or the clearance part of a temporary one
(chemotherapy, radiotherapy, surgery, infection: the wait still runs to its date). It
never clears an absolute one: only a change to the medical history changes that. It may
be limited to zones, may expire, and may be declined; it is written once, and a
correction is a new review (the latest in force wins). See docs/clinical.md.

Only a practitioner, manager or owner of the client's organisation records one; never
the front desk or a trainee.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from needlepoint.accounts.models import User
from needlepoint.audit import log as audit
from needlepoint.audit.choices import Action, Target
from needlepoint.clients.choices import ReviewDecision
from needlepoint.clients.models import Client, ClinicalReview
from needlepoint.clinical import ClinicalError, Review, Rules
from needlepoint.clinics.choices import Role
from needlepoint.core.errors import DomainError
from needlepoint.core.images import decode_image
from needlepoint.core.languages import long_date
from needlepoint.core.plain_sql import as_date, from_json, rows
from needlepoint.core.storage import remove_quietly, store_errors

REVIEW_ROLES = frozenset({Role.OWNER.value, Role.MANAGER.value, Role.PRACTITIONER.value})
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024  # a scanned letter of a few pages
ATTACHMENT_MAX_PIXELS = 50_000_000  # as photos: larger claims are refused, never decoded
ATTACHMENT_TYPES = {"JPEG": "jpg", "PNG": "png"}
EARLIEST_TIME_ZONE = ZoneInfo("Etc/GMT-14")  # where the day starts first (UTC+14)


@transaction.atomic
def clinical_review_record(
    *,
    client: Client,
    keys: Iterable[str],
    zones: Iterable[str],
    decision: str,
    reason: str,
    conditions: str = "",
    expires_on: date | None = None,
    attachment: bytes | None = None,
    by: User,
    on: date,
) -> ClinicalReview:
    """Record a clinician's review of ``keys`` (ci.* keys) on ``zones`` (empty: every zone).

    ``decision`` is a ``ReviewDecision``; ``conditions`` are required when clearing with
    conditions; ``expires_on``, when given, is the first day it no longer counts.
    ``attachment`` is the bytes of a letter (PDF, JPEG or PNG). Refused with
    ``DomainError``, nothing written, when any of it is wrong.
    """
    _require_reviewer(by, client)
    locked = Client.objects.select_for_update().get(pk=client.pk)
    if locked.anonymised_at is not None or locked.purged_at is not None:
        raise DomainError("erased", _("This client's data was erased: no new review can be added."))
    rules = client.organisation.rules()
    keys = _checked_keys(keys, rules)
    zones = _checked_zones(zones, rules)
    decision, reason, conditions = _checked_decision(decision, reason, conditions)
    _check_dates(on, expires_on)
    letter = _checked_attachment(attachment, client) if attachment is not None else None
    review = ClinicalReview(
        client=client,
        keys=keys,
        zones=zones,
        decision=decision,
        reason=reason,
        conditions=conditions,
        reviewed_on=on,
        expires_on=expires_on,
        reviewed_by=by,
        rules_version=rules.version,
    )
    try:
        if letter is not None:
            with store_errors():
                review.attachment.save(letter.name or "", letter, save=False)
        with transaction.atomic():
            review.save()
            audit.record(
                Action.CREATED,
                Target.HEALTH,
                review.public_id,
                client=client,
                reason=reason,
                detail={
                    "clinical_review": decision,
                    "keys": keys,
                    "zones": zones,
                    "expires_on": expires_on.isoformat() if expires_on else None,
                    "attachment": bool(letter),
                },
            )
    except BaseException:
        remove_quietly(review.attachment)
        raise
    return review


def clinical_reviews_in_force(client: Client, on: date) -> list[Review]:
    """The client's reviews in force on ``on``, as the clinical core's ``Review``s.

    One plain statement (the booking path reads them with the rest of the client's
    history: clients/history.py): dated on or before ``on`` and not expired by then,
    oldest first, so that on the same day the one recorded last wins.
    """
    found = rows(
        "SELECT r.keys, r.zones, r.decision, r.reason, r.conditions, r.reviewed_on,"
        " r.expires_on, u.full_name, u.email"
        " FROM clients_clinicalreview r JOIN accounts_user u ON u.id = r.reviewed_by_id"
        " WHERE r.client_id = %s AND r.reviewed_on <= %s"
        " AND (r.expires_on IS NULL OR r.expires_on > %s)"
        " ORDER BY r.reviewed_on, r.created_at, r.id",
        [client.pk, on, on],
    )
    return reviews_of(found)


def reviews_of(found: Iterable[Sequence[Any]]) -> list[Review]:
    """``Review``s from rows of keys, zones, decision, reason, conditions, reviewed_on,
    expires_on and the reviewer's name and email, in their order."""
    return [
        Review(
            key,
            by=name or email,
            on=as_date(reviewed_on),
            note=conditions if decision == ReviewDecision.CLEARED_WITH_CONDITIONS else reason,
            decision=decision,
            zones=frozenset(from_json(zones)),
            expires_on=as_date(expires_on) if expires_on else None,
        )
        for keys, zones, decision, reason, conditions, reviewed_on, expires_on, name, email in found
        for key in from_json(keys)
    ]


def _require_reviewer(by: User, client: Client) -> None:
    staff = getattr(by, "staff", None)
    if (
        not by.is_active
        or staff is None
        or not staff.is_active
        or staff.organisation_id != client.organisation_id
        or staff.role not in REVIEW_ROLES
    ):
        raise DomainError(
            "review_not_allowed",
            _(
                "Only a practitioner, manager or owner of the clinic may record a clinical "
                "review; the front desk and trainees may not."
            ),
        )


def _checked_keys(keys: Iterable[str], rules: Rules) -> list[str]:
    if isinstance(keys, str):
        keys = [keys]
    chosen = list(dict.fromkeys(key.strip() for key in keys if key and key.strip()))
    if not chosen:
        raise DomainError(
            "keys_required",
            _("Choose the contraindications this review is about."),
            field="keys",
        )
    for key in chosen:
        try:
            ci = rules.contraindication(key)
        except ClinicalError as error:
            raise DomainError(error.code, error.message, field="keys") from error
        if ci.category == "absolute":
            raise DomainError(
                "review_absolute",
                _(
                    "%(name)s is an absolute contraindication: it can't be cleared by a "
                    "review. Only a change to the client's medical history changes it."
                )
                % {"name": ci.name},
                field="keys",
            )
        if ci.category == "precaution":
            raise DomainError(
                "review_not_needed",
                _(
                    "%(name)s is a precaution only: it never stops treatment, so there is "
                    "nothing to clear."
                )
                % {"name": ci.name},
                field="keys",
            )
    return chosen


def _checked_zones(zones: Iterable[str], rules: Rules) -> list[str]:
    if isinstance(zones, str):
        zones = [zones]
    chosen = list(dict.fromkeys(zone.strip() for zone in zones if zone and zone.strip()))
    try:
        rules.zones_of(chosen)
    except ClinicalError as error:
        raise DomainError(error.code, error.message, field="zones") from error
    return chosen


def _checked_decision(decision: str, reason: str, conditions: str) -> tuple[str, str, str]:
    if decision not in ReviewDecision.values:
        choices = ", ".join(str(label).lower() for label in ReviewDecision.labels)
        raise DomainError(
            "unknown_decision",
            _("A review's decision is one of: %(choices)s.") % {"choices": choices},
            field="decision",
        )
    reason, conditions = (reason or "").strip(), (conditions or "").strip()
    if not reason:
        raise DomainError(
            "reason_required", _("Say why: what you saw, asked or were sent."), field="reason"
        )
    if decision == ReviewDecision.CLEARED_WITH_CONDITIONS and not conditions:
        raise DomainError(
            "conditions_required",
            _("Write the conditions the treatment must respect."),
            field="conditions",
        )
    if decision != ReviewDecision.CLEARED_WITH_CONDITIONS and conditions:
        raise DomainError(
            "conditions_not_allowed",
            _("Conditions go with 'cleared with conditions': choose it, or leave them out."),
            field="conditions",
        )
    return decision, reason, conditions


def _check_dates(on: date, expires_on: date | None) -> None:
    for day, name in ((on, "on"), (expires_on, "expires_on")):
        if day is not None and (isinstance(day, datetime) or not isinstance(day, date)):
            raise DomainError(
                "invalid_date", _("%(field)s must be a date.") % {"field": name}, field=name
            )
    if on > timezone.now().astimezone(EARLIEST_TIME_ZONE).date():
        raise DomainError(
            "review_in_future", _("A review can't be dated in the future."), field="on"
        )
    if expires_on is not None and expires_on <= on:
        raise DomainError(
            "expiry_before_review",
            _("A review must expire after the day it is recorded."),
            field="expires_on",
        )


def _checked_attachment(data: bytes, client: Client) -> ContentFile[bytes]:
    """The letter under a name chosen here, once its content shows a PDF, JPEG or PNG."""
    if not data:
        raise DomainError("attachment_empty", _("The letter's file is empty."), field="attachment")
    if len(data) > ATTACHMENT_MAX_BYTES:
        limit = ATTACHMENT_MAX_BYTES // (1024 * 1024)
        raise DomainError(
            "attachment_too_large",
            _("A letter can be up to %(limit)s MB.") % {"limit": limit},
            field="attachment",
        )
    extension = _pdf(data) or _image(data)
    if extension is None:
        raise DomainError(
            "attachment_type", _("A letter must be a PDF, JPEG or PNG file."), field="attachment"
        )
    name = f"reviews/{client.organisation_id}/{client.public_id}/{uuid.uuid4().hex}.{extension}"
    return ContentFile(data, name=name)


def _pdf(data: bytes) -> str | None:
    """A PDF opens with its header and ends with its end-of-file marker (allowing trailing
    bytes some writers add)."""
    return "pdf" if data.startswith(b"%PDF-") and b"%%EOF" in data[-2048:] else None


def _image(data: bytes) -> str | None:
    """A JPEG or PNG that decodes, within the pixel limit; its type read from its content."""
    refused = DomainError("attachment_type", "")
    try:
        picture = decode_image(
            data,
            formats=ATTACHMENT_TYPES,
            max_pixels=ATTACHMENT_MAX_PIXELS,
            decode_pixels=settings.PHOTO_DECODE_PIXELS,
            unreadable=refused,
            too_large=refused,
        )
    except DomainError:
        return None
    return ATTACHMENT_TYPES.get(picture.format or "")


def keys_to_review(reasons: Iterable[dict[str, object]], rules: Rules) -> list[str]:
    """Of a screening's reasons, the contraindications a clinical review can clear: the
    relative ones, and the temporary ones that wait on a clinician rather than (only) a date."""
    keys: list[str] = []
    for reason in reasons:
        key = str(reason["key"])
        if reason["severity"] not in ("review", "deferred") or key in keys:
            continue
        ci = rules.contraindications.get(key)
        if ci is None:
            continue
        if ci.category == "relative" or (
            ci.category == "temporary" and (ci.clinician_signoff or not ci.has_wait)
        ):
            keys.append(key)
    return keys


def review_summaries(client: Client, on: date) -> list[str]:
    """The reviews in force on ``on`` in a line each, for the booking page and the chart's
    checklist: what was reviewed, the decision, by whom and when."""
    rules = client.organisation.rules()
    decisions = dict(ReviewDecision.choices)
    lines = []
    for review in clinical_reviews_in_force(client, on):
        ci = rules.contraindications.get(review.key)
        lines.append(
            _("%(name)s: %(decision)s by %(by)s on %(day)s")
            % {
                "name": ci.name if ci else review.key,
                "decision": str(decisions.get(review.decision, review.decision)).lower(),
                "by": review.by,
                "day": long_date(review.on),
            }
        )
    return lines
