"""Owners and managers subscribe URLs to events and read each subscription's delivery log."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from needlepoint.core.access import StaffRequest, no_store, staff_view
from needlepoint.core.errors import DomainError
from needlepoint.webhooks.delivery import GIVE_UP_AFTER
from needlepoint.webhooks.models import SUBSCRIBABLE, WebhookSubscription
from needlepoint.webhooks.services import (
    ping_send,
    secret_rotate,
    subscription_create,
    subscription_deactivate,
)

PAGE_SIZE = 50


class SubscriptionForm(forms.Form):
    url = forms.URLField(
        label="Address (URL)",
        max_length=500,
        assume_scheme="https",
        help_text="Where we POST each event, e.g. https://example.com/needlepoint-hook.",
    )
    events = forms.MultipleChoiceField(
        choices=SUBSCRIBABLE, widget=forms.CheckboxSelectMultiple, label="Events"
    )


@staff_view
def subscriptions(request: StaffRequest) -> HttpResponse:
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


@staff_view
def subscription(request: StaffRequest, subscription_id: int) -> HttpResponse:
    """The delivery log; POST ``action`` = test, rotate (shows the new secret once) or off."""
    item = get_object_or_404(
        WebhookSubscription, organisation_id=request.staff.organisation_id, pk=subscription_id
    )
    new_secret = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "test":
                ping_send(subscription=item)
                messages.success(request, "A test event is on its way.")
            elif action == "rotate":
                new_secret = secret_rotate(subscription=item)
            elif action == "off":
                subscription_deactivate(subscription=item)
                messages.success(request, f"Webhooks to {item.url} are turned off.")
                return redirect("webhooks:list")
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
    }
    return no_store(render(request, "webhooks/detail.html", context))
