"""The clinic's team: inviting someone, changing their role and locations, switching them
off and on. Every change is held to the rule of accounts/roles.py first.

An invited person gets a sign-in account with no usable password and an email with a
link to choose one: Django's password-reset token, opened on the password-reset page,
sent straight away as the password-reset email is (not through the outbox, which is for
clients' messages). The service lives here, above clinics, because it writes the account
as well as the staff member and needs the rule of roles.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from needlepoint.accounts.models import User
from needlepoint.accounts.roles import staff_change_check
from needlepoint.audit import log as audit
from needlepoint.audit.choices import Action, Target
from needlepoint.clinics.choices import Role
from needlepoint.clinics.models import Location, Organisation, StaffMember
from needlepoint.core import languages
from needlepoint.core.errors import DomainError, checked
from needlepoint.core.languages import in_language_of


@transaction.atomic
def staff_invite(
    *,
    by: User,
    organisation: Organisation,
    full_name: str,
    email: str,
    role: str,
    locations: Iterable[Location],
    site_url: str,
    language: str | None = None,
) -> StaffMember:
    """Add a person to the team and email them a link to choose their password, in
    `language` (default: the clinic's)."""
    _known_role(role)
    staff_change_check(by, organisation=organisation, role=role)
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise DomainError(
            "email_taken",
            _("%(email)s already has an account: nobody else can be invited with it.")
            % {"email": email},
            field="email",
        )
    places = _own_locations(organisation, locations)
    user = User(email=email, full_name=full_name.strip())
    user.set_unusable_password()
    checked(user, exclude=["password"])
    user.save()
    member = StaffMember(
        user=user,
        organisation=organisation,
        role=role,
        language=languages.supported(language) or organisation.default_language,
    )
    checked(member)
    member.save()
    member.locations.set(places)
    audit.record(
        Action.CREATED,
        Target.STAFF,
        member.public_id,
        organisation_id=organisation.pk,
        detail={"role": role, "locations": sorted(place.name for place in places)},
    )
    # Sent once the change is saved: a refused form rolls back and emails nobody.
    transaction.on_commit(partial(_send_invitation, member, site_url))
    return member


@transaction.atomic
def staff_invite_again(*, by: User, member: StaffMember, site_url: str) -> None:
    """A fresh link for someone who has not chosen a password yet (a link lasts an hour)."""
    staff_change_check(by, organisation=member.organisation, member=member)
    if member.user.has_usable_password():
        raise DomainError(
            "already_joined",
            _("%(name)s has chosen a password already: they can reset it from the sign-in page.")
            % {"name": member.user},
        )
    audit.record(
        Action.CHANGED,
        Target.STAFF,
        member.public_id,
        organisation_id=member.organisation_id,
        detail={"invitation": "sent again"},
    )
    # Sent once the change is saved: a refused form rolls back and emails nobody.
    transaction.on_commit(partial(_send_invitation, member, site_url))


@transaction.atomic
def staff_change(
    *, by: User, member: StaffMember, role: str, locations: Iterable[Location]
) -> StaffMember:
    """A team member's role and the locations they work at."""
    _known_role(role)
    staff_change_check(by, organisation=member.organisation, member=member, role=role)
    places = _own_locations(member.organisation, locations)
    before = {"role": member.role, "locations": _names(member.locations.all())}
    member.role = role
    checked(member)
    member.save(update_fields=["role"])
    member.locations.set(places)
    after = {"role": role, "locations": _names(places)}
    changed = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    if changed:
        audit.record(
            Action.CHANGED,
            Target.STAFF,
            member.public_id,
            organisation_id=member.organisation_id,
            detail=changed,
        )
    return member


@transaction.atomic
def staff_set_language(*, by: User, member: StaffMember, language: str) -> StaffMember:
    """The language a staff member's pages and messages are in: their own choice, or one
    made for them by whoever may change them (the team page)."""
    if by.pk != member.user_id:
        staff_change_check(by, organisation=member.organisation, member=member)
    chosen = languages.supported(language)
    if chosen is None:
        message = _("%(code)s is not a language we offer; choose from: %(known)s.") % {
            "code": repr(str(language)[:20]),
            "known": ", ".join(languages.name(code) for code in languages.codes()),
        }
        raise DomainError("invalid_language", message, field="language")
    if chosen != member.language:
        before, member.language = member.language, chosen
        checked(member)
        member.save(update_fields=["language"])
        audit.record(
            Action.CHANGED,
            Target.STAFF,
            member.public_id,
            organisation_id=member.organisation_id,
            detail={"language": [before, chosen]},
        )
    return member


@transaction.atomic
def staff_set_active(*, by: User, member: StaffMember, active: bool) -> StaffMember:
    """Switch a team member off (they can't sign in) or back on; nobody switches themselves off."""
    if not active and member.user_id == by.pk:
        raise DomainError(
            "yourself",
            _("Nobody deactivates themselves: ask another owner or manager."),
            field="is_active",
        )
    staff_change_check(by, organisation=member.organisation, member=member, is_active=active)
    if member.is_active == active and member.user.is_active == active:
        return member
    member.is_active = active
    member.save(update_fields=["is_active"])
    member.user.is_active = active
    member.user.save(update_fields=["is_active"])
    audit.record(
        Action.CHANGED,
        Target.STAFF,
        member.public_id,
        organisation_id=member.organisation_id,
        detail={"active": active},
    )
    return member


def has_joined(member: StaffMember) -> bool:
    """Whether the person has chosen a password since they were invited."""
    return member.user.has_usable_password()


@in_language_of(lambda member, site_url: member.language)
def _send_invitation(member: StaffMember, site_url: str) -> None:
    user = member.user
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {
        "name": user.get_short_name(),
        "organisation": member.organisation.name,
        "role": member.get_role_display(),
        "email": user.email,
        "link": f"{site_url.rstrip('/')}{path}",
    }
    subject = _("You're invited to %(organisation)s on Needlepoint") % context
    body = render_to_string("accounts/invitation_email.txt", context)
    EmailMultiAlternatives(subject, body, to=[user.email]).send()


def _known_role(role: str) -> None:
    if role not in Role.values:
        raise DomainError("unknown_role", _("Choose one of the roles offered."), field="role")


def _own_locations(organisation: Organisation, locations: Iterable[Location]) -> list[Location]:
    places = list(locations)
    if any(place.organisation_id != organisation.pk for place in places):
        raise DomainError(
            "other_location",
            _("Choose locations of %(organisation)s.") % {"organisation": organisation.name},
            field="locations",
        )
    return places


def _names(places: Iterable[Location]) -> list[str]:
    return sorted(place.name for place in places)
