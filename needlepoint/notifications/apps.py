from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "needlepoint.notifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from needlepoint.notifications import receivers  # noqa: F401  (connects the receivers)
