from django.urls import path

from needlepoint.setup import team_views, views

app_name = "settings"

TEAM_MEMBER = "team/<uuid:public_id>/"
SHIFTS = f"{TEAM_MEMBER}shifts/<slug:location>/"

urlpatterns = [
    path("", views.home, name="home"),
    path("team/", team_views.team, name="team"),
    path("team/invite/", team_views.team_invite, name="team_invite"),
    path(TEAM_MEMBER, team_views.team_member, name="team_member"),
    path(f"{TEAM_MEMBER}active/", team_views.team_active, name="team_active"),
    path(f"{TEAM_MEMBER}invite-again/", team_views.team_invite_again, name="team_invite_again"),
    path(f"{TEAM_MEMBER}time-off/", team_views.team_time_off, name="team_time_off"),
    path(SHIFTS, team_views.team_shifts, name="team_shifts"),
    path(f"{SHIFTS}days/", team_views.team_days, name="team_days"),
]
