"""Every URL, visited as every role, a client and a stranger, answers as the permission table says.

The URLs come from the resolver, so a new page without a way to reach it here, or
without a row in needlepoint/accounts/permissions.py, fails ``test_every_url_is_covered``.
The expected answer comes from the table: allowed people are served; refused staff
get 403; a stranger or a client on a staff page is sent to sign in; anyone not signed
in to the portal is sent to the portal's sign-in.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.contrib.admin import site as admin_site
from django.test import Client as Browser
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from PIL import Image

from needlepoint.accounts.access import PORTAL_CLIENT_KEY
from needlepoint.accounts.models import User
from needlepoint.accounts.permissions import (
    ANYONE,
    CLIENT,
    PAGES,
    PORTAL,
    WHO,
    access_for,
    matrix_markdown,
)
from needlepoint.clients.newsletter import confirm_token, newsletter_sign_up, unsubscribe_token
from needlepoint.clients.reviews import clinical_review_record
from needlepoint.clinics.models import Device, NeedleConfiguration
from needlepoint.clinics.setup import closure_add
from needlepoint.consents.choices import SignatureKind
from needlepoint.consents.models import ConsentForm
from needlepoint.consents.services import consent_form_publish, consent_sign
from needlepoint.core.money import Money
from needlepoint.memberships import services as membership_services
from needlepoint.notifications.models import CalendarFeed, Campaign, Message
from needlepoint.packages import services as packages
from needlepoint.payments import services as money
from needlepoint.payments.charges import charge_schedule
from needlepoint.payments.choices import Method
from needlepoint.payments.models import SavedCard
from needlepoint.public.portal import portal_link_create
from needlepoint.scheduling.choices import Channel
from needlepoint.scheduling.links import booking_token
from needlepoint.scheduling.models import WaitlistEntry, WaitlistOffer
from needlepoint.scheduling.services import booking_create
from needlepoint.treatments.services import adverse_event_record, photo_add, session_start
from needlepoint.vouchers.services import voucher_sell
from needlepoint.webhooks.models import WebhookDelivery, WebhookSubscription
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
VISIT = datetime(2027, 3, 2, 10, 0, tzinfo=UTC)  # a Tuesday
NOW = VISIT - timedelta(days=1)  # the clock, pinned: the visit ahead and its links live
STAFF_SIGN_IN = reverse("accounts:login")
XSS = '<script>alert("np")</script>'
XSS_ATTRIBUTE = '"><img src=x onerror=alert(1)>'
"""The client's name, as a hostile form might have saved it: every page must escape it."""


pytestmark = pytest.mark.usefixtures("pinned")


@pytest.fixture
def pinned() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def every_url() -> Iterator[tuple[str, str]]:
    """(view name, route) of every URL the site answers, admin pages as one family."""

    def walk(patterns: list[Any], namespace: str, prefix: str) -> Iterator[tuple[str, str]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or ""
                name = f"{namespace}:{inner}".strip(":") if inner else namespace
                yield from walk(pattern.url_patterns, name, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield f"{namespace}:{pattern.name}".strip(":"), prefix + str(pattern.pattern)

    yield from walk(get_resolver().url_patterns, "", "/")


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 150, 140)).save(out, format="JPEG")
    return out.getvalue()


@dataclass
class World:
    """One clinic with one of everything a URL can name."""

    values: dict[str, Any]

    def kwargs(self, name: str) -> dict[str, Any]:
        return REQUESTS[name][1](self.values)


