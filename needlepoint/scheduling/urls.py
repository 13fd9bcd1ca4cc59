from django.urls import path

from needlepoint.scheduling import views

app_name = "scheduling"

urlpatterns = [
    path("calendar/", views.calendar_home, name="calendar"),
    path("calendar/<slug:slug>/book/", views.booking_new, name="book"),
    path("calendar/<slug:slug>/week/<str:day>/", views.week, name="week"),
    path("calendar/<slug:slug>/<str:day>/", views.day, name="day"),
    path("bookings/<uuid:public_id>/", views.booking_detail, name="booking"),
    path("bookings/<uuid:public_id>/move/", views.booking_move, name="booking_move"),
    path("bookings/<uuid:public_id>/<slug:action>/", views.booking_action, name="booking_action"),
    path("clients/<uuid:client_id>/course/", views.course_new, name="course_new"),
    path("waitlist/", views.waitlist, name="waitlist"),
    path("waitlist/offers/<int:offer_id>/accept/", views.offer_accept, name="offer_accept"),
]
