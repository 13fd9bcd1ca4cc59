from django.urls import path

from needlepoint.setup import views

app_name = "settings"

urlpatterns = [
    path("", views.home, name="home"),
]
