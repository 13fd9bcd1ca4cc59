from django.apps import AppConfig


class MembershipsConfig(AppConfig):
    name = "needlepoint.memberships"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from needlepoint.memberships import (  # noqa: F401  (connect the receivers, word the emails)
            emails,
            receivers,
        )
