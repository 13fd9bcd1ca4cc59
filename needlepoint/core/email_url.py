"""Turn ``EMAIL_URL`` into Django's email settings.

Schemes: ``console:``, ``file:/path/to/dir``, ``memory:``, ``smtp://user:pass@host:port``
(STARTTLS with ``smtp+tls://``, implicit TLS with ``smtps://``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "needlepoint.notifications.channels.KeyedFileEmailBackend",
    "memory": "django.core.mail.backends.locmem.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtp+tls": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
}


def parse_email_url(url: str) -> dict[str, Any]:
    parts = urlsplit(url)
    if parts.scheme not in BACKENDS:
        raise ImproperlyConfigured(
            f"EMAIL_URL scheme {parts.scheme!r} is not one of {', '.join(sorted(BACKENDS))}."
        )
    settings: dict[str, Any] = {"EMAIL_BACKEND": BACKENDS[parts.scheme]}
    if parts.scheme == "file":
        if not parts.path:
            raise ImproperlyConfigured("EMAIL_URL file: needs a directory, e.g. file:/var/mail.")
        settings["EMAIL_FILE_PATH"] = unquote(parts.path)
    elif parts.scheme.startswith("smtp"):
        if not parts.hostname:
            raise ImproperlyConfigured("EMAIL_URL smtp needs a host, e.g. smtp://mail:25.")
        settings.update(
            EMAIL_HOST=parts.hostname,
            EMAIL_PORT=parts.port or (465 if parts.scheme == "smtps" else 587),
            EMAIL_HOST_USER=unquote(parts.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
            EMAIL_USE_TLS=parts.scheme == "smtp+tls",
            EMAIL_USE_SSL=parts.scheme == "smtps",
        )
    return settings
