"""Forms of the membership pages: they shape what is sent; the rules are the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from needlepoint.clinics.models import Location
from needlepoint.core.errors import DomainError
from needlepoint.core.money import Money, parse_money
from needlepoint.memberships.choices import Period, SessionsEvery
from needlepoint.memberships.models import MembershipPlan
from needlepoint.memberships.services import PlanTerms
from needlepoint.scheduling.models import Service


class PlanForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80, help_text=_("e.g. Gold"))
    price = forms.CharField(label=_("Price each period"), max_length=20)
    period = forms.ChoiceField(label=_("Billed"), choices=Period.choices)
    included_sessions = forms.IntegerField(
        label=_("Sessions included"), min_value=0, max_value=99, initial=0
    )
    included_service = forms.ModelChoiceField(
        label=_("Of the service"),
        queryset=Service.objects.none(),
        required=False,
        empty_label=_("No sessions included"),
    )
    sessions_every = forms.ChoiceField(
        label=_("Sessions come round"), choices=SessionsEvery.choices
    )
    discount_percent = forms.IntegerField(
        label=_("Discount on treatments (%)"), min_value=0, max_value=100, initial=0
    )
    active = forms.BooleanField(label=_("On sale"), required=False, initial=True)
    sold_online = forms.BooleanField(
        label=_("Sold online"),
        required=False,
        help_text=_("Listed on the location's public membership page (needs Stripe keys)."),
    )

    def __init__(self, location: Location, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.location = location
        services = Service.objects.filter(location=location, is_active=True).order_by("name")
        self.fields["included_service"].queryset = services  # type: ignore[attr-defined]

    def clean_price(self) -> Money:
        try:
            return parse_money(self.cleaned_data["price"], self.location.organisation.currency)
        except DomainError as error:
            raise forms.ValidationError(error.message) from error

    def terms(self) -> PlanTerms:
        data = self.cleaned_data
        return PlanTerms(
            name=data["name"],
            price=data["price"],
            period=data["period"],
            included_sessions=data["included_sessions"],
            included_service=data["included_service"],
            sessions_every=data["sessions_every"],
            discount_percent=data["discount_percent"],
            active=data["active"],
            sold_online=data["sold_online"],
        )


def plan_initial(plan: MembershipPlan, price: str) -> dict[str, Any]:
    return {
        "name": plan.name,
        "price": price,
        "period": plan.period,
        "included_sessions": plan.included_sessions,
        "included_service": plan.included_service,
        "sessions_every": plan.sessions_every,
        "discount_percent": plan.discount_percent,
        "active": plan.active,
        "sold_online": plan.sold_online,
    }
