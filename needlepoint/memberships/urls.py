from django.urls import path

from needlepoint.memberships import views

app_name = "memberships"

urlpatterns = [
    path("memberships/<uuid:public_id>/", views.detail, name="detail"),
    path("memberships/<uuid:public_id>/cancel/", views.cancel, name="cancel"),
    path("memberships/<uuid:public_id>/end-now/", views.end_now, name="end_now"),
    path("memberships/join/<uuid:client_id>/", views.sign_up, name="sign_up"),
    path("reports/memberships/", views.report, name="report"),
    path("reports/memberships.csv", views.report_csv, name="report_csv"),
    path("c/<slug:org>/<slug:loc>/memberships/", views.public_plans, name="public_plans"),
    path("my/<slug:org>/memberships/<uuid:plan_id>/", views.join, name="join"),
]
