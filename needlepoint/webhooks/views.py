"""Owners and managers subscribe URLs to events, edit them, read each subscription's
delivery log and each delivery's tries, and send a failed delivery again."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from needlepoint.accounts.access import StaffRequest, no_store, staff_view
from needlepoint.accounts.recent import password_again
from needlepoint.core.errors import DomainError
from needlepoint.webhooks.delivery import GIVE_UP_AFTER, body_of
from needlepoint.webhooks.models import SUBSCRIBABLE, WebhookSubscription
from needlepoint.webhooks.services import (
    delivery_resend,
    ping_send,
    secret_rotate,
    subscription_create,
    subscription_deactivate,
    subscription_reactivate,
    subscription_update,
)

PAGE_SIZE = 50


class SubscriptionForm(forms.Form):
    url = forms.URLField(
        label=gettext_lazy("Address (URL)"),
        max_length=500,
        assume_scheme="https",
        help_text=gettext_lazy(
            "Where we POST each event, e.g. https://example.com/needlepoint-hook."
        ),
    )
    events = forms.MultipleChoiceField(
        choices=SUBSCRIBABLE, widget=forms.CheckboxSelectMultiple, label=gettext_lazy("Events")
    )


@staff_view
def subscriptions(request: StaffRequest) -> HttpResponse:
    if request.method == "POST" and (asked := password_again(request)) is not None:
        return asked  # a subscription sends clinic data to an address outside
    organisation = request.staff.organisation
    form = SubscriptionForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created = subscription_create(
                organisation=organisation,
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            form = SubscriptionForm()
    context = {
        "nav": "outbox",
        "form": form,
        "created": created,
        "subscriptions": WebhookSubscription.objects.filter(organisation=organisation),
    }
    return no_store(render(request, "webhooks/list.html", context))


def _subscription(request: StaffRequest, subscription_id: int) -> WebhookSubscription:
    return get_object_or_404(
        WebhookSubscription, organisation_id=request.staff.organisation_id, pk=subscription_id
    )


@staff_view
def subscription(request: StaffRequest, subscription_id: int) -> HttpResponse:
    """The delivery log; POST ``action`` = test, rotate (shows the new secret once), off or on."""
    item = _subscription(request, subscription_id)
    new_secret = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "test":
                ping_send(subscription=item)
                messages.success(request, _("A test event is on its way."))
            elif action == "rotate":
                new_secret = secret_rotate(subscription=item)
            elif action == "off":
                subscription_deactivate(subscription=item)
                messages.success(
                    request, _("Webhooks to %(url)s are turned off.") % {"url": item.url}
                )
                return redirect("webhooks:list")
            elif action == "on":
                subscription_reactivate(subscription=item)
                messages.success(
                    request, _("Webhooks to %(url)s are turned on again.") % {"url": item.url}
                )
        except DomainError as error:
            messages.error(request, error.message)
        if not new_secret:
            return redirect("webhooks:detail", subscription_id=item.pk)
    deliveries = item.deliveries.order_by("-created_at", "-pk")
    context = {
        "nav": "outbox",
        "subscription": item,
        "new_secret": new_secret,
        "page": Paginator(deliveries, PAGE_SIZE).get_page(request.GET.get("page")),
        "tries": GIVE_UP_AFTER,
        "now": timezone.now(),
    }
    return no_store(render(request, "webhooks/detail.html", context))


@staff_view
def subscription_edit(request: StaffRequest, subscription_id: int) -> HttpResponse:
    if request.method == "POST" and (asked := password_again(request)) is not None:
        return asked  # a new address sends clinic data somewhere else
    item = _subscription(request, subscription_id)
    form = SubscriptionForm(request.POST or None, initial={"url": item.url, "events": item.events})
    if request.method == "POST" and form.is_valid():
        try:
            subscription_update(
                subscription=item, url=form.cleaned_data["url"], events=form.cleaned_data["events"]
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The webhook is changed."))
            return redirect("webhooks:detail", subscription_id=item.pk)
    context = {"nav": "outbox", "form": form, "subscription": item}
    return no_store(render(request, "webhooks/edit.html", context))


@staff_view
def delivery(request: StaffRequest, subscription_id: int, delivery_id: int) -> HttpResponse:
    """One delivery with each of its tries; POST ``action`` = resend sends a failed one again."""
    subscription = _subscription(request, subscription_id)
    item = get_object_or_404(subscription.deliveries, pk=delivery_id)
    if request.method == "POST":
        if request.POST.get("action") == "resend":
            try:
                delivery_resend(delivery=item)
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("The delivery is on its way again."))
        return redirect("webhooks:delivery", subscription_id=subscription.pk, delivery_id=item.pk)
    context = {
        "nav": "outbox",
        "subscription": subscription,
        "delivery": item,
        "body": json.dumps(json.loads(body_of(item)), indent=2, ensure_ascii=False),
        "attempts": item.attempt_log.all(),
    }
    return no_store(render(request, "webhooks/delivery.html", context))
