"""Voucher codes: 16 characters from an alphabet without look-alikes (no 0, 1, I or O),
drawn with ``secrets``: 32 symbols of 5 bits each, 80 bits in all, far past guessing.
Shown in groups of four, ``K7QF-2M9X-HN4T-WRCE``; typed in any case, with or without
the dashes."""

from __future__ import annotations

import secrets

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
LENGTH = 16
GROUP = 4


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(typed: str) -> str | None:
    """The code as stored, from what a person typed; None when it can't be a code at all."""
    plain = "".join(char for char in typed.upper() if char.isalnum())
    if len(plain) != LENGTH or any(char not in ALPHABET for char in plain):
        return None
    return plain


def grouped(code: str) -> str:
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))
