"""Owners' and managers' pages: import a CSV in three steps, and export CSVs.

The uploaded file holds personal data: it is kept in the private storage (the photo
folder, or the bucket, so that every web server reads it), named for the user and a random
token held in their session, read again at each step, and deleted when the import is done
or cancelled (files left by abandoned imports go after a day).
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.files.base import ContentFile
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from needlepoint.accounts.access import StaffRequest, no_store, staff_view, visible_locations
from needlepoint.accounts.recent import requires_recent_password
from needlepoint.clinics.models import Location
from needlepoint.core.csv_export import attachment
from needlepoint.core.errors import DomainError
from needlepoint.core.replica import reads_replica
from needlepoint.core.storage import NOT_READ, STORE_ERRORS, private_storage, store_errors
from needlepoint.imports.csvfile import FileProblem, Table, read_table
from needlepoint.imports.exporter import EXPORTS, HEALTH, csv_lines, record_export
from needlepoint.imports.forms import ExportForm, MappingForm, UploadForm
from needlepoint.imports.importer import (
    CLIENTS,
    KINDS,
    Plan,
    guess_columns,
    guess_date_format,
    run,
)

SESSION_KEY = "csv-import"
KEEP_ABANDONED = timedelta(days=1)
SHOWN_PROBLEMS = 500
FOLDER = "imports"  # in the private storage, beside the organisations' photo folders

log = logging.getLogger(__name__)


def _name(request: HttpRequest, token: str) -> str:
    return f"{FOLDER}/{request.user.pk}-{token}.csv"


def _forget(request: HttpRequest) -> None:
    state = request.session.pop(SESSION_KEY, None)
    if state:
        _remove(_name(request, state["token"]))


def _remove(name: str) -> None:
    """Delete an uploaded file; a store that is down leaves it to the next day's sweep."""
    try:
        private_storage.delete(name)
    except STORE_ERRORS as error:
        log.warning("could not remove %s from the file store: %s", name, error)


def _sweep() -> None:
    """Remove files of imports abandoned more than a day ago."""
    try:
        _, names = private_storage.listdir(FOLDER)
        for name in names:
            path = f"{FOLDER}/{name}"
            if timezone.now() - private_storage.get_modified_time(path) > KEEP_ABANDONED:
                _remove(path)
    except FileNotFoundError:
        return  # no import yet
    except STORE_ERRORS as error:
        log.warning("could not sweep abandoned imports: %s", error)


def _keep(request: HttpRequest, data: bytes) -> str:
    """Store the upload where every web server can read it; DomainError when it cannot."""
    token = secrets.token_urlsafe(16)
    with store_errors():
        private_storage.save(_name(request, token), ContentFile(data))
    return token


def _load(request: StaffRequest) -> tuple[dict[str, Any], Table, Location] | HttpResponse:
    """The import under way: its settings, the file's table, its location; else the way back
    to the upload page (no import, or the store cannot be read just now)."""
    state = request.session.get(SESSION_KEY)
    if not state:
        return _start_again(request)
    location = visible_locations(request.staff).filter(pk=state["location"]).first()
    try:
        with store_errors(NOT_READ), private_storage.open(_name(request, state["token"])) as file:
            table = read_table(file.read())
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("imports:upload")  # the import is kept: try again
    except (FileNotFoundError, FileProblem):
        table = None
    if table is None or location is None:
        _forget(request)
        return _start_again(request)
    return state, table, location


def _start_again(request: HttpRequest) -> HttpResponse:
    messages.info(request, _("Upload the file to import first."))
    return redirect("imports:upload")


@staff_view
def upload(request: StaffRequest) -> HttpResponse:
    form = UploadForm(
        request.POST or None, request.FILES or None, locations=visible_locations(request.staff)
    )
    if request.method == "POST" and form.is_valid():
        _forget(request)
        _sweep()
        kind, table = form.cleaned_data["kind"], form.table
        columns = guess_columns(table.headers, kind)
        date_column = columns.get("date_of_birth" if kind == CLIENTS else "start_date")
        try:
            token = _keep(request, form.cleaned_data["file"])
        except DomainError as error:
            messages.error(request, error.message)
        else:
            request.session[SESSION_KEY] = {
                "token": token,
                "kind": kind,
                "location": form.cleaned_data["location"].pk,
                "name": form.file_name[:120],
                "columns": columns,
                "date_format": guess_date_format(
                    table.samples(date_column, 20) if date_column is not None else []
                ),
            }
            return redirect("imports:mapping")
    context = {"nav": "transfer", "form": form, "pending": request.session.get(SESSION_KEY)}
    return no_store(render(request, "imports/upload.html", context))


