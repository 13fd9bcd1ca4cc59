"""Settings › Team › a member's week, days that differ and time off: saved so that online
booking offers exactly the times they work."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
import time_machine
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from needlepoint.clinics.choices import Role
from needlepoint.core.errors import DomainError
from needlepoint.scheduling.models import ShiftException, TimeOff, WorkingPeriod
from needlepoint.scheduling.queries import available_slots
from needlepoint.scheduling.shifts import (
    shift_exception_add,
    shift_exception_remove,
    time_off_add,
    time_off_remove,
    week_replace,
)
from tests import factories

NOW = datetime(2026, 11, 23, 8, tzinfo=UTC)  # a Monday morning in London (UTC+0)
TUESDAY = date(2026, 11, 24)
TUESDAY_NINE = datetime(2026, 11, 24, 9, tzinfo=UTC)


@pytest.fixture(autouse=True)
def pinned():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def newcomer(clinic):
    """A practitioner offering the clinic's treatment, with no shifts yet."""
    offered = factories.service(clinic.location)
    member = factories.staff_member(clinic.organisation, Role.PRACTITIONER, clinic.location)
    offered.practitioners.add(member)
    return member, offered


def starts_for(member, offered, day=TUESDAY):
    slots = available_slots(offered, day, day, now=NOW, practitioner=member)
    return [slot.start for slot in slots]


def test_a_saved_week_makes_its_hours_bookable_online(clinic, newcomer):
    member, offered = newcomer
    assert starts_for(member, offered) == []

    week_replace(staff=member, location=clinic.location, periods=[(1, time(9), time(12))])

    starts = starts_for(member, offered)
    assert starts[0] == TUESDAY_NINE
    assert max(starts) < datetime(2026, 11, 24, 12, tzinfo=UTC)


def test_saving_replaces_the_whole_week(clinic, newcomer):
    member, _ = newcomer
    week_replace(staff=member, location=clinic.location, periods=[(0, time(9), time(17))])
    week_replace(
        staff=member,
        location=clinic.location,
        periods=[(2, time(9), time(12)), (2, time(13), time(17))],
    )
    saved = WorkingPeriod.objects.filter(staff=member).order_by("starts")
    assert [(p.weekday, p.starts, p.ends) for p in saved] == [
        (2, time(9), time(12)),
        (2, time(13), time(17)),
    ]


def test_overlapping_periods_are_refused_naming_the_day(clinic, newcomer):
    member, _ = newcomer
    week_replace(staff=member, location=clinic.location, periods=[(0, time(9), time(17))])
    with pytest.raises(DomainError) as refused:
        week_replace(
            staff=member,
            location=clinic.location,
            periods=[(3, time(9), time(13)), (3, time(12), time(17))],
        )
    assert "Thursday" in refused.value.message
    assert list(WorkingPeriod.objects.filter(staff=member).values_list("weekday", flat=True)) == [0]


def test_a_period_overlapping_a_shift_at_another_location_is_refused(clinic, newcomer):
    member, _ = newcomer
    quay = factories.location(clinic.organisation, name="Quay Side")
    member.locations.add(quay)
    week_replace(staff=member, location=quay, periods=[(4, time(9), time(13))])
    with pytest.raises(DomainError) as refused:
        week_replace(staff=member, location=clinic.location, periods=[(4, time(12), time(18))])
    assert "Friday" in refused.value.message and "Quay Side" in refused.value.message


def test_a_period_ending_before_it_starts_is_refused(clinic, newcomer):
    member, _ = newcomer
    with pytest.raises(DomainError) as refused:
        week_replace(staff=member, location=clinic.location, periods=[(6, time(12), time(9))])
    assert "Sunday" in refused.value.message


def test_a_location_they_do_not_work_at_is_refused(clinic, other_clinic, newcomer):
    member, _ = newcomer
    with pytest.raises(DomainError):
        week_replace(staff=member, location=other_clinic.location, periods=[])


