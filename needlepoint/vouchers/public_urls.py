from django.urls import path

from needlepoint.vouchers import public_views

app_name = "vouchers_public"

urlpatterns = [
    path("c/<slug:org>/<slug:loc>/gift-voucher/", public_views.buy, name="buy"),
    path("c/<slug:org>/<slug:loc>/gift-voucher/card/", public_views.card, name="card"),
    path("c/<slug:org>/<slug:loc>/gift-voucher/thanks/", public_views.thanks, name="thanks"),
    path("v/<slug:org>/balance/", public_views.check, name="check"),
]
