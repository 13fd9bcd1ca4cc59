from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "needlepoint.public"
    label = "public"
    verbose_name = "Client-facing pages"
