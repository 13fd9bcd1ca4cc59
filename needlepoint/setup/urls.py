from django.urls import path

from needlepoint.setup import consent_views, rules_views, views

app_name = "settings"

urlpatterns = [
    path("", views.home, name="home"),
    path("consent-forms/", consent_views.consent_forms, name="consent_forms"),
    path(
        "consent-forms/start/",
        consent_views.consent_forms_start_view,
        name="consent_forms_start",
    ),
    path("consent-forms/new/", consent_views.consent_form_new, name="consent_form_new"),
    path("consent-forms/<int:pk>/", consent_views.consent_form_edit, name="consent_form_edit"),
    path(
        "consent-forms/<int:pk>/versions/<int:version>/",
        consent_views.consent_form_version,
        name="consent_form_version",
    ),
    path("clinical-rules/", rules_views.clinical_rules, name="clinical_rules"),
    path("clinical-rules/<str:key>/", rules_views.clinical_rule_edit, name="clinical_rule_edit"),
]
