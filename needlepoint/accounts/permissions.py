"""Who may open each page: the one table every view is checked against.

Each URL name maps to the people allowed: staff roles, ``client`` (signed in to the
portal) or ``anyone`` (public pages; those behind an emailed link are guarded by the
link's secret token instead). ``staff_view`` refuses a role not listed here, and a
staff page missing from the table is refused to everyone. The matrix in
docs/security.md is generated from this table (``needlepoint permissions``), and a
test visits every URL as every role and checks the answer against it.

Within a page, object scoping still applies: staff see only their organisation and
locations, a client only their own records (see accounts/access.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from needlepoint.clinics.choices import Role

ANYONE = "anyone"
CLIENT = "client"
OWNER, MANAGER, PRACTITIONER, FRONT_DESK, TRAINEE = (
    Role.OWNER.value,
    Role.MANAGER.value,
    Role.PRACTITIONER.value,
    Role.FRONT_DESK.value,
    Role.TRAINEE.value,
)
ALL_STAFF = frozenset({OWNER, MANAGER, PRACTITIONER, FRONT_DESK, TRAINEE})
CLINICAL = frozenset({OWNER, MANAGER, PRACTITIONER, TRAINEE})
DESK = frozenset({OWNER, MANAGER, FRONT_DESK})
MANAGERS = frozenset({OWNER, MANAGER})
REVIEWERS = frozenset({OWNER, MANAGER, PRACTITIONER})
MONEY = frozenset({OWNER, MANAGER, PRACTITIONER, FRONT_DESK})
OWNERS = frozenset({OWNER})
PUBLIC = frozenset({ANYONE})
PORTAL = frozenset({CLIENT})
WHO = (OWNER, MANAGER, PRACTITIONER, FRONT_DESK, TRAINEE, CLIENT, ANYONE)


NOT_YOUR_ROLE = gettext_lazy("This page is not part of your role.")


@dataclass(frozen=True)
class Access:
    who: frozenset[str]
    refusal: str | Promise = NOT_YOUR_ROLE


PAGES: dict[str, Access] = {
    "staff:home": Access(ALL_STAFF),
    "operations:health": Access(PUBLIC),
    "accounts:login": Access(PUBLIC),
    "accounts:logout": Access(PUBLIC),
    "accounts:password_reset": Access(PUBLIC),
    "accounts:password_reset_done": Access(PUBLIC),
    "accounts:password_reset_confirm": Access(PUBLIC),
    "accounts:password_reset_complete": Access(PUBLIC),
    "accounts:two_factor": Access(ALL_STAFF),
    "accounts:confirm_password": Access(ALL_STAFF),
    "accounts:backup_codes": Access(ALL_STAFF),
    "accounts:profile": Access(ALL_STAFF),
    "clients:list": Access(ALL_STAFF),
    "clients:detail": Access(ALL_STAFF),
    "clients:new": Access(ALL_STAFF),
    "clients:edit": Access(ALL_STAFF),
    "clients:export": Access(
        MANAGERS, gettext_lazy("Exports of a client's record are for managers and owners.")
    ),
    "clients:erasure": Access(MANAGERS, gettext_lazy("Erasure is for managers and owners.")),
    "clients:merge": Access(
        DESK, gettext_lazy("Duplicate records are merged by the front desk, managers and owners.")
    ),
    "clients:photo_consent": Access(ALL_STAFF),
    "clients:review": Access(
        REVIEWERS,
        gettext_lazy("Clinical reviews are recorded by practitioners, managers and owners."),
    ),
    "clients:review_letter": Access(CLINICAL),
    "scheduling:calendar": Access(ALL_STAFF),
    "scheduling:book": Access(ALL_STAFF),
    "scheduling:week": Access(ALL_STAFF),
    "scheduling:day": Access(ALL_STAFF),
    "scheduling:booking": Access(ALL_STAFF),
    "scheduling:booking_action": Access(ALL_STAFF),
    "scheduling:booking_move": Access(ALL_STAFF),
    "scheduling:course_new": Access(ALL_STAFF),
    "scheduling:waitlist": Access(ALL_STAFF),
    "scheduling:offer_accept": Access(ALL_STAFF),
    # The clinic's tablet: whoever greets the client may hand it over. It shows the client
    # blank questions, the online outcome's words and consent texts, and the staff member
    # nothing they can't already see on the booking (the front desk sees the outcome).
    **{
        f"kiosk:{name}": Access(ALL_STAFF)
        for name in ("start", "home", "history", "outcome", "consent", "done", "exit")
    },
    # After the staff session lapsed on the tablet: ends the lock, then the staff sign-in.
    "kiosk:release": Access(PUBLIC),
    **{
        name: Access(CLINICAL, gettext_lazy("Charts and photos are for clinical staff."))
        for name in (
            "treatments:open",
            "treatments:chart",
            "treatments:depth_check",
            "treatments:session_pdf",
            "treatments:action",
            "treatments:photo",
            "treatments:compare",
            "treatments:course_pdf",
            "treatments:adverse_event",
            "treatments:adverse_event_resolve",
        )
    },
    # Money at the desk (payments/views.py): whoever sees the client through may invoice,
    # take a payment and charge a fee; giving money back (refunds, credit notes, a waived
    # fee) is for managers and owners; the clinical release also for the practitioner,
    # whose clinical decision it is; closing the day's till is the desk's.
    **{
        f"money:{name}": Access(
            MONEY, gettext_lazy("Invoices and payments are not part of a trainee's role.")
        )
        for name in (
            "booking_invoice",
            "fee_charge",
            "invoice",
            "invoice_pdf",
            "invoice_email",
            "invoice_line",
            "invoice_line_remove",
            "invoice_issue",
            "payment_take",
            "instalments",
        )
    },
    **{
        f"money:{name}": Access(
            MANAGERS,
            gettext_lazy("Refunds, credit notes and waived fees are for managers and owners."),
        )
        for name in ("refund", "credit_note", "fee_waive", "charge_cancel")
    },
    "money:clinical_release": Access(
        REVIEWERS,
        gettext_lazy(
            "A clinical release is the practitioner's, a manager's or an owner's decision."
        ),
    ),
    **{
        f"money:{name}": Access(
            DESK, gettext_lazy("The cash-up is for the front desk, managers and owners.")
        )
        for name in ("cash_ups", "cash_up", "cash_up_close")
    },
    # Courses sold as packages (packages/views.py): whoever takes money sells one and sees
    # it; ending one (a transfer, credit, a refund or a void) is for managers and owners.
    **{
        f"packages:{name}": Access(
            MONEY, gettext_lazy("Course packages are not part of a trainee's role.")
        )
        for name in ("sell", "detail")
    },
    **{
        f"packages:{name}": Access(
            MANAGERS, gettext_lazy("Ending a course package is for managers and owners.")
        )
        for name in ("transfer", "credit", "refund", "void")
    },
    **{
        f"packages:{name}": Access(MANAGERS, gettext_lazy("Reports are for managers and owners."))
        for name in ("report", "report_csv")
    },
    # Gift vouchers (vouchers/views.py): sold, found and emailed by whoever takes payments;
    # cancelled by managers and owners; the validity setting and the report are theirs too.
    **{
        f"vouchers:{name}": Access(
            MONEY, gettext_lazy("Gift vouchers are not part of a trainee's role.")
        )
        for name in ("list", "sell", "detail", "pdf", "email")
    },
    **{
        f"vouchers:{name}": Access(
            MANAGERS,
            gettext_lazy(
                "Cancelling vouchers, their validity and their report are for managers and owners."
            ),
        )
        for name in ("cancel", "settings", "report", "report_csv")
    },
    **{f"vouchers_public:{name}": Access(PUBLIC) for name in ("buy", "card", "thanks", "check")},
    # Memberships (memberships/views.py): whoever takes money signs a client up and cancels
    # at the period's end; ending one now, with money given back, is for managers and owners.
    **{
        f"memberships:{name}": Access(
            MONEY, gettext_lazy("Memberships are not part of a trainee's role.")
        )
        for name in ("detail", "cancel", "sign_up")
    },
    "memberships:end_now": Access(
        MANAGERS,
        gettext_lazy("Ending a membership now, with a refund, is for managers and owners."),
    ),
    "memberships:report": Access(MANAGERS, gettext_lazy("Reports are for managers and owners.")),
    "memberships:report_csv": Access(
        MANAGERS, gettext_lazy("Reports are for managers and owners.")
    ),
    "memberships:public_plans": Access(PUBLIC),
    "memberships:join": Access(PORTAL),
    "notifications:outbox": Access(
        DESK, gettext_lazy("The outbox is for the front desk, managers and owners.")
    ),
    "notifications:resend": Access(
        DESK, gettext_lazy("The outbox is for the front desk, managers and owners.")
    ),
    "notifications:newsletter": Access(
        MANAGERS, gettext_lazy("Newsletters are sent by managers and owners.")
    ),
    "notifications:campaign": Access(
        MANAGERS, gettext_lazy("Newsletters are sent by managers and owners.")
    ),
    "notifications:wordings": Access(
        MANAGERS, gettext_lazy("Message wording is set by managers and owners.")
    ),
    "notifications:wording": Access(
        MANAGERS, gettext_lazy("Message wording is set by managers and owners.")
    ),
    "notifications:feed_settings": Access(ALL_STAFF),
    "notifications:feed": Access(PUBLIC),
    # Stripe posts its events here; the signature with the clinic's secret is the key.
    "payments:stripe_webhook": Access(PUBLIC),
    "webhooks:list": Access(MANAGERS, gettext_lazy("Webhooks are set up by managers and owners.")),
    "webhooks:detail": Access(
        MANAGERS, gettext_lazy("Webhooks are set up by managers and owners.")
    ),
    "webhooks:edit": Access(MANAGERS, gettext_lazy("Webhooks are set up by managers and owners.")),
    "webhooks:delivery": Access(
        MANAGERS, gettext_lazy("Webhooks are set up by managers and owners.")
    ),
    "api:tokens": Access(ALL_STAFF),
    "api-v1:openapi-json": Access(PUBLIC),
    "api-v1:openapi-view": Access(PUBLIC),
    "audit:log": Access(OWNERS, gettext_lazy("The audit log is for owners.")),
    "audit:export": Access(OWNERS, gettext_lazy("The audit log is for owners.")),
    **{
        f"reports:{name}": Access(MANAGERS, gettext_lazy("Reports are for managers and owners."))
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
            "money_csv",
        )
    },
    **{
        f"imports:{name}": Access(
            MANAGERS, gettext_lazy("Imports and exports are for managers and owners.")
        )
        for name in ("upload", "mapping", "check", "cancel", "export", "export_csv")
    },
    **{
        f"public:{name}": Access(PUBLIC)
        for name in (
            "location",
            "widget",
            "services",
            "times",
            "details",
            "verify",
            "health",
            "outcome",
            "card",
            "newsletter",
            "newsletter_confirm",
            "newsletter_unsubscribe",
            "portal_sign_in",
            "portal_link",
            "portal_sign_out",
            "booking",
            "booking_move",
            "booking_cancel",
            "booking_ics",
            "consent_sign",
            "consent_pdf",
            "booking_cancelled",
            "language",
        )
    },
    **{
        f"public:{name}": Access(PORTAL)
        for name in (
            "portal",
            "portal_health",
            "portal_newsletter",
            "portal_messages",
            "portal_language",
            "portal_data",
        )
    },
}
SETTINGS = Access(MANAGERS, gettext_lazy("Settings are for managers and owners."))
"""Every page of Settings (``settings:``): the clinic's set-up, each change through its
service. Who may change what within it (only an owner makes an owner) is the service's."""
ADMIN = Access(frozenset(), gettext_lazy("The Django admin is for site administrators only."))
"""The Django admin: a superuser's read-only view in an emergency (core/emergency_admin.py),
no role's daily work."""
API = Access(ALL_STAFF, gettext_lazy("The API answers to a staff member's token."))
"""Every operation of the JSON API (``api-v1:``) but its schema and docs: no session
reaches them, only a token (``Authorization: Bearer``) that acts as the staff member who
made it. Each operation then checks the token's scope and the role, as the pages do
(charts for clinical roles only); tests/api/test_roles.py holds the table per operation."""


def access_for(view_name: str) -> Access:
    if view_name.startswith("settings:"):
        return SETTINGS
    if view_name.startswith("admin:"):
        return ADMIN
    if view_name.startswith("api-v1:") and view_name not in PAGES:
        return API
    return PAGES.get(view_name, Access(frozenset(), gettext_lazy("This page has no access rule.")))


def matrix_markdown() -> str:
    """The table of docs/security.md: one row per page, one column per kind of person.

    Always in English, whatever language is active: it is the project's documentation."""
    with translation.override("en-gb"):
        return _matrix_markdown()


def _matrix_markdown() -> str:
    header = ["page", *(label(who) for who in WHO)]
    rows = [
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    for name in [*sorted(PAGES), "settings:*", "admin:*", "api-v1:*"]:
        allowed = access_for(name).who
        marks = ["✓" if who in allowed or ANYONE in allowed else "" for who in WHO]
        rows.append(f"| `{name}` | " + " | ".join(marks) + " |")
    return "\n".join(rows)


def label(who: str) -> str:
    if who in (CLIENT, ANYONE):
        return who
    return Role(who).label.lower()
