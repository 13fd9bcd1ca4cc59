from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "needlepoint.public"
    label = "public"
    verbose_name = "Client-facing pages"

    def ready(self) -> None:
        from needlepoint.core import translations
        from needlepoint.public.kiosk_messages import kiosk_messages

        translations.EXTRA_SOURCES["public"] = kiosk_messages
