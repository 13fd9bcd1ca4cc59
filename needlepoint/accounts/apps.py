from typing import Any

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "needlepoint.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_start_idle_clock, dispatch_uid="needlepoint-idle-clock")


def _start_idle_clock(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """A sign-in starts the idle clock and counts as having just given the password."""
    from needlepoint.accounts.middleware import mark_seen
    from needlepoint.accounts.recent import mark_authenticated

    if request is not None and hasattr(request, "session"):
        mark_seen(request)
        mark_authenticated(request)