@staff_view
def mapping(request: StaffRequest) -> HttpResponse:
    loaded = _load(request)
    if isinstance(loaded, HttpResponse):
        return loaded
    state, table, location = loaded
    initial = {key: str(index) for key, index in state["columns"].items()}
    form = MappingForm(
        request.POST or None,
        kind=state["kind"],
        table=table,
        initial={**initial, "date_format": state["date_format"]},
    )
    if request.method == "POST" and form.is_valid():
        state["columns"] = form.columns()
        state["date_format"] = form.cleaned_data["date_format"]
        request.session[SESSION_KEY] = state
        return redirect("imports:check")
    context = {
        "nav": "transfer",
        "form": form,
        "state": state,
        "kind_label": KINDS[state["kind"]],
        "location": location,
        "rows": len(table.rows),
        "columns": [(header, table.samples(i)) for i, header in enumerate(table.headers)],
    }
    return no_store(render(request, "imports/mapping.html", context))


@staff_view
def check(request: StaffRequest) -> HttpResponse:
    """GET: the dry run, which writes nothing. POST: the import, checked again, all or nothing."""
    loaded = _load(request)
    if isinstance(loaded, HttpResponse):
        return loaded
    state, table, location = loaded
    plan = Plan(
        organisation=request.staff.organisation,
        location=location,
        kind=state["kind"],
        columns=state["columns"],
        date_format=state["date_format"],
    )
    importing = request.method == "POST"
    report = run(table, plan, commit=importing, by=request.staff.user)
    if report.committed:
        _forget(request)
        messages.success(
            request,
            _("Imported %(name)s. %(summary)s")
            % {"name": state["name"], "summary": report.summary},
        )
        return redirect("imports:upload")
    context = {
        "nav": "transfer",
        "state": state,
        "kind_label": KINDS[state["kind"]],
        "location": location,
        "report": report,
        "problems": report.problems[:SHOWN_PROBLEMS],
        "more_problems": max(0, len(report.problems) - SHOWN_PROBLEMS),
        "notes": report.notes[:SHOWN_PROBLEMS],
        "failed": importing,
    }
    return no_store(render(request, "imports/check.html", context))


@require_POST
@staff_view
def cancel(request: StaffRequest) -> HttpResponse:
    _forget(request)
    messages.info(request, _("The import is cancelled and the uploaded file deleted."))
    return redirect("imports:upload")


@staff_view
def export(request: StaffRequest) -> HttpResponse:
    form = ExportForm(request.GET or None)
    context = {"nav": "transfer", "form": form, "exports": EXPORTS, "health": HEALTH}
    return no_store(render(request, "imports/export.html", context))


@staff_view
@reads_replica
def export_csv(request: StaffRequest, kind: str) -> HttpResponseBase:
    if kind not in EXPORTS:
        raise Http404("No such export.")
    if kind in HEALTH:
        response: HttpResponseBase = _health_csv(request, kind)
        return response
    return _csv(request, kind)


@requires_recent_password
def _health_csv(request: StaffRequest, kind: str) -> HttpResponseBase:
    return _csv(request, kind)


def _csv(request: StaffRequest, kind: str) -> HttpResponseBase:
    form = ExportForm(request.GET)
    if not form.is_valid():
        messages.error(request, _("Check the dates: the first is after the last, or not a date."))
        return redirect(f"{reverse('imports:export')}?{request.GET.urlencode()}")
    since, until = form.cleaned_data["since"], form.cleaned_data["until"]
    organisation = request.staff.organisation
    record_export(kind, organisation, since, until)
    response = StreamingHttpResponse(
        csv_lines(kind, organisation, since, until), content_type="text/csv; charset=utf-8"
    )
    return attachment(response, kind)
