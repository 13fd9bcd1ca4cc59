from django.db import models


class Scope(models.TextChoices):
    """What a token may do, on top of what its user's role allows."""

    READ = (
        "read",
        (
            "Read locations, services, times, bookings, clients and screenings; invoices and "
            "payments (owners and managers)"
        ),
    )
    BOOK = "book", "Book, move and cancel; add clients, their contact details and medical history"
    CHART = "chart", "Read treatment sessions and outcomes (clinical roles only)"
