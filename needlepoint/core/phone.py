"""Phone numbers as Needlepoint keeps them: E.164, for clients and locations alike."""

from __future__ import annotations

import phonenumbers
from django.conf import settings
from django.utils.translation import gettext as _

from needlepoint.core.errors import DomainError

E164_LONGEST = len("+") + 15  # ITU-T E.164: at most 15 digits


def normalise_phone(raw: str, region: str | None = None) -> str:
    """A phone number in E.164 (+447700900123); empty stays empty; nonsense is refused."""
    if not raw.strip():
        return ""
    try:
        number = phonenumbers.parse(raw, region or settings.PHONE_REGION)
    except phonenumbers.NumberParseException as error:
        raise DomainError(
            "invalid_phone", _("%(raw)r is not a phone number.") % {"raw": raw}, field="phone"
        ) from error
    if not phonenumbers.is_valid_number(number):
        raise DomainError(
            "invalid_phone", _("%(raw)r is not a valid phone number.") % {"raw": raw}, field="phone"
        )
    formatted = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if len(formatted) > E164_LONGEST:  # some national plans allow more; no text gets through
        message = _("%(raw)r is longer than an international number can be.") % {"raw": raw}
        raise DomainError("invalid_phone", message, field="phone")
    return formatted
