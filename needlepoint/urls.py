from django.contrib import admin
from django.urls import include, path

from needlepoint.api import v1

urlpatterns = [
    path("", include("needlepoint.staff.urls")),
    path("", include("needlepoint.operations.urls")),
    path("accounts/", include("needlepoint.accounts.urls")),
    path("clients/", include("needlepoint.clients.urls")),
    path("settings/", include("needlepoint.setup.urls")),
    path("", include("needlepoint.vouchers.urls")),
    path("money/", include("needlepoint.payments.urls")),
    path("", include("needlepoint.packages.urls")),
    path("", include("needlepoint.memberships.urls")),
    path("", include("needlepoint.scheduling.urls")),
    path("", include("needlepoint.treatments.urls")),
    path("", include("needlepoint.notifications.urls")),
    path("", include("needlepoint.webhooks.urls")),
    path("payments/", include("needlepoint.payments.stripe_urls")),
    path("", include("needlepoint.public.urls")),
    path("", include("needlepoint.vouchers.public_urls")),
    path("kiosk/", include("needlepoint.public.kiosk_urls")),
    path("", include("needlepoint.audit.urls")),
    path("", include("needlepoint.imports.urls")),
    path("", include("needlepoint.reports.urls")),
    path("", include("needlepoint.api.urls")),
    path("api/v1/", v1.api.urls),
    path("admin/", admin.site.urls),
]
