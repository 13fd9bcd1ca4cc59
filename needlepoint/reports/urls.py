from django.urls import path

from needlepoint.reports import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.index, name="index"),
    path("reports/utilisation/", views.utilisation, name="utilisation"),
    path("reports/utilisation.csv", views.utilisation_csv, name="utilisation_csv"),
    path("reports/bookings/", views.bookings, name="bookings"),
    path("reports/bookings.csv", views.bookings_csv, name="bookings_csv"),
    path("reports/courses/", views.courses, name="courses"),
    path("reports/courses.csv", views.courses_csv, name="courses_csv"),
    path("reports/outcomes/", views.outcomes, name="outcomes"),
    path("reports/outcomes.csv", views.outcomes_csv, name="outcomes_csv"),
    path("reports/money/", views.money, name="money"),
    path("reports/money/<slug:section>.csv", views.money_csv, name="money_csv"),
    path("reports/lots/", views.lots, name="lots"),
    path("reports/lots.csv", views.lots_csv, name="lots_csv"),
]
