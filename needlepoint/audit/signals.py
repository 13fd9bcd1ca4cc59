"""Staff sign-ins, sign-outs, failed attempts and lockouts go to the audit log too, and so
do changes to the clinic's set-up that clinics announces (it sits below the audit app).

An attempt names an account by its email address; when that address is a staff member's,
the event is filed under their organisation, so the owner sees attempts against their
staff on the Audit page. The attempted address is kept as the actor either way.
"""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out  # type: ignore[import-untyped]
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from needlepoint.audit.choices import Action, Target
from needlepoint.audit.log import record
from needlepoint.clinics.models import StaffMember


@receiver(user_logged_in)
def _signed_in(sender: Any, user: Any, **kwargs: Any) -> None:
    record(Action.SIGNED_IN, Target.ACCOUNT, user.pk)


@receiver(user_logged_out)
def _signed_out(sender: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(Action.SIGNED_OUT, Target.ACCOUNT, user.pk)


@receiver(user_login_failed)
def _sign_in_failed(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    # The attempted address, never the password (Django has already masked it anyway).
    _attempt(Action.SIGN_IN_FAILED, credentials.get("username"))


@receiver(user_locked_out)
def _locked_out(sender: Any, username: str | None = None, **kwargs: Any) -> None:
    """django-axes paused sign-in for this address from this IP (and on each try while paused)."""
    _attempt(Action.LOCKED_OUT, username)


def _attempt(action: Action, username: object) -> None:
    address = str(username or "").strip()[:254]
    record(
        action,
        Target.ACCOUNT,
        actor=address or "unknown",
        organisation_id=staff_organisation(address),
    )


def staff_organisation(address: str) -> int | None:
    """The organisation of the staff member this email address names, if it names one."""
    if not address:
        return None
    return (
        StaffMember.objects.filter(user__email__iexact=address)
        .values_list("organisation_id", flat=True)
        .first()
    )
