from django.urls import path

from needlepoint.public import kiosk_views

app_name = "kiosk"

# Every page of a handed-over tablet starts with its booking's /kiosk/<id>/: the lock
# (public/kiosk.py) lets that browser reach nothing else. Once its staff session has
# lapsed, only "release" (staff signing in again) is reached.
urlpatterns = [
    path("staff-sign-in/", kiosk_views.release, name="release"),
    path("<uuid:public_id>/", kiosk_views.home, name="home"),
    path("<uuid:public_id>/start/", kiosk_views.start, name="start"),
    path("<uuid:public_id>/health/", kiosk_views.history, name="history"),
    path("<uuid:public_id>/health/answered/", kiosk_views.outcome, name="outcome"),
    path("<uuid:public_id>/consent/<uuid:version_id>/", kiosk_views.consent, name="consent"),
    path("<uuid:public_id>/thank-you/", kiosk_views.done, name="done"),
    path("<uuid:public_id>/staff/", kiosk_views.leave, name="exit"),
]
