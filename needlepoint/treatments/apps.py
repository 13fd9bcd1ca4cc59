from django.apps import AppConfig


class TreatmentsConfig(AppConfig):
    name = "needlepoint.treatments"
    label = "treatments"
