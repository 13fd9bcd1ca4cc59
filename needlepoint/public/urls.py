from django.urls import path

from needlepoint.public import (
    consent_views,
    language_views,
    newsletter_views,
    portal_views,
    views,
)

app_name = "public"

urlpatterns = [
    path("c/<slug:org>/<slug:loc>/", views.location_page, name="location"),
    path("c/<slug:org>/<slug:loc>/widget.js", views.widget, name="widget"),
    path("c/<slug:org>/<slug:loc>/book/", views.choose_service, name="services"),
    path("c/<slug:org>/<slug:loc>/book/<uuid:service_id>/", views.times, name="times"),
    path("c/<slug:org>/<slug:loc>/book/details/", views.details, name="details"),
    path("c/<slug:org>/<slug:loc>/book/verify/", views.verify, name="verify"),
    path("c/<slug:org>/<slug:loc>/book/health/", views.health, name="health"),
    path("c/<slug:org>/<slug:loc>/book/outcome/", views.outcome, name="outcome"),
    path("c/<slug:org>/<slug:loc>/book/card/", views.card, name="card"),
    path("c/<slug:org>/<slug:loc>/newsletter/", newsletter_views.sign_up, name="newsletter"),
    path("n/confirm/<str:token>/", newsletter_views.confirm, name="newsletter_confirm"),
    path("n/unsubscribe/<str:token>/", newsletter_views.unsubscribe, name="newsletter_unsubscribe"),
    path("my/<slug:org>/", portal_views.home, name="portal"),
    path("my/<slug:org>/sign-in/", portal_views.sign_in, name="portal_sign_in"),
    path("my/<slug:org>/sign-in/<str:token>/", portal_views.use_link, name="portal_link"),
    path("my/<slug:org>/sign-out/", portal_views.sign_out, name="portal_sign_out"),
    path("my/<slug:org>/health/", portal_views.health, name="portal_health"),
    path("my/<slug:org>/newsletter/", portal_views.newsletter, name="portal_newsletter"),
    path("my/<slug:org>/language/", language_views.portal_language, name="portal_language"),
    path("my/<slug:org>/messages/", portal_views.message_channel, name="portal_messages"),
    path("my/<slug:org>/my-data.json", portal_views.data, name="portal_data"),
    path("b/<str:token>/", views.booking_page, name="booking"),
    path("b/<str:token>/move/", views.booking_move, name="booking_move"),
    path("b/<str:token>/cancel/", views.booking_cancel_view, name="booking_cancel"),
    path("b/<str:token>/appointment.ics", views.booking_ics, name="booking_ics"),
    path("b/<str:token>/consent/<uuid:version_id>/", consent_views.sign, name="consent_sign"),
    path(
        "b/<str:token>/consent/signed/<uuid:signed_id>.pdf", consent_views.pdf, name="consent_pdf"
    ),
    path("cancelled/<uuid:location>/", views.booking_cancelled, name="booking_cancelled"),
    path("language/", language_views.choose_language, name="language"),
]
