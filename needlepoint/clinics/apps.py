from django.apps import AppConfig


class ClinicsConfig(AppConfig):
    name = "needlepoint.clinics"
    label = "clinics"

    def ready(self) -> None:
        # The clinical rules file's human texts (names, questions, explanations) are the
        # `clinical` package's messages: English in rules.toml, translated in its catalogue.
        from needlepoint.clinics.clinical_wording import rules_messages
        from needlepoint.core.translations import EXTRA_SOURCES

        EXTRA_SOURCES["clinical"] = rules_messages
