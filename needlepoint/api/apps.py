from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "needlepoint.api"
    label = "api"
    verbose_name = "API"
