"""Cartridges taken into stock by lot, and the lots on hand.

A delivery is a lot: one configuration, one lot number, one expiry, and the serials of
its cartridges. Each cartridge is a ``Cartridge`` row that the chart claims when it is
opened (``services.cartridge_use``), so the rules here are the ones charting relies on:
a lot number, the organisation's own configuration, an expiry not already past, and
serials that are new to the organisation. All of a delivery goes in, or none of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from needlepoint.audit import log as audit
from needlepoint.audit.choices import Action, Target
from needlepoint.clinics.models import NeedleConfiguration, Organisation, local_today
from needlepoint.core.errors import DomainError
from needlepoint.treatments.models import Cartridge

MOST_IN_A_DELIVERY = 500
SERIAL_LENGTH = Cartridge._meta.get_field("serial").max_length or 100
LOT_LENGTH = Cartridge._meta.get_field("lot").max_length or 100


def serials_from(text: str) -> list[str]:
    """Serials as typed or scanned: one a line, or separated by commas or spaces."""
    return [serial for serial in re.split(r"[\s,;]+", text) if serial]


@transaction.atomic
def cartridge_lot_add(
    *,
    organisation: Organisation,
    configuration: NeedleConfiguration,
    lot: str,
    expires_on: date,
    serials: list[str],
    today: date | None = None,
) -> list[Cartridge]:
    """Take a delivery of sterile cartridges into stock."""
    # The lot is for the whole organisation: the first of its locations' dates decides
    # (charting checks the expiry again on the day, in the treating location's zone).
    today = today or min(
        (local_today(place) for place in organisation.locations.all()),
        default=timezone.localdate(),
    )
    lot = lot.strip()
    if not lot:
        raise DomainError("lot_missing", _("Give the lot number on the box."), field="lot")
    if len(lot) > LOT_LENGTH:
        message = _("A lot number has at most %(most)s characters.") % {"most": LOT_LENGTH}
        raise DomainError("lot_too_long", message, field="lot")
    if configuration.organisation_id != organisation.pk:
        raise DomainError(
            "wrong_configuration",
            _("That cartridge type belongs to another clinic."),
            field="configuration",
        )
    if expires_on < today:
        raise DomainError(
            "lot_expired",
            _("This lot expired on %(day)s: it can't be used, so it isn't taken into stock.")
            % {"day": date_format(expires_on, "j F Y")},
            field="expires_on",
        )
    serials = _checked_serials(organisation, serials)
    try:
        with transaction.atomic():
            cartridges = Cartridge.objects.bulk_create(
                Cartridge(
                    organisation=organisation,
                    configuration=configuration,
                    serial=serial,
                    lot=lot,
                    expires_on=expires_on,
                )
                for serial in serials
            )
    except IntegrityError as error:  # the same serials taken in at the same moment
        message = _("One of these serials was just taken into stock: check the box again.")
        raise DomainError("serial_known", message, field="serials") from error
    audit.record(
        Action.CREATED,
        Target.CARTRIDGE,
        lot,
        organisation_id=organisation.pk,
        detail={
            "configuration": configuration.name,
            "expires_on": expires_on.isoformat(),
            "cartridges": len(serials),
        },
    )
    return cartridges


def _checked_serials(organisation: Organisation, serials: list[str]) -> list[str]:
    serials = [serial.strip() for serial in serials if serial.strip()]
    if not serials:
        raise DomainError(
            "serials_missing", _("Give the serial of each cartridge in the box."), field="serials"
        )
    if len(serials) > MOST_IN_A_DELIVERY:
        raise DomainError(
            "too_many_serials",
            _("Take in at most %(most)s cartridges at a time.") % {"most": MOST_IN_A_DELIVERY},
            field="serials",
        )
    too_long = [serial for serial in serials if len(serial) > SERIAL_LENGTH]
    if too_long:
        raise DomainError(
            "serial_too_long",
            _("A serial has at most %(most)s characters.") % {"most": SERIAL_LENGTH},
            field="serials",
        )
    repeated = sorted({serial for serial in serials if serials.count(serial) > 1})
    if repeated:
        raise DomainError(
            "serial_repeated",
            _("Each serial once: %(serials)s given twice.") % {"serials": ", ".join(repeated)},
            field="serials",
        )
    known = sorted(
        Cartridge.objects.filter(organisation=organisation, serial__in=serials).values_list(
            "serial", flat=True
        )
    )
    if known:
        raise DomainError(
            "serial_known",
            _("Already on file: %(serials)s.") % {"serials": ", ".join(known[:10])},
            field="serials",
        )
    return serials


@dataclass(frozen=True)
class Lot:
    """One lot of one configuration: how many cartridges came in and how many are left."""

    lot: str
    configuration: str
    expires_on: date
    received: int
    in_stock: int
    expired: bool


def cartridge_lots(organisation: Organisation, today: date | None = None) -> list[Lot]:
    """The organisation's lots, soonest expiry first."""
    today = today or timezone.localdate()
    rows = (
        Cartridge.objects.filter(organisation=organisation)
        .values("lot", "configuration__name")
        .annotate(
            expires_on=Min("expires_on"),
            received=Count("pk"),
            in_stock=Count("pk", filter=Q(session__isnull=True)),
        )
        .order_by("expires_on", "lot")
    )
    return [
        Lot(
            lot=row["lot"],
            configuration=row["configuration__name"],
            expires_on=row["expires_on"],
            received=row["received"],
            in_stock=row["in_stock"],
            expired=row["expires_on"] < today,
        )
        for row in rows
    ]
