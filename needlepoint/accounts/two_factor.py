"""Time-based one-time codes (TOTP, django-otp) as the second factor for staff who need one."""

from __future__ import annotations

from base64 import b32encode
from typing import Any

import segno
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from needlepoint.clinics.choices import Role

SECOND_FACTOR_ROLES = {Role.OWNER, Role.MANAGER, Role.PRACTITIONER}


def needs_second_factor(user: Any) -> bool:
    """Signed in with a password only, in a role that must also give a code."""
    if not user.is_authenticated or user.is_verified():
        return False
    if user.is_superuser:
        return True
    staff = getattr(user, "staff", None)
    return staff is not None and staff.role in SECOND_FACTOR_ROLES


def enrolling_device(user: Any) -> TOTPDevice:
    """The user's authenticator being set up: kept unconfirmed until a code proves it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def has_authenticator(user: Any) -> bool:
    return bool(user_has_device(user, confirmed=True))


def confirmed_device(user: Any, code: str) -> TOTPDevice | None:
    """The user's confirmed authenticator if ``code`` is its current code."""
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(code):
            return device
    return None


def qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an inline SVG QR code for authenticator apps."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=4, title="Authenticator QR code"
    )


def manual_key(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app by hand."""
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))
