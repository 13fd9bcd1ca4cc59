"""Making, finding and revoking API tokens."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Collection
from datetime import timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from needlepoint.accounts.models import User
from needlepoint.api.choices import Scope
from needlepoint.api.models import ApiToken
from needlepoint.audit import log as audit
from needlepoint.audit.choices import Action, Target
from needlepoint.clinics.choices import Role
from needlepoint.clinics.models import Organisation, StaffMember
from needlepoint.core import plain_sql
from needlepoint.core.errors import DomainError
from needlepoint.core.languages import long_date

PREFIX = "np_"
SHOWN = 8
"""How many characters of the secret after ``np_`` lists show, to tell tokens apart."""
TOUCH_EVERY = timedelta(minutes=1)
"""``last_used_at`` is written at most this often, so reads don't all become writes."""
TERMS = (30, 90, 365)
"""The days a token may last, chosen when it is made; or it never expires (``None``)."""
DEFAULT_TERM = 90


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def token_create(
    *, user: User, name: str, scopes: Collection[str], days: int | None = DEFAULT_TERM
) -> tuple[ApiToken, str]:
    """A new token for ``user`` and its secret, which is never stored and never shown again.

    It expires ``days`` days from now, one of ``TERMS``; never when ``days`` is None.
    """
    staff = getattr(user, "staff", None)
    if staff is None or not staff.is_active:
        raise DomainError("not_staff", _("API tokens are for the clinic's staff."))
    unknown = set(scopes) - set(Scope.values)
    if not scopes or unknown:
        raise DomainError("invalid_scopes", _("Choose one or more of: read, book, chart."))
    if not name.strip():
        raise DomainError("invalid_name", _("Give the token a name."), field="name")
    if days is not None and days not in TERMS:
        raise DomainError(
            "invalid_expiry", _("A token lasts 30, 90 or 365 days, or never expires.")
        )
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100],
        prefix=secret[: len(PREFIX) + SHOWN],
        secret_sha256=digest(secret),
        scopes=sorted(set(scopes)),
        expires_at=timezone.now() + timedelta(days=days) if days is not None else None,
    )
    expires = token.expires_at.isoformat() if token.expires_at else None
    audit.record(
        Action.CREATED,
        Target.ACCOUNT,
        token.public_id,
        organisation_id=staff.organisation_id,
        detail={"api_token": token.name, "scopes": token.scopes, "expires_at": expires},
    )
    return token, secret


@transaction.atomic
def token_revoke(*, token: ApiToken) -> None:
    revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if revoked:
        audit.record(
            Action.CHANGED,
            Target.ACCOUNT,
            token.public_id,
            organisation_id=token.user.staff.organisation_id,
            detail={"api_token": token.name, "revoked": True},
        )


def token_for_secret(secret: str) -> ApiToken | None:
    """The live token with this secret, its user an active staff member; else None.

    A token past its expiry raises ``token_expired`` instead (answered 401), so the
    program's owner learns why, rather than guessing at a mistyped secret.
    """
    if not secret.startswith(PREFIX):
        return None
    token = _live_token(digest(secret))
    if token is None:
        return None
    now = timezone.now()
    when = token.expires_at
    if when is not None and now >= when:
        raise DomainError(
            "token_expired",
            _("This API token expired on %(day)s. Make a new one on the API tokens page.")
            % {"day": long_date(when.date())},
        )
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def _live_token(secret_sha256: str) -> ApiToken | None:
    """The unrevoked token with this digest, with its user, their staff member and
    organisation, when both user and staff member are active: one plain statement, as
    every API request makes it (the ORM took longer to write it than to run it)."""
    columns = ", ".join(
        plain_sql.columns(model, alias)
        for model, alias in ((ApiToken, "t"), (User, "u"), (StaffMember, "s"), (Organisation, "o"))
    )
    found = plain_sql.rows(
        f"SELECT {columns} FROM api_apitoken t"
        " JOIN accounts_user u ON u.id = t.user_id"
        " JOIN clinics_staffmember s ON s.user_id = u.id"
        " JOIN clinics_organisation o ON o.id = s.organisation_id"
        " WHERE t.secret_sha256 = %s AND t.revoked_at IS NULL AND u.is_active AND s.is_active",
        [secret_sha256],
    )
    if not found:
        return None
    token, user, staff, organisation = plain_sql.instances(
        found[0], ApiToken, User, StaffMember, Organisation
    )
    staff.organisation = organisation  # type: ignore[attr-defined]
    user.staff = staff  # type: ignore[attr-defined]
    token.user = user  # type: ignore[attr-defined]
    return token  # type: ignore[return-value]


def tokens_for(staff: StaffMember) -> QuerySet[ApiToken]:
    """The tokens a staff member sees: their own; an owner, the whole organisation's."""
    tokens = ApiToken.objects.select_related("user")
    if staff.role == Role.OWNER:
        return tokens.filter(user__staff__organisation_id=staff.organisation_id)
    return tokens.filter(user=staff.user)
