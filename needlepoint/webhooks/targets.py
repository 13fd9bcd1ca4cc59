"""Where webhooks may go, and posting to them without being steered elsewhere (SSRF).

A subscriber's URL must be https (http only where ``NEEDLEPOINT_WEBHOOK_ALLOW_HTTP`` is
on, for local testing) and every address its host resolves to must be public: never
loopback, private, link-local (cloud metadata), or otherwise reserved, unless
``NEEDLEPOINT_WEBHOOK_ALLOW_PRIVATE`` is on. The check runs when the URL is saved and
again before each delivery, and the connection goes to the address that was checked
(so a DNS answer that changes in between can't redirect it). Redirects are not followed.
"""

from __future__ import annotations

import ipaddress
import socket
from http.client import HTTPConnection, HTTPSConnection
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from needlepoint.core.errors import DomainError

TIMEOUT_SECONDS = 10
EXCERPT_BYTES = 1024


def unsafe(message: str) -> DomainError:
    return DomainError("unsafe_webhook_url", message, field="url")


def checked_address(url: str) -> str:
    """The address to connect to for ``url``, after refusing what webhooks may not reach."""
    parts = urlsplit(url)
    allowed = {"https", "http"} if settings.WEBHOOK_ALLOW_HTTP else {"https"}
    if parts.scheme not in allowed:
        raise unsafe(_("The address must start with https://."))
    if not parts.hostname:
        raise unsafe(_("The address has no host name."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        found = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, ValueError) as error:
        raise unsafe(
            _("%(host)s could not be found (%(error)s).") % {"host": parts.hostname, "error": error}
        ) from error
    addresses = [str(info[4][0]) for info in found]
    if not settings.WEBHOOK_ALLOW_PRIVATE:
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%")[0])
            if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
                ip = ip.ipv4_mapped
            if not ip.is_global or ip.is_multicast:
                raise unsafe(
                    _(
                        "%(host)s resolves to %(ip)s, a private, loopback or link-local "
                        "address. Webhooks go only to addresses on the public internet."
                    )
                    % {"host": parts.hostname, "ip": ip}
                )
    return addresses[0]


def post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    """POST ``body`` to ``url``; the status code and the start of the answer's body."""
    address = checked_address(url)
    parts = urlsplit(url)
    kind = HTTPSConnection if parts.scheme == "https" else HTTPConnection
    connection = kind(parts.hostname or "", parts.port, timeout=TIMEOUT_SECONDS)

    def to_checked_address(where: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        return socket.create_connection((address, where[1]), *args, **kwargs)

    connection._create_connection = to_checked_address  # type: ignore[attr-defined]
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        excerpt = response.read(EXCERPT_BYTES).decode("utf-8", errors="replace")
        return response.status, " ".join(excerpt.split())[:300]
    finally:
        connection.close()
