"""Where messages go: email through Django's email backends, text messages through an SMS
backend chosen by ``SMS_URL``. Every send carries the message's idempotency key, so the
far end can recognise a retry of a message it already has: an email has it as
``X-Idempotency-Key`` and in its ``Message-ID`` (the same on every try), a text as the
provider's ``Idempotency-Key``.

Each SMTP step (connect, each command, the data) times out after 30 seconds (or
Django's ``EMAIL_TIMEOUT``, if set), so a send always ends; the worker renews its lease on the
message meanwhile (delivery.py).

SMS backends: ``console:`` (print), ``file:/dir`` (one file per key; a repeat is ignored),
``https://user:token@provider.example/messages`` (POST JSON with an ``Idempotency-Key``
header; any 2xx is success).
"""

from __future__ import annotations

import base64
import json
import sys
import urllib.request
import uuid
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage

from needlepoint.notifications.rendering import Rendered

KEY_HEADER = "X-Idempotency-Key"
SEND_TIMEOUT = 30  # seconds per SMTP step, unless EMAIL_TIMEOUT says otherwise


def message_id(key: str) -> str:
    """The email's ``Message-ID``: made from its key, so a resend carries the same one."""
    domain = urlsplit(settings.SITE_URL).hostname or "needlepoint"
    return f"<{key}@{domain}>"


def send_email(to: str, rendered: Rendered, key: str) -> None:
    message = EmailMultiAlternatives(
        rendered.subject,
        rendered.text,
        to=[to],
        headers={KEY_HEADER: key, **rendered.headers, "Message-ID": message_id(key)},
        connection=get_connection(timeout=settings.EMAIL_TIMEOUT or SEND_TIMEOUT),
    )
    if rendered.html:
        message.attach_alternative(rendered.html, "text/html")
    for name, content, mimetype in rendered.attachments:
        message.attach(name, content, mimetype)
    message.send()


class SmsBackend(Protocol):
    def send(self, to: str, text: str, key: str) -> None: ...


class ConsoleSms:
    def send(self, to: str, text: str, key: str) -> None:
        sys.stdout.write(f"SMS to {to} [{key}]: {text}\n")


class FileSms:
    """One file per message key; a second delivery of the same key changes nothing."""

    def __init__(self, directory: str) -> None:
        self.directory = Path(directory)

    def send(self, to: str, text: str, key: str) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        write_once(self.directory / f"{key}.sms", f"To: {to}\n\n{text}\n".encode())


class HttpSms:
    """A provider's HTTP API: POST {"to", "text"} with the key as ``Idempotency-Key``."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.endpoint = parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()
        self.credentials = (unquote(parts.username or ""), unquote(parts.password or ""))

    def send(self, to: str, text: str, key: str) -> None:
        request = urllib.request.Request(
            self.endpoint,
            data=json.dumps({"to": to, "text": text}).encode(),
            headers={"Content-Type": "application/json", "Idempotency-Key": key},
            method="POST",
        )
        if any(self.credentials):
            token = base64.b64encode(":".join(self.credentials).encode()).decode()
            request.add_header("Authorization", f"Basic {token}")
        with urllib.request.urlopen(request, timeout=15) as response:
            if not 200 <= response.status < 300:
                raise OSError(f"SMS provider answered {response.status}")


def sms_backend() -> SmsBackend:
    url = settings.SMS_URL
    scheme = urlsplit(url).scheme
    if scheme == "console":
        return ConsoleSms()
    if scheme == "file":
        return FileSms(unquote(urlsplit(url).path))
    if scheme in {"http", "https"}:
        return HttpSms(url)
    raise ValueError(f"SMS_URL scheme {scheme!r} is not console, file, http or https.")


def write_once(path: Path, content: bytes) -> bool:
    """Create ``path`` with ``content`` unless it exists; True when this call wrote it."""
    try:
        with path.open("xb") as handle:
            handle.write(content)
    except FileExistsError:
        return False
    return True


class KeyedFileEmailBackend(BaseEmailBackend):
    """``EMAIL_URL=file:/dir``: one ``.eml`` per message key, so a repeat is recognised.

    Emails without a key (a sign-in link, say) get a fresh name each.
    """

    def __init__(self, file_path: str | None = None, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.directory = Path(str(file_path or getattr(settings, "EMAIL_FILE_PATH", "var/mail")))

    def send_messages(self, email_messages: list[EmailMessage]) -> int:  # type: ignore[override]
        self.directory.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            key = message.extra_headers.get(KEY_HEADER) or uuid.uuid4().hex
            write_once(self.directory / f"{key}.eml", message.message().as_bytes())
        return len(email_messages)
