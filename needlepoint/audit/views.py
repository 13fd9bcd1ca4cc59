"""The owner's audit log: search it, page through it, export what was found as CSV."""

from __future__ import annotations

import csv
from datetime import datetime, time, timedelta

from django import forms
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from needlepoint.accounts.access import StaffRequest, no_store, staff_view
from needlepoint.accounts.recent import requires_recent_password
from needlepoint.audit.choices import Action, Target
from needlepoint.audit.log import record
from needlepoint.audit.models import AuditEvent
from needlepoint.clients.models import Client
from needlepoint.core.csv_export import Echo, attachment, safe
from needlepoint.core.replica import reads_replica

PAGE_SIZE = 50
COLUMNS = ("at", "actor", "role", "action", "target", "target_id", "client", "ip", "path", "reason")


class SearchForm(forms.Form):
    actor = forms.CharField(required=False, max_length=254, label=_("Who (email contains)"))
    client = forms.UUIDField(required=False, label=_("Client (record id)"))
    action = forms.ChoiceField(
        required=False, label=_("Action"), choices=[("", _("Any action")), *Action.choices]
    )
    target = forms.ChoiceField(
        required=False, label=_("Target"), choices=[("", _("Any record")), *Target.choices]
    )
    since = forms.DateField(
        required=False, label=_("From"), widget=forms.DateInput({"type": "date"})
    )
    until = forms.DateField(required=False, label=_("To"), widget=forms.DateInput({"type": "date"}))


def events_for(request: StaffRequest, form: SearchForm) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.filter(organisation_id=request.staff.organisation_id)
    if not form.is_valid():
        return events.none()
    wanted = form.cleaned_data
    if wanted["actor"]:
        events = events.filter(actor__icontains=wanted["actor"])
    if wanted["client"]:
        client = Client.objects.filter(
            organisation_id=request.staff.organisation_id, public_id=wanted["client"]
        ).first()
        events = events.filter(client=client) if client else events.none()
    if wanted["action"]:
        events = events.filter(action=wanted["action"])
    if wanted["target"]:
        events = events.filter(target=wanted["target"])
    zone = timezone.get_current_timezone()
    if wanted["since"]:
        events = events.filter(at__gte=datetime.combine(wanted["since"], time.min, zone))
    if wanted["until"]:
        end = datetime.combine(wanted["until"] + timedelta(days=1), time.min, zone)
        events = events.filter(at__lt=end)
    return events


@staff_view
@reads_replica
def audit_log(request: StaffRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    events = events_for(request, form).select_related("client")
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"nav": "audit", "form": form, "page": page, "query": query.urlencode()}
    response = render(request, "audit/log.html", context)
    # After the reads: were the replica to fail in them, the page is made again (once).
    record(Action.VIEWED, Target.AUDIT_LOG, detail={"query": request.GET.urlencode()})
    return no_store(response)


@staff_view
@requires_recent_password
@reads_replica
def audit_export(request: StaffRequest) -> StreamingHttpResponse:
    form = SearchForm(request.GET)
    events = events_for(request, form).select_related("client").order_by("at", "id")
    record(Action.EXPORTED, Target.AUDIT_LOG, detail={"query": request.GET.urlencode()})
    writer = csv.writer(Echo())
    rows = (
        writer.writerow(
            safe(cell)
            for cell in [
                event.at.isoformat(),
                event.actor,
                event.role,
                event.action,
                event.target,
                event.target_id,
                event.client.public_id if event.client else "",
                event.ip or "",
                event.path,
                event.reason,
            ]
        )
        for event in events.iterator(chunk_size=2000)
    )
    response = StreamingHttpResponse(
        (line for chunk in ([writer.writerow(COLUMNS)], rows) for line in chunk),
        content_type="text/csv; charset=utf-8",
    )
    return attachment(response, "audit-log")
