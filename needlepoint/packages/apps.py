from django.apps import AppConfig


class PackagesConfig(AppConfig):
    name = "needlepoint.packages"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from needlepoint.packages import receivers  # noqa: F401  (connect the receivers)
