"""Importing clients and future appointments from another system's CSV export.

One function does the dry run and the import: every row goes through the real services
(``client_create``, ``booking_create`` with the import channel) inside one transaction,
which is then rolled back (a dry run, or any problem at all) or committed (an import
with none). What a dry run reports is therefore exactly what the import would do, the
import re-checks everything, and it is all or nothing.

Re-running an import creates nothing twice: a client is matched by their old system's
id, email, phone (with the same name) or name and date of birth. An appointment is
matched by its old system's id, else by the fingerprint of the row that imported it
(its client, service and start as the file gave them), so one moved or cancelled in
Needlepoint since doesn't come back; else by a live booking of its client, start and
service.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import get_language_info, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from needlepoint.accounts.models import User
from needlepoint.audit import log as audit
from needlepoint.audit.choices import Action, Target
from needlepoint.clients.models import Client
from needlepoint.clients.services import client_create, client_update, normalise_phone
from needlepoint.clinics.models import Location, Organisation, StaffMember
from needlepoint.core import languages
from needlepoint.core.errors import DomainError
from needlepoint.imports.csvfile import Table
from needlepoint.imports.models import ExternalClientId, ImportedBooking
from needlepoint.scheduling.choices import BookingStatus, Channel
from needlepoint.scheduling.models import Booking, Service
from needlepoint.scheduling.services import booking_create

CLIENTS, APPOINTMENTS = "clients", "appointments"
KINDS = {CLIENTS: gettext_lazy("Clients"), APPOINTMENTS: gettext_lazy("Future appointments")}
DATE_FORMATS = {"DMY": "DD/MM/YYYY", "MDY": "MM/DD/YYYY", "YMD": "YYYY-MM-DD"}


@dataclass(frozen=True)
class Field:
    key: str
    label: str | Promise
    required: bool
    aliases: tuple[str, ...]
    """Header names it is guessed from, lower case with only letters and digits."""


_EMAIL = ("email", "emailaddress", "mail")
FIELDS: dict[str, tuple[Field, ...]] = {
    CLIENTS: (
        Field(
            "external_id",
            gettext_lazy("Client id in the old system"),
            False,
            ("id", "clientid", "customerid", "patientid", "externalid", "clientnumber", "clientno"),
        ),
        Field(
            "first_name",
            gettext_lazy("First name"),
            True,
            ("firstname", "forename", "givenname", "first"),
        ),
        Field(
            "last_name",
            gettext_lazy("Last name"),
            True,
            ("lastname", "surname", "familyname", "last"),
        ),
        Field("email", gettext_lazy("Email"), False, _EMAIL),
        Field(
            "phone",
            gettext_lazy("Phone"),
            False,
            (
                *("phone", "mobile", "mobilephone", "mobilenumber", "mobileno", "cellphone"),
                *("cell", "telephone", "tel", "phonenumber", "contactnumber"),
            ),
        ),
        Field(
            "date_of_birth",
            gettext_lazy("Date of birth"),
            True,
            ("dob", "dateofbirth", "birthdate", "birthday"),
        ),
        Field(
            "language",
            gettext_lazy("Language"),
            False,
            ("language", "lang", "preferredlanguage", "locale"),
        ),
    ),
    APPOINTMENTS: (
        Field(
            "client_email",
            gettext_lazy("Client's email"),
            False,
            ("clientemail", "customeremail", *_EMAIL),
        ),
        Field(
            "client_id",
            gettext_lazy("Client id in the old system"),
            False,
            ("clientid", "customerid", "patientid", "externalclientid", "clientnumber"),
        ),
        Field(
            "service",
            gettext_lazy("Service"),
            True,
            ("service", "servicename", "treatment", "appointmenttype", "type"),
        ),
        Field(
            "practitioner",
            gettext_lazy("Practitioner (email or name)"),
            False,
            (
                *("practitioner", "staff", "staffname", "staffemail", "therapist"),
                *("provider", "employee", "with"),
            ),
        ),
        Field(
            "location", gettext_lazy("Location"), False, ("location", "branch", "clinic", "site")
        ),
        Field(
            "start_date",
            gettext_lazy("Date"),
            True,
            ("date", "appointmentdate", "startdate", "start", "day", "when"),
        ),
        Field(
            "start_time",
            gettext_lazy("Start time"),
            False,
            ("time", "starttime", "appointmenttime", "from"),
        ),
        Field(
            "duration",
            gettext_lazy("Duration (minutes)"),
            False,
            ("duration", "durationmins", "durationminutes", "length", "minutes", "mins"),
        ),
        Field(
            "appointment_id",
            gettext_lazy("Appointment id in the old system"),
            False,
            (
                *("id", "ref", "appointmentid", "bookingid", "appointmentref", "bookingref"),
                *("appointmentreference", "bookingreference", "appointmentnumber", "bookingno"),
            ),
        ),
    ),
}


def fields_of(kind: str) -> tuple[Field, ...]:
    return FIELDS[kind]


def label_of(kind: str, key: str) -> str:
    return str(next(f.label for f in FIELDS[kind] if f.key == key))


def _inline(label: str | Promise) -> str:
    """A field's label inside a sentence: lower case in English; as written elsewhere (a
    German noun keeps its capital; the translated sentence quotes it)."""
    text = str(label)
    return text.lower() if (translation.get_language() or "en").startswith("en") else text


def _plain(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


def guess_columns(headers: list[str], kind: str) -> dict[str, int]:
    """Which column holds each field, from common header names ("Surname", "Mobile", "DOB")."""
    plain = [_plain(header) for header in headers]
    guessed: dict[str, int] = {}
    for exact in (True, False):  # exact names first, then names that contain a long alias
        for target in FIELDS[kind]:
            if target.key in guessed:
                continue
            for index, name in enumerate(plain):
                if index in guessed.values():
                    continue
                hit = any(
                    name == alias if exact else len(alias) > 4 and alias in name
                    for alias in target.aliases
                )
                if hit:
                    guessed[target.key] = index
                    break
    return guessed


def mapping_problems(kind: str, columns: dict[str, int]) -> list[str]:
    """What is wrong with a choice of columns, before any row is read."""
    problems = [
        _("Choose the column that holds the %(field)s.") % {"field": _inline(f.label)}
        for f in FIELDS[kind]
        if f.required and f.key not in columns
    ]
    if kind == APPOINTMENTS and not {"client_email", "client_id"} & set(columns):
        problems.append(_("Choose the column with the client's email or their old system's id."))
    used: dict[int, str] = {}
    for key, index in columns.items():
        if index in used:
            problems.append(
                _("One column is chosen for both %(first)s and %(second)s.")
                % {
                    "first": _inline(label_of(kind, used[index])),
                    "second": _inline(label_of(kind, key)),
                }
            )
        used[index] = key
    return problems


# --- values -------------------------------------------------------------------------------


class RowProblem(Exception):
    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key, self.message = key, message


def clean(cell: str) -> str:
    """A cell's text; a quote guarding a formula character (as our exports write) is dropped."""
    text = cell.strip()
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        return text[1:]
    return text


