from django.urls import path

from needlepoint.packages import views

app_name = "packages"

urlpatterns = [
    path("clients/<uuid:client_id>/packages/sell/", views.sell, name="sell"),
    path("packages/<uuid:public_id>/", views.detail, name="detail"),
    path("packages/<uuid:public_id>/transfer/", views.transfer, name="transfer"),
    path("packages/<uuid:public_id>/credit/", views.credit, name="credit"),
    path("packages/<uuid:public_id>/refund/", views.refund, name="refund"),
    path("packages/<uuid:public_id>/void/", views.void, name="void"),
    path("reports/packages/", views.report, name="report"),
    path("reports/packages.csv", views.report_csv, name="report_csv"),
]
