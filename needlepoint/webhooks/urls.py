from django.urls import path

from needlepoint.webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("webhooks/", views.subscriptions, name="list"),
    path("webhooks/<int:subscription_id>/", views.subscription, name="detail"),
]
