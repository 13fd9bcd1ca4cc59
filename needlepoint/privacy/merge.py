"""Two records of one person, merged: the duplicate's bookings and contacts move to the
record kept, and the duplicate is closed, pointing at it.

Clinical records (medical histories, screenings, clinical reviews, signed consents,
treatment sessions with their photos, adverse events) never change once written, and
the database refuses to re-point them. So a duplicate holding any of them is not merged:
if the record to keep holds none, the user is told to merge the other way round (the
choice of which record survives is theirs, never made here). The audit trail stays on
the record it was written about.

Every relation to ``Client`` is listed below as moved, clinical or staying; a new one
that is not fails tests/privacy/test_merge.py until someone decides which it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import ForeignObjectRel, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from needlepoint.accounts.models import User
from needlepoint.accounts.permissions import DESK
from needlepoint.audit.choices import Action, Target
from needlepoint.audit.log import record
from needlepoint.clients.choices import ConsentChannel
from needlepoint.clients.models import Client, MarketingConsent
from needlepoint.core.errors import DomainError
from needlepoint.payments.services import client_money_merge
from needlepoint.privacy.erasure import anonymise
from needlepoint.privacy.export import marketing_consents

CLINICAL: dict[str, Promise] = {
    "clients.questionnairesubmission": gettext_lazy("medical histories"),
    "clients.screening": gettext_lazy("screenings"),
    "clients.clinicalreview": gettext_lazy("clinical reviews"),
    "consents.signedconsent": gettext_lazy("signed consents"),
    "treatments.treatmentsession": gettext_lazy("treatment sessions"),
    "treatments.adverseevent": gettext_lazy("adverse events"),
}
"""Records of care, never re-pointed (photos hang on the sessions)."""
MOVED: dict[str, Promise] = {
    "scheduling.booking": gettext_lazy("bookings"),
    "scheduling.course": gettext_lazy("courses"),
    "packages.package": gettext_lazy("course packages"),
    "scheduling.waitlistentry": gettext_lazy("waiting-list places"),
    "clients.marketingconsent": gettext_lazy("marketing consents"),
    "notifications.message": gettext_lazy("messages"),
    "public.portallink": gettext_lazy("portal sign-in links"),
    "public.onlinerequest": gettext_lazy("online requests"),
    "imports.externalclientid": gettext_lazy("ids in the previous system"),
    "clients.client": gettext_lazy("records merged into it before"),
    "payments.savedcard": gettext_lazy("saved cards"),
}
"""Re-pointed to the record kept."""
STAYS: dict[str, Promise] = {
    "audit.auditevent": gettext_lazy("audit log entries"),
    "payments.invoice": gettext_lazy("invoices"),
    "payments.payment": gettext_lazy("payments and refunds"),
    "payments.creditentry": gettext_lazy("account credit entries"),
    "vouchers.giftvoucher": gettext_lazy("gift vouchers bought"),
    "payments.scheduledcharge": gettext_lazy("scheduled card charges"),
    "memberships.membership": gettext_lazy("memberships"),
}
"""Kept on the record they were written about: the audit log, and money records, which
never change (a balance of account credit moves as a pair of new entries)."""
SPECIAL = ("clients.marketingconsent", "payments.savedcard")
MERGED_FIRST_NAME, MERGED_LAST_NAME = "Merged", "record"
ALERT_LENGTH = Client._meta.get_field("alert").max_length or 200
COPIED = ("email", "phone", "home_location", "fitzpatrick")
"""The duplicate's details the kept record takes where it has none (the date of birth
and the name stay the kept record's)."""


def client_relations() -> list[ForeignObjectRel]:
    """Every relation pointing at ``Client``, hidden ones (``related_name="+"``) too."""
    return [
        relation
        for relation in Client._meta.get_fields(include_hidden=True)
        if isinstance(relation, ForeignObjectRel)
    ]


def _label(relation: ForeignObjectRel) -> str:
    return relation.related_model._meta.label_lower  # type: ignore[union-attr]