def guess_date_format(samples: list[str]) -> str:
    """YMD when the year comes first, MDY when a middle part is over 12, else DMY."""
    for sample in samples:
        parts = re.split(r"[/.\-\s]+", sample.strip())
        if len(parts) >= 3 and parts[0].isdigit() and parts[1].isdigit():
            if len(parts[0]) == 4:
                return "YMD"
            if int(parts[1]) > 12:
                return "MDY"
    return "DMY"


def split_when(text: str) -> tuple[str, str]:
    """A date cell that may carry a time too ("12/03/2027 10:30", "2027-03-12T10:30")."""
    found = re.fullmatch(r"\s*([\d/.\-]+)(?:[T\s]+(.*\S))?\s*", text)
    return (found.group(1), found.group(2) or "") if found else (text, "")


def parse_date(text: str, date_format: str) -> date:
    parts = re.split(r"[/.\-]", text.strip())
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        raise ValueError(
            _("“%(text)s” is not a date written as %(format)s.")
            % {"text": text, "format": DATE_FORMATS[date_format]}
        )
    order = {"DMY": (2, 1, 0), "MDY": (2, 0, 1), "YMD": (0, 1, 2)}[date_format]
    year, month, day = (parts[i] for i in order)
    if len(year) != 4:
        raise ValueError(
            _("“%(text)s”: write the year in full, as %(format)s.")
            % {"text": text, "format": DATE_FORMATS[date_format]}
        )
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise ValueError(
            _("“%(text)s” is not a real date when read as %(format)s.")
            % {"text": text, "format": DATE_FORMATS[date_format]}
        ) from None