def test_a_day_off_and_time_off_take_the_hours_away(clinic, newcomer):
    member, offered = newcomer
    week_replace(staff=member, location=clinic.location, periods=[(1, time(9), time(17))])
    day_off = shift_exception_add(staff=member, location=clinic.location, on=TUESDAY)
    assert starts_for(member, offered) == []
    shift_exception_remove(exception=day_off)
    assert starts_for(member, offered)[0] == TUESDAY_NINE

    away = time_off_add(
        staff=member,
        starts_at=datetime(2026, 11, 24, 0, tzinfo=UTC),
        ends_at=datetime(2026, 11, 24, 12, tzinfo=UTC),
        reason="Dentist",
    )
    assert min(starts_for(member, offered)) >= datetime(2026, 11, 24, 12, tzinfo=UTC)
    time_off_remove(time_off=away)
    assert starts_for(member, offered)[0] == TUESDAY_NINE


def test_a_day_with_other_hours_uses_only_those(clinic, newcomer):
    member, offered = newcomer
    week_replace(staff=member, location=clinic.location, periods=[(1, time(9), time(17))])
    shift_exception_add(
        staff=member, location=clinic.location, on=TUESDAY, starts=time(14), ends=time(17)
    )
    assert min(starts_for(member, offered)) == datetime(2026, 11, 24, 14, tzinfo=UTC)
    with pytest.raises(DomainError):  # hours overlapping hours already given that day
        shift_exception_add(
            staff=member, location=clinic.location, on=TUESDAY, starts=time(15), ends=time(16)
        )
    with pytest.raises(DomainError):  # a day off on a day with hours
        shift_exception_add(staff=member, location=clinic.location, on=TUESDAY)
    with pytest.raises(DomainError):  # a start without an end
        shift_exception_add(staff=member, location=clinic.location, on=TUESDAY, starts=time(8))


def test_time_off_must_end_after_it_starts(clinic):
    with pytest.raises(DomainError):
        time_off_add(staff=clinic.practitioner, starts_at=TUESDAY_NINE, ends_at=TUESDAY_NINE)
    assert not TimeOff.objects.exists()


# --- the pages -------------------------------------------------------------------------------


def shifts_url(member, location):
    return reverse("settings:team_shifts", args=[member.public_id, location.slug])


def test_the_week_form_saves_a_week_with_a_split_day(clinic, newcomer):
    member, offered = newcomer
    browser = factories.signed_in(clinic.manager)
    url = shifts_url(member, clinic.location)
    assert browser.get(url).status_code == 200
    answer = browser.post(
        url,
        {"d1_starts": "09:00", "d1_ends": "12:00", "d1_starts_2": "13:00", "d1_ends_2": "17:00"},
    )
    assert answer.status_code == 302
    assert WorkingPeriod.objects.filter(staff=member, weekday=1).count() == 2
    assert starts_for(member, offered)[0] == TUESDAY_NINE
    page = browser.get(reverse("settings:team_member", args=[member.public_id])).content.decode()
    assert "9:00–12:00, 13:00–17:00" in page


def test_the_week_form_names_the_day_of_a_missing_end_and_saves_nothing(clinic, newcomer):
    member, _ = newcomer
    browser = factories.signed_in(clinic.manager)
    page = browser.post(
        shifts_url(member, clinic.location), {"d0_starts": "09:00", "d2_starts": "10:00"}
    )
    assert page.status_code == 200
    assert "Give both a start and an end on Wednesday" in page.content.decode()
    assert not WorkingPeriod.objects.filter(staff=member).exists()


def test_the_week_form_names_the_day_of_an_overlap(clinic, newcomer):
    member, _ = newcomer
    browser = factories.signed_in(clinic.manager)
    page = browser.post(
        shifts_url(member, clinic.location),
        {"d5_starts": "09:00", "d5_ends": "13:00", "d5_starts_2": "12:00", "d5_ends_2": "15:00"},
    )
    assert "Saturday: two periods overlap." in page.content.decode()


