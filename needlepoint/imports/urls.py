from django.urls import path

from needlepoint.imports import views

app_name = "imports"

urlpatterns = [
    path("import/", views.upload, name="upload"),
    path("import/columns/", views.mapping, name="mapping"),
    path("import/check/", views.check, name="check"),
    path("import/cancel/", views.cancel, name="cancel"),
    path("export/", views.export, name="export"),
    path("export/<slug:kind>.csv", views.export_csv, name="export_csv"),
]
