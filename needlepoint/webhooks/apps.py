from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "needlepoint.webhooks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from needlepoint.webhooks import receivers  # noqa: F401  (connects the receivers)
