"""Each clinic's Stripe secrets, encrypted at rest (Fernet: AES with an HMAC).

The encryption key is derived from NEEDLEPOINT_KEYS_SECRET (SECRET_KEY when unset); a
database copy alone does not give away a clinic's keys.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def _fernet() -> Fernet:
    digest = hashlib.sha256(
        f"needlepoint-keys:{settings.NEEDLEPOINT_KEYS_SECRET}".encode()
    ).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode() if secret else ""


def unseal(sealed: str) -> str:
    """The secret, or "" when there is none or it was sealed under another key."""
    if not sealed:
        return ""
    try:
        return _fernet().decrypt(sealed.encode()).decode()
    except InvalidToken:
        return ""
