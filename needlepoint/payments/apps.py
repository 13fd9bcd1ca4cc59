from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "needlepoint.payments"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from needlepoint.payments import (  # noqa: F401  (connect the receivers, word the emails)
            charges,
            emails,
            receivers,
        )
