from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    """What a token may do, on top of what its user's role allows."""

    READ = (
        "read",
        _(
            "Read locations, services, times, bookings, clients and screenings; invoices and "
            "payments (owners and managers)"
        ),
    )
    BOOK = (
        "book",
        _("Book, move and cancel; add clients, their contact details and medical history"),
    )
    CHART = "chart", _("Read treatment sessions and outcomes (clinical roles only)")
