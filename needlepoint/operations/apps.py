from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running an installation: backup, restore, the doctor, the health check."""

    name = "needlepoint.operations"
    label = "operations"
    verbose_name = "Operations"