def test_days_and_time_off_are_added_and_removed_on_the_pages(clinic, newcomer):
    member, _ = newcomer
    browser = factories.signed_in(clinic.manager)
    days = reverse("settings:team_days", args=[member.public_id, clinic.location.slug])
    assert browser.post(days, {"day-on": "2026-12-24"}).status_code == 302
    day_off = ShiftException.objects.get(staff=member)
    assert "Thursday 24 December 2026" in browser.get(shifts_url(member, clinic.location)).text
    browser.post(days, {"remove": str(day_off.pk)})
    assert not ShiftException.objects.exists()

    off = reverse("settings:team_time_off", args=[member.public_id])
    form = {"off-from_day": "2026-12-01", "off-until_day": "2026-12-05", "off-reason": "Holiday"}
    assert browser.post(off, form).status_code == 302
    away = TimeOff.objects.get(staff=member)
    assert away.starts_at == datetime(2026, 12, 1, tzinfo=UTC)
    assert away.ends_at == datetime(2026, 12, 6, tzinfo=UTC)
    assert "Holiday" in browser.get(reverse("settings:team_member", args=[member.public_id])).text
    browser.post(off, {"remove": str(away.pk)})
    assert not TimeOff.objects.exists()


def test_another_organisations_shifts_are_not_found(clinic, other_clinic):
    browser = factories.signed_in(clinic.manager)
    theirs = other_clinic.practitioner
    assert browser.get(shifts_url(theirs, other_clinic.location)).status_code == 404
    far = factories.location(other_clinic.organisation, name="Far Away")
    assert browser.get(shifts_url(clinic.practitioner, far)).status_code == 404
    away = TimeOff.objects.create(staff=theirs, starts_at=TUESDAY_NINE, ends_at=NOW.replace(day=30))
    mine = reverse("settings:team_time_off", args=[clinic.practitioner.public_id])
    assert browser.post(mine, {"remove": str(away.pk)}).status_code == 404
    assert TimeOff.objects.filter(pk=away.pk).exists()


# --- hostile input --------------------------------------------------------------------------

fuzz = hypothesis_settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "09:00", "17:00", "25:00", "12:60", "\x00", "9", "99999-01-01"]),
)
WEEK_FIELDS = [
    f"d{day}_{part}{second}"
    for day in range(7)
    for part in ("starts", "ends")
    for second in ("", "_2")
]


@pytest.mark.django_db
@fuzz
@given(posted=st.dictionaries(st.sampled_from(WEEK_FIELDS), TEXT, max_size=8))
def test_any_week_form_either_saves_or_changes_nothing(clinic, posted):
    member = clinic.practitioner
    before = sorted(WorkingPeriod.objects.filter(staff=member).values_list("weekday", "starts"))
    answer = factories.signed_in(clinic.manager).post(shifts_url(member, clinic.location), posted)
    assert answer.status_code in (200, 302)
    after = sorted(WorkingPeriod.objects.filter(staff=member).values_list("weekday", "starts"))
    if answer.status_code == 200:
        assert after == before


@pytest.mark.django_db
@fuzz
@given(on=TEXT, starts=TEXT, ends=TEXT, first=TEXT, last=TEXT, reason=TEXT)
def test_any_day_or_time_off_form_either_saves_or_changes_nothing(
    clinic, on, starts, ends, first, last, reason
):
    member = clinic.practitioner
    browser = factories.signed_in(clinic.manager)
    days = reverse("settings:team_days", args=[member.public_id, clinic.location.slug])
    answer = browser.post(days, {"day-on": on, "day-starts": starts, "day-ends": ends})
    assert answer.status_code in (200, 302)
    assert ShiftException.objects.count() == (1 if answer.status_code == 302 else 0)
    off = reverse("settings:team_time_off", args=[member.public_id])
    answer = browser.post(
        off,
        {
            "off-from_day": first,
            "off-until_day": last,
            "off-from_time": starts,
            "off-reason": reason,
        },
    )
    assert answer.status_code in (200, 302)
    assert TimeOff.objects.count() == (1 if answer.status_code == 302 else 0)
    ShiftException.objects.all().delete()
    TimeOff.objects.all().delete()
