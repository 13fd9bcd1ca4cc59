"""Every write to the clinic's set-up goes through these functions."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from needlepoint.clinics.choices import Role
from needlepoint.clinics.models import Organisation, StaffMember
from needlepoint.clinics.setup import location_create
from needlepoint.core.errors import DomainError

User = get_user_model()  # accounts sits above clinics: the model is named, not imported


@transaction.atomic
def organisation_create_with_owner(
    *,
    organisation_name: str,
    owner_email: str,
    owner_name: str,
    password: str,
    location_name: str | None = None,
    time_zone: str = "Europe/London",
) -> StaffMember:
    """Start a new clinic: the organisation, its owner's account and maybe a first location."""
    slug = slugify(organisation_name)
    if not slug:
        raise DomainError(
            "invalid_name", _("The organisation needs a name with letters or digits.")
        )
    if Organisation.objects.filter(slug=slug).exists():
        raise DomainError(
            "organisation_exists",
            _("An organisation called %(name)s already exists.")
            % {"name": repr(organisation_name)},
        )
    if User.objects.filter(email__iexact=owner_email).exists():
        raise DomainError(
            "email_taken", _("%(email)s already has an account.") % {"email": owner_email}
        )
    user = User(email=owner_email.lower(), full_name=owner_name)
    try:
        validate_password(password, user)
        user.set_password(password)
        user.full_clean()
    except ValidationError as error:
        raise DomainError("invalid_owner", " ".join(error.messages)) from error
    user.save()
    organisation = Organisation.objects.create(name=organisation_name, slug=slug)
    owner = StaffMember.objects.create(user=user, organisation=organisation, role=Role.OWNER)
    if location_name:  # open the usual week, as a location made in Settings is
        location = location_create(
            organisation=organisation, name=location_name, time_zone=time_zone
        )
        owner.locations.add(location)
    return owner
