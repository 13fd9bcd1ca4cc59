"""The treatment-day checklist: what must be true before the first zone is needled.

Each item says whether it is green and, if not, what to do. Which items block needling
is the owner's choice (``Organisation.checklist_blocking``); the rest only inform.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from needlepoint.clients.choices import ScreeningOutcome
from needlepoint.clients.models import Screening
from needlepoint.clients.reviews import review_summaries
from needlepoint.clinics.choices import ChecklistItem
from needlepoint.consents.services import consents_for_checklist, describe_covers
from needlepoint.core import plain_sql
from needlepoint.scheduling.choices import BookingStatus, ServiceKind
from needlepoint.scheduling.models import Booking
from needlepoint.treatments.choices import PhotoTiming
from needlepoint.treatments.models import TreatmentSession


@dataclass(frozen=True)
class Check:
    item: ChecklistItem
    ok: bool
    message: str
    blocking: bool

    @property
    def label(self) -> str:
        return str(self.item.label)


@dataclass(frozen=True)
class Checklist:
    checks: tuple[Check, ...]

    @property
    def ready(self) -> bool:
        """Every blocking item is green: needling may start."""
        return all(check.ok for check in self.checks if check.blocking)

    @property
    def blockers(self) -> list[Check]:
        return [check for check in self.checks if check.blocking and not check.ok]


def session_checklist(session: TreatmentSession, now: datetime) -> Checklist:
    blocking = set(session.client.organisation.checklist_blocking)
    results = [
        (ChecklistItem.SCREENING, *_screening(session, now)),
        (ChecklistItem.CONSENT, *_consent(session)),
        (ChecklistItem.PATCH_TEST, *_patch_test(session)),
        (ChecklistItem.BEFORE_PHOTOS, *_before_photos(session)),
        (ChecklistItem.NUMBING, *_numbing(session, now)),
    ]
    return Checklist(
        tuple(Check(item, ok, message, item.value in blocking) for item, ok, message in results)
    )


def _screening(session: TreatmentSession, now: datetime) -> tuple[bool, str]:
    client = session.client
    screening, latest_answers = _latest_screening(client.pk)
    if screening is None or latest_answers is None:
        return False, _("No screening yet: take the medical history and screen the client.")
    if screening.submission_id != latest_answers:
        return False, _("The medical history changed since the last screening: screen again.")
    age = (now.astimezone(session.location.zone).date() - screening.screened_on).days
    limit = client.organisation.rescreen_after_days
    if age > limit:
        return False, _(
            "The last screening is %(age)s days old (limit %(limit)s): screen again."
        ) % {"age": age, "limit": limit}
    if screening.outcome != ScreeningOutcome.CLEARED:
        return False, _("The last screening says: %(outcome)s.") % {
            "outcome": screening.get_outcome_display().lower()
        }
    reviews = review_summaries(client, screening.screened_on)
    cleared = _("Cleared on %(day)s.") % {"day": date_format(screening.screened_on)}
    if reviews:
        cleared += " " + _("After clinical review: %(reviews)s.") % {"reviews": "; ".join(reviews)}
    return True, cleared


def _latest_screening(client_id: int) -> tuple[Screening | None, int | None]:
    """The client's latest screening and their latest medical history's id, in one read."""
    found = plain_sql.rows(
        f"SELECT {plain_sql.columns(Screening, 's')}, (SELECT q.id FROM"
        " clients_questionnairesubmission q WHERE q.client_id = %s ORDER BY q.version DESC"
        " LIMIT 1) FROM clients_screening s WHERE s.client_id = %s"
        " ORDER BY s.created_at DESC, s.id DESC LIMIT 1",
        [client_id, client_id],
    )
    if not found:
        return None, None
    return plain_sql.instance(Screening, found[0][:-1]), found[0][-1]


def _consent(session: TreatmentSession) -> tuple[bool, str]:
    if session.booking is None:
        return True, _("No booked service: no consent form applies.")
    due, covers = consents_for_checklist(session.client, session.booking.service)
    if due:
        names = ", ".join(
            _("%(form)s (version %(version)s)")
            % {"form": version.form.name, "version": version.version}
            for version in due
        )
        return False, _("Still to sign: %(forms)s.") % {"forms": names}
    if covers:
        rules = session.client.organisation.rules()
        said = " Or: ".join(describe_covers(one, rules) for one in covers)
        return True, _("Signed for the current version. Covers %(covers)s.") % {"covers": said}
    return True, _("Signed for the current version.")


def _patch_test(session: TreatmentSession) -> tuple[bool, str]:
    if session.booking is None or not session.booking.service.requires_patch_test:
        return True, _("Not required for this treatment.")
    done = Booking.objects.filter(
        client=session.client,
        service__kind=ServiceKind.PATCH_TEST,
        status=BookingStatus.COMPLETED,
        starts_at__lt=session.booking.starts_at - timedelta(hours=24),
    ).exists()
    if done:
        return True, _("Done at least 24 hours ago.")
    return False, _("This treatment needs a completed patch test at least 24 hours before.")


def _before_photos(session: TreatmentSession) -> tuple[bool, str]:
    views = {photo.view for photo in session.photos.all() if photo.timing == PhotoTiming.BEFORE}
    if not views:
        return False, _("Take the standard before photos.")
    return True, ngettext("%(n)s view taken.", "%(n)s views taken.", len(views)) % {"n": len(views)}


def _numbing(session: TreatmentSession, now: datetime) -> tuple[bool, str]:
    wait = session.booking.service.numbing_minutes if session.booking else 0
    if not wait:
        return True, _("No numbing for this treatment.")
    if session.numbing_applied_at is None:
        return False, _(
            "Apply numbing cream and record the time (%(wait)s minutes before needling)."
        ) % {"wait": wait}
    zone = session.location.zone
    ready_at = session.numbing_applied_at + timedelta(minutes=wait)
    if now < ready_at:
        left = math.ceil((ready_at - now).total_seconds() / 60)
        ready = ready_at.astimezone(zone)
        if left > wait:  # applied "later than now": a time typed for the wrong day, say
            applied = session.numbing_applied_at.astimezone(zone)
            return False, _(
                "Numbing is recorded as applied at %(time)s on %(day)s: check the time recorded."
            ) % {"time": f"{applied:%H:%M}", "day": date_format(applied, "MONTH_DAY_FORMAT")}
        return False, _("Numbing needs %(left)s more min (ready %(ready)s).") % {
            "left": left,
            "ready": f"{ready:%H:%M}",
        }
    applied = session.numbing_applied_at.astimezone(zone)
    return True, _("%(product)s since %(time)s.") % {
        "product": session.numbing_product or _("Applied"),
        "time": f"{applied:%H:%M}",
    }
