"""The outbox page, and practitioners' calendar feeds."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from needlepoint.accounts.access import StaffRequest, no_store, staff_view
from needlepoint.clients.language_versions import clinic_languages
from needlepoint.clients.newsletter import newsletter_recipients
from needlepoint.clinics.models import Organisation, StaffMember
from needlepoint.core import languages
from needlepoint.core.errors import DomainError
from needlepoint.core.replica import reads_replica
from needlepoint.notifications import services
from needlepoint.notifications.choices import FIXED_WORDING, Channel, MessageKind, MessageStatus
from needlepoint.notifications.delivery import resend
from needlepoint.notifications.feeds import practitioner_calendar
from needlepoint.notifications.models import (
    PLACEHOLDERS,
    CalendarFeed,
    Campaign,
    MessageWording,
)
from needlepoint.notifications.planner import campaign_send
from needlepoint.notifications.queries import delivery_health, messages_for
from needlepoint.notifications.wording import preview, starting_point

PAGE_SIZE = 50


@staff_view
def outbox(request: StaffRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    rows = messages_for(request.staff).select_related("client").order_by("-next_attempt_at")
    if status in MessageStatus.values:
        rows = rows.filter(status=status)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "nav": "outbox",
        "page": page,
        "status": status,
        "statuses": MessageStatus.choices,
        "health": delivery_health(request.staff, timezone.now()),
    }
    return no_store(render(request, "notifications/outbox.html", context))


@require_POST
@staff_view
def outbox_resend(request: StaffRequest, message_id: int) -> HttpResponse:
    message = get_object_or_404(messages_for(request.staff), pk=message_id)
    if message.status != MessageStatus.FAILED:
        messages.error(request, _("Only a failed message can be sent again."))
    else:
        resend(message)
        messages.success(
            request,
            _("The message to %(recipient)s will be sent again.")
            % {"recipient": message.recipient},
        )
    return redirect(reverse("notifications:outbox") + "?status=failed")


class CampaignForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Campaign
        fields = ("subject", "body")
        labels = {"subject": gettext_lazy("Subject"), "body": gettext_lazy("Body")}
        widgets = {"body": forms.Textarea(attrs={"rows": 10})}


@staff_view
def newsletter(request: StaffRequest) -> HttpResponse:
    """Write a newsletter, read it as subscribers will, and send it to confirmed subscribers."""
    organisation = request.staff.organisation
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        campaign = services.campaign_create(
            organisation=organisation, by=request.staff.user, **form.cleaned_data
        )
        return redirect("notifications:campaign", campaign_id=campaign.pk)
    context = {
        "nav": "outbox",
        "form": form,
        "campaigns": Campaign.objects.filter(organisation=organisation)[:50],
        "subscribers": newsletter_recipients(organisation).count(),
    }
    return no_store(render(request, "notifications/newsletter.html", context))


@staff_view
def campaign(request: StaffRequest, campaign_id: int) -> HttpResponse:
    organisation = request.staff.organisation
    item = get_object_or_404(Campaign, organisation=organisation, pk=campaign_id)
    if request.method == "POST":
        try:
            queued = campaign_send(campaign=item)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                ngettext(
                    "Queued for %(count)d subscriber.", "Queued for %(count)d subscribers.", queued
                )
                % {"count": queued},
            )
        return redirect("notifications:campaign", campaign_id=item.pk)
    sent = messages_for(request.staff).filter(subject=f"campaign:{item.pk}")
    context = {
        "nav": "outbox",
        "campaign": item,
        "subscribers": newsletter_recipients(organisation).count(),
        "counts": {status: sent.filter(status=status).count() for status in MessageStatus},
    }
    return no_store(render(request, "notifications/campaign.html", context))


EDITABLE = [kind for kind in MessageKind if kind not in FIXED_WORDING]


class WordingForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = MessageWording
        fields = ("subject", "body")
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}


@staff_view
def wordings(request: StaffRequest) -> HttpResponse:
    own: dict[tuple[str, str], list[str]] = {}
    for kind, channel, code in MessageWording.objects.filter(
        organisation_id=request.staff.organisation_id
    ).values_list("kind", "channel", "language"):
        own.setdefault((kind, channel), []).append(code)
    codes = clinic_languages(request.staff.organisation)
    rows = [
        (
            kind,
            [
                (channel, [languages.name(c) for c in codes if c in own.get((kind, channel), [])])
                for channel in Channel
            ],
        )
        for kind in EDITABLE
    ]
    context = {"nav": "outbox", "rows": rows}
    return no_store(render(request, "notifications/wordings.html", context))


@staff_view
def wording(request: StaffRequest, kind: str, channel: str) -> HttpResponse:
    """Edit one message's wording, read it with sample values, save it, or go back to ours."""
    if kind not in {k.value for k in EDITABLE} or channel not in Channel.values:
        raise Http404("No such message.")
    organisation = request.staff.organisation
    language = request.GET.get("language") or organisation.default_language
    if language not in clinic_languages(organisation):
        raise Http404("The clinic does not offer that language.")
    current = MessageWording.objects.filter(
        organisation=organisation, kind=kind, channel=channel, language=language
    ).first()
    instance = current or MessageWording(
        organisation=organisation, kind=kind, channel=channel, language=language
    )
    with translation.override(language):
        subject, body = starting_point(kind, channel)
    form = WordingForm(
        request.POST or None,
        instance=instance,
        initial=None if current else {"subject": subject, "body": body},
    )
    action = request.POST.get("action", "")
    if action == "reset" and current is not None:
        services.wording_reset(
            organisation=organisation, kind=kind, channel=channel, language=language
        )
        messages.success(request, _("Back to Needlepoint's own wording."))
        return redirect("notifications:wordings")
    if action == "save" and form.is_valid():
        services.wording_save(
            organisation=organisation,
            kind=kind,
            channel=channel,
            language=language,
            **form.cleaned_data,
        )
        messages.success(request, _("Saved: new messages use this wording."))
        return redirect("notifications:wordings")
    shown = form["body"].value() or ""
    context = {
        "nav": "outbox",
        "form": form,
        "kind": MessageKind(kind),
        "channel": Channel(channel),
        "own": current is not None,
        "preview_subject": preview(form["subject"].value() or ""),
        "preview_body": preview(str(shown)),
        "placeholders": PLACEHOLDERS.items(),
        "language": language,
        "language_tabs": _wording_tabs(organisation, kind, channel),
    }
    return no_store(render(request, "notifications/wording.html", context))


