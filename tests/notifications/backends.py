"""Email backends for tests."""

from __future__ import annotations

from django.core.mail.backends.base import BaseEmailBackend


class BrokenEmail(BaseEmailBackend):
    """A mail server that refuses every connection."""

    def send_messages(self, email_messages: object) -> int:
        raise ConnectionRefusedError("the mail server is down")
