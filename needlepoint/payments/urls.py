from django.urls import path

from needlepoint.payments import stripe_views

app_name = "payments"

urlpatterns = [
    path(
        "stripe/<slug:organisation>/webhook/",
        stripe_views.stripe_webhook,
        name="stripe_webhook",
    ),
]