def parse_time(text: str) -> time:
    """24-hour "14:30" or "14.30:00", or 12-hour "2:30 pm" (12 am is midnight, 12 pm noon)."""
    found = re.fullmatch(
        r"(\d{1,2})[:.](\d{2})(?::\d{2})?\s*([ap])?\.?(?:m\.?)?", text.strip().lower()
    )
    if found is None:
        raise ValueError(_("“%(text)s” is not a time (e.g. 14:30 or 2:30 pm).") % {"text": text})
    hour, minute, half = int(found.group(1)), int(found.group(2)), found.group(3)
    if half and not 1 <= hour <= 12:
        raise ValueError(_("“%(text)s” is not a time on a 12-hour clock.") % {"text": text})
    if half:
        hour = hour % 12 + (12 if half == "p" else 0)
    if hour > 23 or minute > 59:
        raise ValueError(_("“%(text)s” is not a time of day.") % {"text": text})
    return time(hour, minute)


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime | None:
    """The UTC instant of a wall-clock time; None if the clocks skip it (a DST gap).

    A time that happens twice (clocks going back) is the first of the two.
    """
    wall = datetime.combine(day, at)
    aware = wall.replace(tzinfo=zone)
    if aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != wall:
        return None
    return aware.astimezone(UTC)


# --- running ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    row: int
    """The row as a spreadsheet numbers it: the header is row 1; 0 for the whole file."""
    column: str
    message: str


@dataclass
class Report:
    kind: str
    rows: int = 0
    created: int = 0
    matched: int = 0
    skipped: int = 0
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    committed: bool = False

    @property
    def summary(self) -> str:
        if self.kind == CLIENTS:
            return ngettext(
                "%(rows)d row: %(created)d new clients, %(matched)d already here (matched).",
                "%(rows)d rows: %(created)d new clients, %(matched)d already here (matched).",
                self.rows,
            ) % {"rows": self.rows, "created": self.created, "matched": self.matched}
        return ngettext(
            "%(rows)d row: %(created)d appointments to create, %(matched)d already here, "
            "%(skipped)d in the past (skipped).",
            "%(rows)d rows: %(created)d appointments to create, %(matched)d already here, "
            "%(skipped)d in the past (skipped).",
            self.rows,
        ) % {
            "rows": self.rows,
            "created": self.created,
            "matched": self.matched,
            "skipped": self.skipped,
        }


@dataclass(frozen=True)
class Plan:
    organisation: Organisation
    location: Location
    """The location for rows without one; clients imported get it as their home."""
    kind: str
    columns: dict[str, int]
    date_format: str = "DMY"


def run(
    table: Table,
    plan: Plan,
    *,
    commit: bool,
    by: User | None = None,
    actor: str = "",
    now: datetime | None = None,
) -> Report:
    """Check every row through the services; keep the result only if ``commit`` and clean."""
    report = Report(kind=plan.kind, rows=len(table.rows))
    report.problems += [Problem(0, "", text) for text in mapping_problems(plan.kind, plan.columns)]
    if report.problems:
        return report
    rows = _Clients(plan, report) if plan.kind == CLIENTS else _Appointments(plan, report, by, now)
    with transaction.atomic():
        for number, cells in enumerate(table.rows, start=2):
            values = {key: clean(cells[index]) for key, index in plan.columns.items()}
            try:
                with transaction.atomic():
                    rows.take(number, values)
            except RowProblem as problem:
                index = plan.columns.get(problem.key)
                column = table.headers[index] if index is not None else ""
                report.problems.append(Problem(number, column, problem.message))
        if commit and not report.problems:
            audit.record(
                Action.CREATED,
                Target.CLIENT if plan.kind == CLIENTS else Target.BOOKING,
                "csv import",
                organisation_id=plan.organisation.pk,
                detail={
                    "import": plan.kind,
                    "rows": report.rows,
                    "created": report.created,
                    "matched": report.matched,
                    "skipped": report.skipped,
                },
                actor=actor,
            )
            report.committed = True
        else:
            transaction.set_rollback(True)
    return report


def row_fingerprint(client: Client, service: Service, starts_at: datetime) -> str:
    """What an appointment row imported: its client, service and start, hashed."""
    text = f"{client.pk}|{service.pk}|{starts_at.astimezone(UTC).isoformat()}"
    return hashlib.sha256(text.encode()).hexdigest()


def _cached(cache: dict[Any, Any], key: Any, find: Callable[[], Any]) -> Any:
    """One query per distinct value in the file, not one per row."""
    if key not in cache:
        cache[key] = find()
    return cache[key]


