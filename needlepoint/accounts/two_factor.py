"""Time-based one-time codes (TOTP, django-otp) as the second factor for staff who need one,
and single-use backup codes (django-otp's static tokens) for when the phone is lost."""

from __future__ import annotations

import hashlib
import secrets
from base64 import b32encode
from typing import Any

import segno
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from needlepoint.audit import log as audit
from needlepoint.audit.choices import Action, Target
from needlepoint.clinics.choices import Role

SECOND_FACTOR_ROLES = {Role.OWNER, Role.MANAGER, Role.PRACTITIONER}
BACKUP_CODES = 10
BACKUP_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no l, o, 0 or 1 to misread


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


def authenticator_confirm(device: TOTPDevice, code: str) -> bool:
    """Set up the authenticator being enrolled if ``code`` is its current code."""
    if device.confirmed or not device.verify_token(code):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit.record(Action.CHANGED, Target.ACCOUNT, device.user_id, detail={"authenticator": "set up"})
    return True


def has_authenticator(user: Any) -> bool:
    """An authenticator app is set up (backup codes alone don't count: they stand in for it)."""
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def confirmed_device(user: Any, code: str) -> TOTPDevice | None:
    """The user's confirmed authenticator if ``code`` is its current code."""
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(code):
            return device
    return None


def qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an inline SVG QR code for authenticator apps."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=4, title=_("Authenticator QR code")
    )


def manual_key(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app by hand."""
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def _digest(code: str) -> str:
    """What is stored for a code: its SHA-256, cut to the 16 characters the plugin's
    column holds. The plugin itself would keep the code as given."""
    typed = "".join(code.lower().split()).replace("-", "")
    return hashlib.sha256(typed.encode()).hexdigest()[:16]


@transaction.atomic
def backup_codes_make(user: Any) -> list[str]:
    """Ten new single-use codes for ``user``, replacing any they had; only digests are kept."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": "Backup codes", "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [
        "-".join("".join(secrets.choice(BACKUP_ALPHABET) for _ in range(4)) for _ in range(3))
        for _ in range(BACKUP_CODES)
    ]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=_digest(c)) for c in codes)
    return codes


def backup_codes_left(user: Any) -> int:
    return int(StaticToken.objects.filter(device__user=user, device__confirmed=True).count())


def backup_code_device(user: Any, code: str) -> StaticDevice | None:
    """The user's backup codes if ``code`` is one not yet used; using it uses it up."""
    for device in StaticDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(_digest(code)):
            return device
    return None
