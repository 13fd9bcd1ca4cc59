from django.urls import path

from needlepoint.payments import views

app_name = "money"

urlpatterns = [
    path("bookings/<uuid:public_id>/invoice/", views.booking_invoice, name="booking_invoice"),
    path("bookings/<uuid:public_id>/fee/charge/", views.fee_charge, name="fee_charge"),
    path("bookings/<uuid:public_id>/fee/waive/", views.fee_waive, name="fee_waive"),
    path(
        "bookings/<uuid:public_id>/clinical-release/",
        views.clinical_release,
        name="clinical_release",
    ),
    path("invoices/<uuid:public_id>/", views.invoice, name="invoice"),
    path("invoices/<uuid:public_id>/pdf/", views.invoice_pdf, name="invoice_pdf"),
    path("invoices/<uuid:public_id>/email/", views.invoice_email, name="invoice_email"),
    path("invoices/<uuid:public_id>/lines/", views.invoice_line, name="invoice_line"),
    path(
        "invoices/<uuid:public_id>/lines/<int:line_id>/remove/",
        views.invoice_line_remove,
        name="invoice_line_remove",
    ),
    path("invoices/<uuid:public_id>/issue/", views.invoice_issue, name="invoice_issue"),
    path("invoices/<uuid:public_id>/payments/", views.payment_take, name="payment_take"),
    path("invoices/<uuid:public_id>/credit-note/", views.credit_note, name="credit_note"),
    path("invoices/<uuid:public_id>/instalments/", views.instalments, name="instalments"),
    path(
        "invoices/<uuid:public_id>/charges/<int:charge_id>/cancel/",
        views.charge_cancel,
        name="charge_cancel",
    ),
    path("payments/<uuid:public_id>/refund/", views.refund, name="refund"),
    path("cash-up/", views.cash_ups, name="cash_ups"),
    path("cash-up/<slug:slug>/<str:day>/", views.cash_up, name="cash_up"),
    path("cash-up/<slug:slug>/<str:day>/close/", views.cash_up_close, name="cash_up_close"),
]
