from django.urls import path

from needlepoint.vouchers import views

app_name = "vouchers"

urlpatterns = [
    path("money/vouchers/", views.voucher_list, name="list"),
    path("money/vouchers/sell/", views.sell, name="sell"),
    path("money/vouchers/<uuid:public_id>/", views.detail, name="detail"),
    path("money/vouchers/<uuid:public_id>/pdf/", views.voucher_pdf, name="pdf"),
    path("money/vouchers/<uuid:public_id>/email/", views.email, name="email"),
    path("money/vouchers/<uuid:public_id>/cancel/", views.cancel, name="cancel"),
    path("settings/gift-vouchers/", views.validity, name="settings"),
    path("reports/vouchers/", views.report, name="report"),
    path("reports/vouchers/csv/", views.report_csv, name="report_csv"),
]
