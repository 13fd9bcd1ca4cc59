from django.urls import path

from needlepoint.api import views

app_name = "api"

urlpatterns = [
    path("api-tokens/", views.tokens, name="tokens"),
]
