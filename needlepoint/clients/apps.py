from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "needlepoint.clients"
    label = "clients"
