from django.urls import path

from needlepoint.notifications import views

app_name = "notifications"

urlpatterns = [
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/<int:message_id>/resend/", views.outbox_resend, name="resend"),
    path("newsletter/", views.newsletter, name="newsletter"),
    path("newsletter/<int:campaign_id>/", views.campaign, name="campaign"),
    path("messages/wording/", views.wordings, name="wordings"),
    path("messages/wording/<slug:kind>/<slug:channel>/", views.wording, name="wording"),
    path("calendar-feed/", views.calendar_feed_settings, name="feed_settings"),
    path("feeds/<str:token>.ics", views.calendar_feed, name="feed"),
]
