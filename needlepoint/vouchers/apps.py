from django.apps import AppConfig


class VouchersConfig(AppConfig):
    name = "needlepoint.vouchers"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from needlepoint.vouchers import emails  # noqa: F401  (word the voucher's email)