class _Clients:
    def __init__(self, plan: Plan, report: Report) -> None:
        self.plan, self.report = plan, report
        self.seen: dict[tuple[str, str], int] = {}
        self.clients = Client.objects.filter(
            organisation=plan.organisation, anonymised_at__isnull=True
        )

    def take(self, number: int, values: dict[str, str]) -> None:
        first, last = values.get("first_name", ""), values.get("last_name", "")
        for key, value in (("first_name", first), ("last_name", last)):
            if not value:
                raise RowProblem(
                    key,
                    _("The %(field)s is missing.") % {"field": _inline(label_of(CLIENTS, key))},
                )
        born = self._birth_date(values.get("date_of_birth", ""))
        email = values.get("email", "").lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                raise RowProblem(
                    "email", _("“%(email)s” is not an email address.") % {"email": email}
                ) from None
        try:
            phone = normalise_phone(values.get("phone", ""))
        except DomainError:
            raise RowProblem(
                "phone", _("“%(phone)s” is not a phone number.") % {"phone": values["phone"]}
            ) from None
        language = _language(values.get("language", ""))
        external = values.get("external_id", "")
        keys = {"first_name": f"{first.lower()}|{last.lower()}|{born}"}
        if email:
            keys["email"] = email
        if external:
            keys["external_id"] = external
        for key, value in keys.items():
            if (key, value) in self.seen:
                row = self.seen[key, value]
                raise RowProblem(
                    key, _("The same client as row %(row)s: remove one of them.") % {"row": row}
                )
        self.seen.update(dict.fromkeys(keys.items(), number))
        client = self._existing(external, email, phone, first, last, born)
        if client is None:
            try:
                client = client_create(
                    organisation=self.plan.organisation,
                    first_name=first,
                    last_name=last,
                    date_of_birth=born,
                    email=email,
                    phone=phone,
                    home_location=self.plan.location,
                    language=language,
                )
            except DomainError as error:
                raise RowProblem("first_name", error.message) from error
            self.report.created += 1
        else:
            if language and language != client.language:
                client_update(client=client, language=language)
            self.report.matched += 1
        if external:
            ExternalClientId.objects.get_or_create(
                organisation=self.plan.organisation,
                external_id=external,
                defaults={"client": client},
            )

    def _birth_date(self, text: str) -> date:
        if not text:
            raise RowProblem("date_of_birth", _("The date of birth is missing."))
        try:
            born = parse_date(split_when(text)[0], self.plan.date_format)
        except ValueError as error:
            raise RowProblem("date_of_birth", str(error)) from None
        if not date(1900, 1, 1) <= born <= timezone.now().date():
            raise RowProblem(
                "date_of_birth", _("“%(text)s” is not a possible date of birth.") % {"text": text}
            )
        return born

    def _existing(
        self, external: str, email: str, phone: str, first: str, last: str, born: date
    ) -> Client | None:
        def same(found: Client) -> bool:
            return found.first_name.lower() == first.lower() and (
                found.last_name.lower() == last.lower() or found.date_of_birth == born
            )

        if external:
            link = ExternalClientId.objects.filter(
                organisation=self.plan.organisation, external_id=external
            ).first()
            if link is not None:
                return link.client
        if email:
            found = self.clients.filter(email__iexact=email).first()
            if found is not None and not same(found):
                raise RowProblem(
                    "email", f"{email} is already the email of another client, {found.full_name}."
                )
            if found is not None:
                return found
        if phone:  # families share a phone: only the same person counts
            for found in self.clients.filter(phone=phone):
                if same(found):
                    return found
        return self.clients.filter(
            first_name__iexact=first, last_name__iexact=last, date_of_birth=born
        ).first()