@pytest.fixture
def world(clinic) -> World:
    org, place = clinic.organisation, clinic.location
    offered = factories.service(place)
    client = factories.screened_client(org, first_name=XSS, last_name=XSS_ATTRIBUTE)
    booking = booking_create(
        client=client,
        service=offered,
        starts_at=VISIT,
        channel=Channel.STAFF,
        now=VISIT - timedelta(days=3),
    )
    session = session_start(booking=booking, by=clinic.practitioner.user, now=VISIT)
    photo = photo_add(
        session=session, view="front", timing="before", data=jpeg(), by=clinic.practitioner.user
    )
    event = adverse_event_record(
        client=client,
        kind="ae.pih",
        zones=["zone.cheeks"],
        grade=1,
        onset_on=date(2027, 3, 3),
        by=clinic.practitioner.user,
    )
    form = ConsentForm.objects.create(organisation=org, name="Microneedling consent")
    form.services.add(offered)
    version = consent_form_publish(form=form, text="I consent to microneedling.")
    signed = consent_sign(
        client=client, form_version=version, kind=SignatureKind.TYPED, typed_name="Alex Client"
    )
    unsigned = ConsentForm.objects.create(organisation=org, name="Photography consent")
    unsigned.services.add(offered)
    due = consent_form_publish(form=unsigned, text="Photos may be taken for my record.")
    entry = WaitlistEntry.objects.create(
        client=client, service=offered, earliest_on=date(2027, 3, 1), latest_on=date(2027, 3, 31)
    )
    offer = WaitlistOffer.objects.create(
        entry=entry,
        starts_at=VISIT + timedelta(days=1),
        practitioner=clinic.practitioner,
        expires_at=VISIT + timedelta(days=1),
    )
    newsletter = newsletter_sign_up(organisation=org, email="reader@example.test", source="test")
    feed_token, feed_hash = CalendarFeed.new_token()
    CalendarFeed.objects.create(staff=clinic.practitioner, token_hash=feed_hash)
    created = portal_link_create(organisation=org, email=client.email)
    assert created is not None
    webhook = WebhookSubscription.objects.create(
        organisation=org, url="https://hooks.example.test/np", events=["booking.created"]
    )
    review = clinical_review_record(
        client=client,
        keys=["ci.anticoagulant"],
        zones=[],
        decision="cleared",
        reason="The prescriber's letter allows it.",
        attachment=jpeg(),
        by=clinic.practitioner.user,
        on=date(2026, 11, 20),
    )
    closure = closure_add(
        location=place, starts_on=date(2027, 12, 25), ends_on=date(2027, 12, 26), reason="Christmas"
    )
    needles = NeedleConfiguration.objects.create(
        organisation=org, device_kind="pen", name="12-pin nano", needle_count=12
    )
    pen = Device.objects.create(location=place, kind="pen", name="Pen 1", serial_number="P-1")
    invoice = money.invoice_issue(
        invoice=money.invoice_for_booking(booking=booking), by=clinic.owner.user, now=VISIT
    )
    paid = money.payment_take(
        location=place,
        client=client,
        amount=Money(5000, org.currency),
        method=Method.CASH,
        by=clinic.front_desk.user,
        key="world-cash",
        invoice=invoice,
        now=VISIT,
    )
    SavedCard.objects.create(
        client=client, stripe_customer="cus_w", stripe_payment_method="pm_w", saved_at=VISIT
    )
    charge = charge_schedule(
        invoice=invoice, amount_minor=1000, due_on=date(2027, 4, 1), key="world-charge", now=VISIT
    )
    package_offer = packages.offer_create(
        service=offered,
        terms=packages.OfferTerms("Acne scars × 2", 2, Money(30000, org.currency), 180),
        by=clinic.owner.user,
    )
    package = packages.package_sell(
        client=factories.screened_client(org, first_name=XSS),  # the world's client has an open AE
        sale=packages.Sale.of(package_offer),
        start_on=date(2027, 4, 1),
        method=Method.CASH,
        by=clinic.front_desk.user,
        now=NOW,
    )
    voucher = voucher_sell(
        location=place,
        buyer=client,
        amount=Money(5000, org.currency),
        method=Method.CASH,
        recipient_name=XSS,
        message=XSS_ATTRIBUTE,
        by=clinic.front_desk.user,
        key="world-voucher",
        now=VISIT,
    )
    gold = membership_services.plan_save(
        location=place,
        terms=membership_services.PlanTerms(
            name="Gold",
            price=Money(4900, org.currency),
            period="monthly",
            included_sessions=1,
            included_service=offered,
            discount_percent=10,
            sold_online=True,
        ),
        by=clinic.owner.user,
    )
    membership = membership_services.membership_record_start(
        client=client, plan=gold, stripe_id="pi_world", by=None, key="world", now=VISIT
    )
    return World(
        {
            "voucher": voucher.public_id,
            "charge": charge.pk,
            "package_offer": package_offer.public_id,
            "package": package.public_id,
            "plan": gold.public_id,
            "membership": membership.public_id,
            "closure": closure.pk,
            "room": place.rooms.get().pk,
            "needles": needles.pk,
            "device": pen.pk,
            "review": review.public_id,
            "clinic": clinic,
            "org": org.slug,
            "loc": place.slug,
            "location": place.public_id,
            "service": offered.public_id,
            "client": client,
            "booking": booking,
            "session": session,
            "photo": photo,
            "event": event.pk,
            "version": due.public_id,
            "consent_form": form.pk,
            "signed": signed.public_id,
            "offer": offer.pk,
            "token": booking_token(booking),
            "portal_token": created[1],
            "feed": feed_token,
            "confirm": confirm_token(newsletter),
            "unsubscribe": unsubscribe_token(newsletter),
            "message": Message.objects.filter(client=client).first().pk,
            "campaign": Campaign.objects.create(
                organisation=org, subject="Spring", body="Hello", created_by=clinic.owner.user
            ).pk,
            "webhook": webhook.pk,
            "invoice": invoice,
            "payment": paid.public_id,
            "webhook_delivery": WebhookDelivery.objects.create(
                subscription=webhook, event="ping", payload={}, next_attempt_at=VISIT
            ).pk,
        }
    )


