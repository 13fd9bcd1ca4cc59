from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "needlepoint.scheduling"
    label = "scheduling"