def _wording_tabs(organisation: Organisation, kind: str, channel: str) -> list[dict[str, object]]:
    """One tab per language the clinic offers, saying which have the clinic's own wording."""
    own = set(
        MessageWording.objects.filter(
            organisation=organisation, kind=kind, channel=channel
        ).values_list("language", flat=True)
    )
    url = reverse("notifications:wording", args=[kind, channel])
    return [
        {
            "code": code,
            "name": languages.name(code),
            "url": f"{url}?language={code}",
            "own": code in own,
        }
        for code in clinic_languages(organisation)
    ]


@staff_view
def calendar_feed_settings(request: StaffRequest) -> HttpResponse:
    """A practitioner's own feed: make a new secret address (the old one stops) or revoke it."""
    staff = request.staff
    new_url = ""
    if request.method == "POST":
        if request.POST.get("action") == "new":
            token = services.calendar_feed_renew(staff=staff)
            new_url = request.build_absolute_uri(reverse("notifications:feed", args=[token]))
        else:
            services.calendar_feed_revoke(staff=staff)
            messages.success(request, _("Your calendar feed is switched off."))
    active = CalendarFeed.objects.filter(staff=staff, revoked_at__isnull=True).first()
    context = {"nav": "feed", "active": active, "new_url": new_url}
    return no_store(render(request, "notifications/feed_settings.html", context))


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed itself: no sign-in (calendar apps can't), the secret address is the key."""
    feed = (
        CalendarFeed.objects.filter(token_hash=CalendarFeed.hash_of(token), revoked_at__isnull=True)
        .select_related("staff__organisation", "staff__user")
        .first()
    )
    if feed is None or not feed.staff.is_active:
        raise Http404("No such calendar.")
    return _feed_response(feed.staff)


@reads_replica  # the feed found on the primary (a new one works at once), its visits anywhere
def _feed_response(staff: StaffMember) -> HttpResponse:
    return no_store(HttpResponse(practitioner_calendar(staff), content_type="text/calendar"))