def _none(_: dict[str, Any]) -> dict[str, Any]:
    return {}


def _client(v: dict[str, Any]) -> dict[str, Any]:
    return {"client_id": v["client"].public_id}


def _chart(v: dict[str, Any]) -> dict[str, Any]:
    return {"public_id": v["session"].public_id}


def _booking(v: dict[str, Any]) -> dict[str, Any]:
    return {"public_id": v["booking"].public_id}


def _invoice(v: dict[str, Any]) -> dict[str, Any]:
    return {"public_id": v["invoice"].public_id}


def _package(v: dict[str, Any]) -> dict[str, Any]:
    return {"public_id": v["package"]}


def _till(v: dict[str, Any]) -> dict[str, Any]:
    return {"slug": v["loc"], "day": "2027-03-01"}


def _place(v: dict[str, Any]) -> dict[str, Any]:
    return {"org": v["org"], "loc": v["loc"]}


def _member(v: dict[str, Any]) -> dict[str, Any]:
    return {"public_id": v["clinic"].practitioner.public_id}


def _link(v: dict[str, Any]) -> dict[str, Any]:
    return {"token": v["token"]}


Kwargs = Callable[[dict[str, Any]], dict[str, Any]]
GET, POST = "get", "post"
# How to reach each URL: the method and its arguments in the world above.
REQUESTS: dict[str, tuple[str, Kwargs]] = {
    "staff:home": (GET, _none),
    "operations:health": (GET, _none),
    "accounts:login": (GET, _none),
    "accounts:logout": (GET, _none),
    "accounts:two_factor": (GET, _none),
    "accounts:confirm_password": (GET, _none),
    "accounts:backup_codes": (GET, _none),
    "accounts:profile": (GET, _none),
    "accounts:password_reset": (GET, _none),
    "accounts:password_reset_done": (GET, _none),
    "accounts:password_reset_confirm": (GET, lambda v: {"uidb64": "MQ", "token": "set-password"}),
    "accounts:password_reset_complete": (GET, _none),
    "clients:list": (GET, _none),
    "clients:detail": (GET, lambda v: {"public_id": v["client"].public_id}),
    "clients:new": (GET, _none),
    "settings:home": (GET, _none),
    "settings:start": (GET, _none),
    "settings:consent_forms": (GET, _none),
    "settings:consent_forms_start": (POST, _none),
    "settings:consent_form_new": (GET, _none),
    "settings:consent_form_edit": (GET, lambda v: {"pk": v["consent_form"]}),
    "settings:consent_form_version": (GET, lambda v: {"pk": v["consent_form"], "version": 1}),
    "settings:clinical_rules": (GET, _none),
    "settings:clinical_rule_edit": (GET, lambda v: {"key": "interval.dermal_days"}),
    "settings:organisation": (GET, _none),
    "settings:locations": (GET, _none),
    "settings:location_new": (GET, _none),
    "settings:location": (GET, lambda v: {"slug": v["loc"]}),
    "settings:location_hours": (GET, lambda v: {"slug": v["loc"]}),
    "settings:location_closures": (GET, lambda v: {"slug": v["loc"]}),
    "settings:closure_remove": (GET, lambda v: {"slug": v["loc"], "closure_id": v["closure"]}),
    "settings:rooms": (GET, lambda v: {"slug": v["loc"]}),
    "settings:room": (GET, lambda v: {"slug": v["loc"], "room_id": v["room"]}),
    "settings:billing": (GET, _none),
    "settings:payment_policy": (GET, lambda v: {"slug": v["loc"]}),
    "settings:team": (GET, _none),
    "settings:package_offers": (GET, _none),
    "settings:package_offer": (GET, lambda v: {"public_id": v["package_offer"]}),
    "packages:sell": (GET, lambda v: {"client_id": v["client"].public_id}),
    "packages:detail": (GET, _package),
    "packages:transfer": (POST, _package),
    "packages:credit": (POST, _package),
    "packages:refund": (POST, _package),
    "packages:void": (POST, _package),
    "packages:report": (GET, _none),
    "packages:report_csv": (GET, _none),
    "settings:team_invite": (GET, _none),
    "settings:team_member": (GET, _member),
    "settings:team_active": (POST, _member),
    "settings:team_invite_again": (POST, _member),
    "settings:team_time_off": (POST, _member),
    "settings:team_shifts": (GET, lambda v: {**_member(v), "location": v["loc"]}),
    "settings:team_days": (POST, lambda v: {**_member(v), "location": v["loc"]}),
    "settings:needles": (GET, _none),
    "settings:needle_new": (GET, _none),
    "settings:needle_edit": (GET, lambda v: {"pk": v["needles"]}),
    "settings:devices": (GET, _none),
    "settings:device_new": (GET, _none),
    "settings:device_edit": (GET, lambda v: {"pk": v["device"]}),
    "settings:cartridges": (GET, _none),
    "settings:cartridge_new": (GET, _none),
    "settings:services": (GET, _none),
    "settings:service_new": (GET, _none),
    "settings:service_edit": (GET, lambda v: {"public_id": v["service"]}),
    "settings:service_offered": (POST, lambda v: {"public_id": v["service"]}),
    "clients:edit": (GET, lambda v: {"public_id": v["client"].public_id}),
    "clients:photo_consent": (POST, lambda v: {"public_id": v["client"].public_id}),
    "clients:export": (GET, lambda v: {"public_id": v["client"].public_id}),
    "clients:erasure": (POST, lambda v: {"public_id": v["client"].public_id}),
    "clients:merge": (GET, lambda v: {"public_id": v["client"].public_id}),
    "clients:review": (GET, lambda v: {"public_id": v["client"].public_id}),
    "clients:review_letter": (
        GET,
        lambda v: {"public_id": v["client"].public_id, "review_id": v["review"]},
    ),
    "scheduling:calendar": (GET, _none),
    "scheduling:book": (GET, lambda v: {"slug": v["loc"]}),
    "scheduling:week": (GET, lambda v: {"slug": v["loc"], "day": "2027-03-01"}),
    "scheduling:day": (GET, lambda v: {"slug": v["loc"], "day": "2027-03-02"}),
    "scheduling:booking": (GET, _booking),
    "scheduling:booking_action": (POST, lambda v: {**_booking(v), "action": "no-show"}),
    "scheduling:booking_move": (POST, _booking),
    "scheduling:course_new": (GET, _client),
    "scheduling:waitlist": (GET, _none),
    "scheduling:offer_accept": (POST, lambda v: {"offer_id": v["offer"]}),
    "money:booking_invoice": (POST, _booking),
    "money:fee_charge": (POST, _booking),
    "money:fee_waive": (POST, _booking),
    "money:clinical_release": (POST, _booking),
    "money:invoice": (GET, _invoice),
    "money:invoice_pdf": (GET, _invoice),
    "money:invoice_email": (POST, _invoice),
    "money:invoice_line": (POST, _invoice),
    "money:invoice_line_remove": (
        POST,
        lambda v: {**_invoice(v), "line_id": v["invoice"].lines.get().pk},
    ),
    "money:invoice_issue": (POST, _invoice),
    "money:payment_take": (POST, _invoice),
    "money:credit_note": (POST, _invoice),
    "money:instalments": (POST, _invoice),
    "money:charge_cancel": (
        POST,
        lambda v: {"public_id": v["invoice"].public_id, "charge_id": v["charge"]},
    ),
    "money:refund": (POST, lambda v: {"public_id": v["payment"]}),
    "money:cash_ups": (GET, _none),
    "money:cash_up": (GET, _till),
    "money:cash_up_close": (POST, _till),
    "memberships:detail": (GET, lambda v: {"public_id": v["membership"]}),
    "memberships:cancel": (POST, lambda v: {"public_id": v["membership"]}),
    "memberships:end_now": (POST, lambda v: {"public_id": v["membership"]}),
    "memberships:sign_up": (POST, lambda v: {"client_id": v["client"].public_id}),
    "memberships:report": (GET, _none),
    "memberships:report_csv": (GET, _none),
    "memberships:public_plans": (GET, _place),
    "memberships:join": (GET, lambda v: {"org": v["org"], "plan_id": v["plan"]}),
    "settings:memberships": (GET, _none),
    "settings:membership_plan_new": (GET, lambda v: {"slug": v["loc"]}),
    "settings:membership_plan": (GET, lambda v: {"public_id": v["plan"]}),
    "kiosk:start": (POST, _booking),
    "kiosk:home": (GET, _booking),
    "kiosk:history": (GET, _booking),
    "kiosk:outcome": (GET, _booking),
    "kiosk:consent": (GET, lambda v: {**_booking(v), "version_id": v["version"]}),
    "kiosk:done": (GET, _booking),
    "kiosk:exit": (GET, _booking),
    "kiosk:release": (POST, lambda v: {}),
    "treatments:open": (POST, lambda v: {"booking_id": v["booking"].public_id}),
    "treatments:chart": (GET, _chart),
    "treatments:depth_check": (GET, _chart),
    "treatments:session_pdf": (GET, _chart),
    "treatments:action": (POST, lambda v: {**_chart(v), "action": "details"}),
    "treatments:photo": (GET, lambda v: {"public_id": v["photo"].public_id, "size": "thumb"}),
    "treatments:compare": (GET, _client),
    "treatments:course_pdf": (
        GET,
        lambda v: {**_client(v), "indication": v["session"].indication},
    ),
    "treatments:adverse_event": (POST, _client),
    "treatments:adverse_event_resolve": (POST, lambda v: {"event_id": v["event"]}),
    "notifications:outbox": (GET, _none),
    "notifications:resend": (POST, lambda v: {"message_id": v["message"]}),
    "notifications:newsletter": (GET, _none),
    "notifications:campaign": (GET, lambda v: {"campaign_id": v["campaign"]}),
    "notifications:wordings": (GET, _none),
    "notifications:wording": (GET, lambda v: {"kind": "reminder", "channel": "email"}),
    "notifications:feed_settings": (GET, _none),
    "notifications:feed": (GET, lambda v: {"token": v["feed"]}),
    "payments:stripe_webhook": (POST, lambda v: {"organisation": v["org"]}),
    "webhooks:list": (GET, _none),
    "webhooks:detail": (GET, lambda v: {"subscription_id": v["webhook"]}),
    "webhooks:edit": (GET, lambda v: {"subscription_id": v["webhook"]}),
    "webhooks:delivery": (
        GET,
        lambda v: {"subscription_id": v["webhook"], "delivery_id": v["webhook_delivery"]},
    ),
    "api:tokens": (GET, _none),
    "api-v1:openapi-json": (GET, _none),
    "api-v1:openapi-view": (GET, _none),
    "audit:log": (GET, _none),
    "audit:export": (GET, _none),
    "imports:upload": (GET, _none),
    "imports:mapping": (GET, _none),
    "imports:check": (GET, _none),
    "imports:cancel": (POST, _none),
    "imports:export": (GET, _none),
    "imports:export_csv": (GET, lambda v: {"kind": "sessions"}),
    **{
        f"reports:{name}": (GET, _none)
        for name in (
            "index",
            "utilisation",
            "utilisation_csv",
            "bookings",
            "bookings_csv",
            "courses",
            "courses_csv",
            "outcomes",
            "outcomes_csv",
            "lots",
            "lots_csv",
            "money",
        )
    },
    "reports:money_csv": (GET, lambda v: {"section": "takings"}),
    "public:location": (GET, _place),
    "public:widget": (GET, _place),
    "public:services": (GET, _place),
    "public:times": (GET, lambda v: {**_place(v), "service_id": v["service"]}),
    "public:details": (GET, _place),
    "public:verify": (GET, _place),
    "public:health": (GET, _place),
    "public:outcome": (GET, _place),
    "public:card": (GET, _place),
    "public:newsletter": (GET, _place),
    "public:newsletter_confirm": (GET, lambda v: {"token": v["confirm"]}),
    "public:newsletter_unsubscribe": (GET, lambda v: {"token": v["unsubscribe"]}),
    "public:portal": (GET, lambda v: {"org": v["org"]}),
    "public:portal_sign_in": (GET, lambda v: {"org": v["org"]}),
    "public:portal_link": (GET, lambda v: {"org": v["org"], "token": v["portal_token"]}),
    "public:portal_sign_out": (POST, lambda v: {"org": v["org"]}),
    "public:portal_health": (GET, lambda v: {"org": v["org"]}),
    "public:portal_newsletter": (POST, lambda v: {"org": v["org"]}),
    "public:portal_messages": (POST, lambda v: {"org": v["org"]}),
    "public:portal_language": (POST, lambda v: {"org": v["org"]}),
    "public:language": (POST, _none),
    "public:portal_data": (GET, lambda v: {"org": v["org"]}),
    "public:booking": (GET, _link),
    "public:booking_move": (GET, _link),
    "public:booking_cancel": (GET, _link),
    "public:booking_ics": (GET, _link),
    "public:consent_sign": (GET, lambda v: {**_link(v), "version_id": v["version"]}),
    "public:consent_pdf": (GET, lambda v: {**_link(v), "signed_id": v["signed"]}),
    "public:booking_cancelled": (GET, lambda v: {"location": v["location"]}),
    **{f"vouchers:{name}": (GET, _none) for name in ("list", "sell", "settings", "report")},
    "vouchers:report_csv": (GET, _none),
    "vouchers:detail": (GET, lambda v: {"public_id": v["voucher"]}),
    "vouchers:pdf": (GET, lambda v: {"public_id": v["voucher"]}),
    "vouchers:email": (POST, lambda v: {"public_id": v["voucher"]}),
    "vouchers:cancel": (POST, lambda v: {"public_id": v["voucher"]}),
    **{f"vouchers_public:{name}": (GET, _place) for name in ("buy", "card", "thanks")},
    "vouchers_public:check": (GET, lambda v: {"org": v["org"]}),
}
ADMIN_PAGES = ["admin:index"] + [
    f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
    for model in admin_site._registry
]
"""The Django admin's pages: a site administrator's (superuser's) only."""


