from django.urls import path

from needlepoint.treatments import views

app_name = "treatments"

urlpatterns = [
    path("sessions/start/<uuid:booking_id>/", views.session_open, name="open"),
    path("sessions/<uuid:public_id>/", views.chart, name="chart"),
    path("sessions/<uuid:public_id>/depth-check/", views.depth_check, name="depth_check"),
    path("sessions/<uuid:public_id>/summary.pdf", views.session_pdf, name="session_pdf"),
    path("sessions/<uuid:public_id>/<slug:action>/", views.chart_action, name="action"),
    path("photos/<uuid:public_id>/<slug:size>.jpg", views.photo_file, name="photo"),
    path("clients/<uuid:client_id>/photos/compare/", views.compare, name="compare"),
    path(
        "clients/<uuid:client_id>/courses/<str:indication>/summary.pdf",
        views.course_pdf,
        name="course_pdf",
    ),
    path("clients/<uuid:client_id>/adverse-events/", views.adverse_event_new, name="adverse_event"),
    path(
        "adverse-events/<int:event_id>/resolve/",
        views.adverse_event_close,
        name="adverse_event_resolve",
    ),
]
