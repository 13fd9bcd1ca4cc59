"""Proof that whoever books online controls the email address they give.

Nothing is written to a client's record, and nothing is shown from it, until the person
booking has typed the one-time code we emailed to the address. Every address gets the
same answer and the same email, so the pages never tell whether someone is a client; the
record is found, or made, only after the proof (docs/security.md).

The code lives in the server-side session of the browser that asked for it, as a keyed
hash, so it works only in that browser, for a short time and a few tries.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from needlepoint.clinics.models import Organisation
from needlepoint.core.errors import DomainError
from needlepoint.core.throttle import hit

CODE_LIFETIME = timedelta(minutes=10)  # within the 15-minute idle session
TRIES = 5  # wrong codes before the code is void and a new one must be sent


def _key(organisation: Organisation) -> str:
    return f"email-code-{organisation.pk}"


def _digest(email: str, code: str) -> str:
    return salted_hmac("online-booking-email-code", f"{email}\n{code}").hexdigest()


def email_code_create(
    session: SessionBase, *, organisation: Organisation, email: str, now: datetime
) -> str:
    """A new six-digit code for ``email`` in this browser, replacing any earlier one.

    Refused past the per-address rate (``email_code`` in THROTTLE_RATES), whoever the
    address belongs to, so the refusal reveals nothing either.
    """
    wait = hit("email_code", f"{organisation.pk}\n{email}")
    if wait:
        raise DomainError(
            "code_limit",
            _(
                "We have sent several codes to this address in the last hour. Please use "
                "the newest one, or ask for another in %(minutes)d minutes."
            )
            % {"minutes": -(-wait // 60)},
        )
    code = f"{secrets.randbelow(1_000_000):06d}"
    session[_key(organisation)] = {
        "email": email,
        "digest": _digest(email, code),
        "expires_at": (now + CODE_LIFETIME).isoformat(),
        "tries_left": TRIES,
    }
    return code


def email_code_check(
    session: SessionBase, *, organisation: Organisation, email: str, code: str, now: datetime
) -> None:
    """Accept the code for ``email`` (it is then used up) or raise why not."""
    pending: dict[str, Any] | None = session.get(_key(organisation))
    if pending is None or pending["email"] != email:
        raise DomainError("code_missing", _("Please ask for a new code."), field="code")
    if datetime.fromisoformat(pending["expires_at"]) <= now:
        session.pop(_key(organisation))
        raise DomainError(
            "code_expired", _("This code has expired. Please ask for a new one."), field="code"
        )
    if not constant_time_compare(pending["digest"], _digest(email, code.strip())):
        pending["tries_left"] -= 1
        if pending["tries_left"] <= 0:
            session.pop(_key(organisation))
            raise DomainError(
                "code_used_up",
                _("That code was wrong too many times. Please ask for a new one."),
                field="code",
            )
        session[_key(organisation)] = pending
        raise DomainError(
            "code_wrong",
            _("That code is not right. Please check the newest email from us."),
            field="code",
        )
    session.pop(_key(organisation))
