"""Settings: the clinic's own set-up pages, for managers and owners.

Every page here is an interface: it reads through queries and writes through the
services of the app that owns the thing (clinics, scheduling, treatments, consents,
accounts), so a rule checked there holds here too, and each change leaves an audit row.
"""

from django.urls import path

from needlepoint.memberships import views as membership_views
from needlepoint.packages import views as package_views
from needlepoint.setup import (
    billing_views,
    catalogue_views,
    clinic_views,
    consent_views,
    equipment_views,
    rules_views,
    start_views,
    team_views,
    views,
)

app_name = "settings"

TEAM_MEMBER = "team/<uuid:public_id>/"
SHIFTS = f"{TEAM_MEMBER}shifts/<slug:location>/"

urlpatterns = [
    path("", views.home, name="home"),
    path("start/", start_views.start, name="start"),
    path("consent-forms/", consent_views.consent_forms, name="consent_forms"),
    path(
        "consent-forms/start/",
        consent_views.consent_forms_start_view,
        name="consent_forms_start",
    ),
    path("consent-forms/new/", consent_views.consent_form_new, name="consent_form_new"),
    path("consent-forms/<int:pk>/", consent_views.consent_form_edit, name="consent_form_edit"),
    path(
        "consent-forms/<int:pk>/versions/<int:version>/",
        consent_views.consent_form_version,
        name="consent_form_version",
    ),
    path("clinical-rules/", rules_views.clinical_rules, name="clinical_rules"),
    path("clinical-rules/<str:key>/", rules_views.clinical_rule_edit, name="clinical_rule_edit"),
    # The organisation and its locations (clinic_views)
    path("organisation/", clinic_views.organisation, name="organisation"),
    path("locations/", clinic_views.locations, name="locations"),
    path("locations/new/", clinic_views.location_new, name="location_new"),
    path("locations/<slug:slug>/", clinic_views.location_edit, name="location"),
    path("locations/<slug:slug>/hours/", clinic_views.location_hours, name="location_hours"),
    path(
        "locations/<slug:slug>/closures/",
        clinic_views.location_closures,
        name="location_closures",
    ),
    path(
        "locations/<slug:slug>/closures/<int:closure_id>/remove/",
        clinic_views.closure_remove_view,
        name="closure_remove",
    ),
    path("locations/<slug:slug>/rooms/", clinic_views.rooms, name="rooms"),
    path("locations/<slug:slug>/rooms/<int:room_id>/", clinic_views.room_edit, name="room"),
    # How the clinic takes money (billing_views)
    path("billing/", billing_views.billing, name="billing"),
    # Membership plans (memberships/views.py)
    path("memberships/", membership_views.plans, name="memberships"),
    path("memberships/new/<slug:slug>/", membership_views.plan_new, name="membership_plan_new"),
    path("memberships/<uuid:public_id>/", membership_views.plan_edit, name="membership_plan"),
    path(
        "locations/<slug:slug>/payments/",
        billing_views.payment_policy,
        name="payment_policy",
    ),
    # Courses sold as packages (packages/views.py)
    path("packages/", package_views.offers, name="package_offers"),
    path("packages/<uuid:public_id>/", package_views.offer, name="package_offer"),
    path("team/", team_views.team, name="team"),
    path("team/invite/", team_views.team_invite, name="team_invite"),
    path(TEAM_MEMBER, team_views.team_member, name="team_member"),
    path(f"{TEAM_MEMBER}active/", team_views.team_active, name="team_active"),
    path(f"{TEAM_MEMBER}invite-again/", team_views.team_invite_again, name="team_invite_again"),
    path(f"{TEAM_MEMBER}time-off/", team_views.team_time_off, name="team_time_off"),
    path(SHIFTS, team_views.team_shifts, name="team_shifts"),
    path(f"{SHIFTS}days/", team_views.team_days, name="team_days"),
    # Equipment and the service catalogue
    path("needles/", equipment_views.needles, name="needles"),
    path("needles/new/", equipment_views.needle_new, name="needle_new"),
    path("needles/<int:pk>/", equipment_views.needle_edit, name="needle_edit"),
    path("devices/", equipment_views.devices, name="devices"),
    path("devices/new/", equipment_views.device_new, name="device_new"),
    path("devices/<int:pk>/", equipment_views.device_edit, name="device_edit"),
    path("cartridges/", equipment_views.cartridges, name="cartridges"),
    path("cartridges/new/", equipment_views.cartridge_new, name="cartridge_new"),
    path("services/", catalogue_views.services, name="services"),
    path("services/new/", catalogue_views.service_new, name="service_new"),
    path("services/<uuid:public_id>/", catalogue_views.service_edit, name="service_edit"),
    path(
        "services/<uuid:public_id>/offered/",
        catalogue_views.service_offered,
        name="service_offered",
    ),
]