def test_every_url_is_covered():
    names = {name for name, _ in every_url()}
    # Families with one rule (accounts/permissions.py): Settings (visited here), the Django
    # admin, and the API's operations (tests/api/test_roles.py checks each against each
    # role's token).
    own = {name for name in names if not name.startswith(("admin:", "api-v1:")) or name in PAGES}
    settings = {name for name in own if name.startswith("settings:")}
    assert own - set(PAGES) - settings == set(), "pages with no row in accounts/permissions.py"
    assert own - set(REQUESTS) == set(), "pages this test does not visit"
    assert set(PAGES) - own == set(), "rows in accounts/permissions.py for pages that don't exist"


def test_the_matrix_in_the_docs_is_the_table_in_the_code():
    assert matrix_markdown() in (ROOT / "docs" / "security.md").read_text()


def browser_for(who: str, world: World) -> Browser:
    clinic = world.values["clinic"]
    if who == ANYONE:
        return Browser()
    if who == CLIENT:
        browser = Browser()
        session = browser.session
        session[PORTAL_CLIENT_KEY] = world.values["client"].pk
        session.save()
        return browser
    member = next(m for m in vars(clinic).values() if getattr(m, "role", None) == who)
    return factories.signed_in(member)


def expected(name: str, who: str) -> str:
    """'served', 'forbidden' (403), 'sign in' (to staff sign-in) or 'portal sign in'."""
    allowed = access_for(name).who
    if ANYONE in allowed or who in allowed:
        return "served"
    if allowed == PORTAL:
        return "portal sign in"
    if who in (ANYONE, CLIENT):
        return "sign in"
    return "forbidden"


