"""Staff sign-ins, sign-outs and failed attempts go to the audit log too."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from needlepoint.audit.choices import Action, Target
from needlepoint.audit.log import record


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
    record(
        Action.SIGN_IN_FAILED,
        Target.ACCOUNT,
        actor=str(credentials.get("username", ""))[:254] or "unknown",
    )
