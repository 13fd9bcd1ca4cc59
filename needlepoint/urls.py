from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Needlepoint administration"
admin.site.site_title = "Needlepoint"

urlpatterns = [
    path("", include("needlepoint.core.urls")),
    path("accounts/", include("needlepoint.accounts.urls")),
    path("clients/", include("needlepoint.clients.urls")),
    path("", include("needlepoint.scheduling.urls")),
    path("", include("needlepoint.treatments.urls")),
    path("", include("needlepoint.notifications.urls")),
    path("", include("needlepoint.public.urls")),
    path("", include("needlepoint.audit.urls")),
    path("admin/", admin.site.urls),
]