def unescaped(response: Any) -> bool:
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    body = b"".join(response) if response.streaming else response.content
    return XSS.encode() in body or XSS_ATTRIBUTE.encode() in body


def answer(response: Any, public: bool = False) -> str:
    status, location = response.status_code, response.get("Location", "")
    if public:  # what a public page does is its own business, short of failing
        return "served" if status < 500 and status not in (401, 403, 404) else f"broken ({status})"
    if status == 403:
        return "forbidden"
    if status == 302 and (location.startswith(STAFF_SIGN_IN) or "/admin/login/" in location):
        return "sign in"
    if status == 302 and "/sign-in/" in location:
        return "portal sign in"
    if status >= 500 or status in (401, 404):
        return f"broken ({status})"
    return "served"


def test_each_page_answers_each_kind_of_person_as_the_table_says(world):
    """One world for every page (pages that change it, like a no-show, don't stop others)."""
    wrong = []
    for name in sorted(REQUESTS):
        method, kwargs = REQUESTS[name]
        url = reverse(name, kwargs=world.kwargs(name))
        public = ANYONE in access_for(name).who
        for who in WHO:
            response = getattr(browser_for(who, world), method)(url)
            got, want = answer(response, public), expected(name, who)
            if got != want:
                wrong.append(f"{url} as {who}: {want} expected, got {got}")
            if unescaped(response):
                wrong.append(f"{url} as {who}: the client's name is not escaped")
    assert wrong == []


def test_the_django_admin_is_no_roles_and_a_superuser_only_reads_it(world):
    superuser = User.objects.create_superuser(
        "root@example.com", "a long enough passphrase", full_name="Site Admin"
    )
    site_administrator = factories.signed_in(superuser)
    wrong = []
    for name in ADMIN_PAGES:
        url = reverse(name)
        for who in WHO:
            got = answer(browser_for(who, world).get(url))
            if got not in ("sign in", "portal sign in"):
                wrong.append(f"{url} as {who}: got {got}")
        if site_administrator.get(url).status_code != 200:
            wrong.append(f"{url} as a superuser: not served")
    assert wrong == []
    clients = reverse("admin:clients_client_changelist")
    assert site_administrator.get(clients + "add/").status_code == 403  # read-only
