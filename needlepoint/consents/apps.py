from django.apps import AppConfig


class ConsentsConfig(AppConfig):
    name = "needlepoint.consents"
    label = "consents"
    verbose_name = "Consent forms"
