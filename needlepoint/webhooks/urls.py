from django.urls import path

from needlepoint.webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("webhooks/", views.subscriptions, name="list"),
    path("webhooks/<int:subscription_id>/", views.subscription, name="detail"),
    path("webhooks/<int:subscription_id>/edit/", views.subscription_edit, name="edit"),
    path(
        "webhooks/<int:subscription_id>/deliveries/<int:delivery_id>/",
        views.delivery,
        name="delivery",
    ),
]