def _rows(relation: ForeignObjectRel, client: Client) -> QuerySet[Any]:
    model = relation.related_model
    return model._base_manager.filter(**{relation.field.name: client})  # type: ignore[union-attr]


def _counts(client: Client, kinds: dict[str, Promise]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for relation in client_relations():
        if (label := _label(relation)) in kinds:
            counts[label] = counts.get(label, 0) + _rows(relation, client).count()
    return {label: n for label, n in counts.items() if n}


def in_words(counts: dict[str, int]) -> str:
    """ "bookings: 2, courses: 1": what the counts name, in the clinic's words."""
    names = CLINICAL | MOVED | STAYS
    return ", ".join(f"{names[label]}: {n}" for label, n in counts.items())


@dataclass(frozen=True)
class MergePlan:
    """What merging ``duplicate`` into ``kept`` would do, or why it may not be done."""

    kept: Client
    duplicate: Client
    moves: dict[str, int] = field(default_factory=dict)
    changes: dict[str, object] = field(default_factory=dict)
    """The kept record's new values: details it lacked, the alerts and notes joined."""
    clinical_kept: dict[str, int] = field(default_factory=dict)
    refusal: DomainError | None = None

    @property
    def moves_in_words(self) -> str:
        return in_words(self.moves)

    @property
    def clinical_kept_in_words(self) -> str:
        return in_words(self.clinical_kept)


def merge_plan(*, kept: Client, duplicate: Client) -> MergePlan:
    """What a merge would move and copy, and the refusal if it may not be done."""
    try:
        _check_pair(kept, duplicate)
        clinical_kept = _counts(kept, CLINICAL)
        _check_clinical(kept, duplicate, clinical_kept)
        changes = _changes(kept, duplicate)
    except DomainError as refusal:
        return MergePlan(kept, duplicate, refusal=refusal)
    return MergePlan(
        kept,
        duplicate,
        moves=_counts(duplicate, MOVED),
        changes=changes,
        clinical_kept=clinical_kept,
    )


@transaction.atomic
def client_merge(
    *, kept: Client, duplicate: Client, by: User, reason: str, now: datetime | None = None
) -> Client:
    """Move the duplicate's records to ``kept``, take the details it lacks, close the
    duplicate; one audit event on each. Refused (nothing changed) as ``merge_plan`` says."""
    now = now or timezone.now()
    reason = reason.strip()
    if not reason:
        raise DomainError(
            "reason_required", _("Say why these are the same person."), field="reason"
        )
    locked = Client.objects.select_for_update().in_bulk([kept.pk, duplicate.pk])
    kept, duplicate = locked[kept.pk], locked.get(duplicate.pk, locked[kept.pk])
    _require_desk(by, kept)
    plan = merge_plan(kept=kept, duplicate=duplicate)
    if plan.refusal is not None:
        raise plan.refusal
    changes = plan.changes
    superseded = _move_marketing_consents(kept, duplicate, now)
    client_money_merge(kept=kept, duplicate=duplicate, by=by, now=now)
    for relation in client_relations():
        if _label(relation) in MOVED and _label(relation) not in SPECIAL:
            _rows(relation, duplicate).update(**{relation.field.name: kept})
    anonymise(
        duplicate,
        now=now,
        first_name=MERGED_FIRST_NAME,
        last_name=MERGED_LAST_NAME,
        fitzpatrick=None,
        home_location=None,
        merged_into=kept,
    )
    if changes:  # after the duplicate's email is emptied: an email is one client's only
        Client.objects.filter(pk=kept.pk).update(**changes)
    kept.refresh_from_db()
    duplicate.refresh_from_db()
    moved: dict[str, object] = {"moved": plan.moves, "copied": sorted(changes)}
    if superseded:
        moved["photo_consents_superseded"] = superseded
    record(
        Action.CHANGED,
        Target.CLIENT,
        kept.public_id,
        client=kept,
        reason=reason,
        detail={"merged_from": str(duplicate.public_id), **moved},
    )
    record(
        Action.CHANGED,
        Target.CLIENT,
        duplicate.public_id,
        client=duplicate,
        reason=reason,
        detail={"merged_into": str(kept.public_id), **moved},
    )
    return kept


def _require_desk(by: User, client: Client) -> None:
    staff = getattr(by, "staff", None)
    if (
        staff is None
        or not staff.is_active
        or staff.organisation_id != client.organisation_id
        or staff.role not in DESK
    ):
        raise DomainError(
            "not_allowed", _("Records are merged by the front desk, a manager or the owner.")
        )


def _check_pair(kept: Client, duplicate: Client) -> None:
    if kept.pk == duplicate.pk:
        raise DomainError("same_client", _("A record can't be merged with itself."))
    if kept.organisation_id != duplicate.organisation_id:
        raise DomainError(
            "wrong_organisation", _("These records belong to different organisations.")
        )
    for client in (kept, duplicate):
        if client.merged_into_id is not None:
            raise DomainError(
                "already_merged",
                _("That record was already merged into %(name)s.")
                % {"name": client.merged_into.full_name},  # type: ignore[union-attr]
            )
        if client.anonymised_at is not None:
            raise DomainError(
                "client_erased", _("An erased client's record is never merged with another.")
            )


def _check_clinical(kept: Client, duplicate: Client, clinical_kept: dict[str, int]) -> None:
    theirs = _counts(duplicate, CLINICAL)
    if not theirs:
        return
    held = {"name": duplicate.full_name, "records": in_words(theirs)}
    if not clinical_kept:
        raise DomainError(
            "keep_the_other",
            _(
                "%(name)s holds clinical records (%(records)s), which never move. Merge the "
                "other way round: keep %(name)s."
            )
            % held,
        )
    raise DomainError(
        "both_clinical",
        _(
            "Both records hold clinical records, which never move (%(name)s: %(records)s). "
            "They can't be merged: add an alert to each that names the other."
        )
        % held,
    )


def _changes(kept: Client, duplicate: Client) -> dict[str, object]:
    """The kept record's new values: the details it lacks, the alerts and notes joined."""
    changes: dict[str, object] = {
        name: getattr(duplicate, name)
        for name in COPIED
        if getattr(duplicate, name) not in ("", None) and getattr(kept, name) in ("", None)
    }
    alert = _joined(kept.alert, duplicate.alert, " · ")
    if len(alert) > ALERT_LENGTH:
        raise DomainError(
            "alert_too_long",
            _(
                "The two alerts together are longer than %(n)s characters: shorten one of "
                "them first (Edit details)."
            )
            % {"n": ALERT_LENGTH},
        )
    if alert != kept.alert:
        changes["alert"] = alert
    if (notes := _joined(kept.notes, duplicate.notes, "\n\n")) != kept.notes:
        changes["notes"] = notes
    return changes


def _joined(mine: str, theirs: str, between: str) -> str:
    if not theirs or theirs in mine:
        return mine
    return f"{mine}{between}{theirs}" if mine else theirs


def _move_marketing_consents(kept: Client, duplicate: Client, now: datetime) -> int:
    """Every consent moves, sign-ups made at the duplicate's email before it was a client
    too. A photo consent names the record, so it is renamed; of two live ones the
    confirmed, then earlier one stays live and the other is closed. How many were closed."""
    photos = MarketingConsent.objects.filter(
        client__in=[kept, duplicate], channel=ConsentChannel.PHOTOS
    )
    live = sorted(
        photos.filter(withdrawn_at__isnull=True),
        key=lambda consent: (consent.confirmed_at is None, consent.requested_at, consent.pk),
    )
    superseded = MarketingConsent.objects.filter(pk__in=[consent.pk for consent in live[1:]])
    closed = superseded.update(withdrawn_at=now)
    photos.filter(client=duplicate).update(client=kept, address=str(kept.public_id))
    marketing_consents(duplicate).update(client=kept)
    return closed
