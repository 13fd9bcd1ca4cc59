from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """Moving a clinic in and out: CSV import of clients and appointments, CSV exports."""

    name = "needlepoint.imports"
    default_auto_field = "django.db.models.BigAutoField"