class _Appointments:
    def __init__(self, plan: Plan, report: Report, by: User | None, now: datetime | None) -> None:
        self.plan, self.report, self.by = plan, report, by
        self.now = now or timezone.now()
        self.seen: dict[tuple[int, datetime, int], int] = {}
        self.seen_ids: dict[str, int] = {}
        self.rows_by_booking: dict[int, int] = {}
        self.cache: dict[Any, Any] = {}
        org = plan.organisation
        self.clients = Client.objects.filter(organisation=org, anonymised_at__isnull=True)
        self.locations = Location.objects.filter(organisation=org)
        self.staff = StaffMember.objects.filter(organisation=org, is_active=True)
        self.imported = ImportedBooking.objects.filter(organisation=org)

    def take(self, number: int, values: dict[str, str]) -> None:
        source_id = values.get("appointment_id", "")
        if source_id in self.seen_ids:
            row = self.seen_ids[source_id]
            raise RowProblem(
                "appointment_id", _("The same appointment id as row %(row)s.") % {"row": row}
            )
        if source_id:
            self.seen_ids[source_id] = number
        location = self._location(values.get("location", ""))
        starts_at = self._start(values, location)
        if starts_at <= self.now:
            self.report.skipped += 1
            self.report.notes.append(
                Problem(
                    number, "", _("In the past: skipped (only future appointments are imported).")
                )
            )
            return
        if source_id and self.imported.filter(source_id=source_id).exists():
            self.report.matched += 1  # whatever became of it here, and whatever the row says now
            return
        client = self._client(values.get("client_email", ""), values.get("client_id", ""))
        service = self._service(values.get("service", ""), location)
        practitioner = self._practitioner(values.get("practitioner", ""), service)
        self._duration(number, values.get("duration", ""), service)
        key = (client.pk, starts_at, service.pk)
        if key in self.seen:
            raise RowProblem(
                "start_date",
                _("The same appointment as row %(row)s.") % {"row": self.seen[key]},
            )
        self.seen[key] = number
        fingerprint = row_fingerprint(client, service, starts_at)
        if self._imported_before(fingerprint, source_id):
            self.report.matched += 1
            return
        already = Booking.objects.filter(client=client, service=service, starts_at=starts_at)
        if already.exclude(status=BookingStatus.CANCELLED).exists():
            self.report.matched += 1
            return
        try:
            booking = booking_create(
                client=client,
                service=service,
                starts_at=starts_at,
                channel=Channel.IMPORT,
                practitioner=practitioner,
                by=self.by,
                now=self.now,
            )
        except DomainError as error:
            why = self._why_not(error, service, practitioner, starts_at)
            raise RowProblem("start_time", why) from error
        ImportedBooking.objects.create(
            organisation=self.plan.organisation,
            booking=booking,
            source_id=source_id,
            fingerprint=fingerprint,
        )
        self.rows_by_booking[booking.pk] = number
        self.report.created += 1

    def _imported_before(self, fingerprint: str, source_id: str) -> bool:
        """Whether an import made this row's booking, though it may have moved or been
        cancelled since; a file with ids gives its id to a booking imported without one."""
        link = self.imported.filter(fingerprint=fingerprint).first()
        if link is None:
            return False
        if source_id and not link.source_id:
            link.source_id = source_id
            link.save(update_fields=["source_id"])
        return True

    def _location(self, name: str) -> Location:
        if not name:
            return self.plan.location
        found = _cached(
            self.cache,
            ("location", name.lower()),
            lambda: self.locations.filter(Q(name__iexact=name) | Q(slug__iexact=name)).first(),
        )
        if found is None:
            raise RowProblem("location", _("No location is called “%(name)s”.") % {"name": name})
        return found  # type: ignore[no-any-return]

    def _start(self, values: dict[str, str], location: Location) -> datetime:
        day_text, time_text = split_when(values.get("start_date", ""))
        time_text = values.get("start_time") or time_text
        if not day_text:
            raise RowProblem("start_date", _("The date is missing."))
        if not time_text:
            raise RowProblem("start_time", _("The start time is missing."))
        try:
            day = parse_date(day_text, self.plan.date_format)
        except ValueError as error:
            raise RowProblem("start_date", str(error)) from None
        try:
            at = parse_time(time_text)
        except ValueError as error:
            key = "start_time" if "start_time" in self.plan.columns else "start_date"
            raise RowProblem(key, str(error)) from None
        starts_at = local_instant(day, at, location.zone)
        if starts_at is None:
            raise RowProblem(
                "start_time",
                _(
                    "%(time)s on %(day)s doesn't exist in %(zone)s: "
                    "the clocks go forward then. Choose another time."
                )
                % {
                    "time": f"{at:%H:%M}",
                    "day": format_date(day, "short", locale=languages.reader_locale()),
                    "zone": location.time_zone,
                },
            )
        return starts_at

    def _client(self, email: str, external: str) -> Client:
        if email:
            found = _cached(
                self.cache,
                ("email", email.lower()),
                lambda: self.clients.filter(email__iexact=email).first(),
            )
            if found is None:
                raise RowProblem(
                    "client_email",
                    _("No client has the email %(email)s: import the clients first.")
                    % {"email": email},
                )
            return found  # type: ignore[no-any-return]
        if external:
            link = ExternalClientId.objects.filter(
                organisation=self.plan.organisation,
                external_id=external,
                client__anonymised_at__isnull=True,
            ).first()
            if link is None:
                raise RowProblem(
                    "client_id",
                    _(
                        "No client was imported with the id %(id)s: import the clients "
                        "first, with their id column."
                    )
                    % {"id": external},
                )
            return link.client
        key = "client_email" if "client_email" in self.plan.columns else "client_id"
        raise RowProblem(key, _("The client's email or id is missing."))

    def _service(self, name: str, location: Location) -> Service:
        if not name:
            raise RowProblem("service", _("The service is missing."))
        found = _cached(
            self.cache,
            ("service", location.pk, name.lower()),
            lambda: Service.objects.filter(
                location=location, name__iexact=name, is_active=True
            ).first(),
        )
        if found is None:
            raise RowProblem(
                "service",
                _(
                    "No service called “%(name)s” at %(location)s: add it in the settings "
                    "area, or correct the name."
                )
                % {"name": name, "location": location.name},
            )
        return found  # type: ignore[no-any-return]

    def _practitioner(self, name: str, service: Service) -> StaffMember | None:
        if not name:
            return None
        found = _cached(
            self.cache,
            ("staff", name.lower()),
            lambda: (
                self.staff.filter(Q(user__email__iexact=name) | Q(user__full_name__iexact=name))
                .select_related("user")
                .first()
            ),
        )
        if found is None:
            raise RowProblem(
                "practitioner", _("No one on the staff is called “%(name)s”.") % {"name": name}
            )
        qualified = _cached(
            self.cache,
            ("gives", found.pk, service.pk),
            lambda: service.practitioners.filter(pk=found.pk).exists(),
        )
        if not qualified:
            raise RowProblem(
                "practitioner",
                _("%(name)s doesn't give %(service)s.")
                % {"name": found.user.full_name, "service": service.name},
            )
        return found  # type: ignore[no-any-return]

    def _duration(self, number: int, text: str, service: Service) -> None:
        if not text:
            return
        found = re.match(r"\s*(\d+)", text)
        if found is None:
            raise RowProblem(
                "duration", _("“%(text)s” is not a number of minutes.") % {"text": text}
            )
        if int(found.group(1)) != service.visit_minutes:
            self.report.notes.append(
                Problem(
                    number,
                    "",
                    _(
                        "The old system had %(old)s minutes; %(service)s takes "
                        "%(minutes)s here, and is booked so."
                    )
                    % {
                        "old": int(found.group(1)),
                        "service": service.name,
                        "minutes": service.visit_minutes,
                    },
                )
            )

    def _why_not(
        self,
        error: DomainError,
        service: Service,
        practitioner: StaffMember | None,
        starts_at: datetime,
    ) -> str:
        """The service's refusal, naming the booking it overlaps when there is one."""
        if error.code not in {"slot_unavailable", "slot_taken"}:
            return error.message
        before = timedelta(minutes=service.buffer_before_minutes)
        after = timedelta(minutes=service.buffer_after_minutes)
        others = Booking.objects.filter(
            location=service.location,
            starts_at__lt=starts_at + service.visit + after,
            ends_at__gt=starts_at - before,
        ).exclude(status=BookingStatus.CANCELLED)
        if practitioner is not None:
            others = others.filter(practitioner=practitioner)
        other = others.select_related("service", "practitioner__user").order_by("starts_at").first()
        if other is None:
            return _(
                "That time is not free: the clinic is closed, the practitioner isn't working, "
                "or no room or pen is free then."
            )
        when = other.starts_at.astimezone(service.location.zone)
        what = _("%(service)s with %(name)s at %(time)s") % {
            "service": other.service.name,
            "name": other.practitioner.user.full_name,
            "time": f"{when:%H:%M}",
        }
        if other.pk in self.rows_by_booking:
            return _("Overlaps row %(row)s of this file (%(what)s).") % {
                "row": self.rows_by_booking[other.pk],
                "what": what,
            }
        return _("Overlaps a booking already in the calendar (%(what)s).") % {"what": what}


def _language(text: str) -> str:
    """A client's language as a file gives it: a code ("es", "es-MX", "en-GB") or the
    language's name in English or in itself ("Spanish", "Español"); empty: the default."""
    raw = text.strip()
    if not raw:
        return ""
    found = languages.supported(raw.replace("_", "-"))
    if found:
        return found
    for code in languages.codes():
        info = get_language_info(code)
        if raw.casefold() in {info["name"].casefold(), info["name_local"].casefold()}:
            return code
    known = ", ".join(languages.codes())
    raise RowProblem(
        "language",
        _("“%(language)s” is not a language we offer (give one of: %(known)s).")
        % {"language": raw, "known": known},
    )
