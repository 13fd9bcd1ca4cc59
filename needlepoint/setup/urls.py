from django.urls import path

from needlepoint.setup import catalogue_views, equipment_views, views

app_name = "settings"

urlpatterns = [
    path("", views.home, name="home"),
    # Equipment and the service catalogue
    path("needles/", equipment_views.needles, name="needles"),
    path("needles/new/", equipment_views.needle_new, name="needle_new"),
    path("needles/<int:pk>/", equipment_views.needle_edit, name="needle_edit"),
    path("devices/", equipment_views.devices, name="devices"),
    path("devices/new/", equipment_views.device_new, name="device_new"),
    path("devices/<int:pk>/", equipment_views.device_edit, name="device_edit"),
    path("cartridges/", equipment_views.cartridges, name="cartridges"),
    path("cartridges/new/", equipment_views.cartridge_new, name="cartridge_new"),
    path("services/", catalogue_views.services, name="services"),
    path("services/new/", catalogue_views.service_new, name="service_new"),
    path("services/<uuid:public_id>/", catalogue_views.service_edit, name="service_edit"),
    path(
        "services/<uuid:public_id>/offered/",
        catalogue_views.service_offered,
        name="service_offered",
    ),
]
