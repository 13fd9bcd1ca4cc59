"""Course states as of today, and the clients due for their next session with nothing booked."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from needlepoint.reports.queries import Scope, course_figures
from needlepoint.scheduling.choices import BookingStatus
from needlepoint.scheduling.models import Course
from tests import factories
from tests.reports import builders

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 4, 15, 9, tzinfo=UTC)


def on(month: int, day: int, year: int = 2027) -> datetime:
    return datetime(year, month, day, 10, tzinfo=UTC)


@pytest.fixture
def courses(clinic):
    """Acne scars: every 28 days, usually 28 to 42 days apart (needlepoint/clinical/rules.toml)."""
    offered = factories.service(clinic.location)
    who = clinic.practitioner

    def course(planned: int, *visits: tuple[datetime, str], name: str) -> Course:
        client = factories.client(clinic.organisation, last_name=name)
        made = Course.objects.create(
            client=client, service=offered, planned_sessions=planned, interval_days=28
        )
        for starts_at, status in visits:
            builders.booking(offered, who, starts_at, client=client, status=status, course=made)
        return made

    done, booked = BookingStatus.COMPLETED, BookingStatus.BOOKED
    course(3, (on(3, 30), BookingStatus.NO_SHOW), (on(4, 30), booked), name="Waiting")
    course(3, (on(3, 20), done), (on(4, 20), booked), name="Booked")
    course(3, (on(3, 10), done), name="Due")
    course(3, (on(1, 20), done), (on(2, 20), done), name="Lapsed")
    course(2, (on(1, 5), done), (on(2, 5), done), name="Finished")
    course(3, (on(12, 1, 2026), done), name="Earlier")
    return clinic


def figures(clinic, **fields):
    scope = Scope(
        organisation_id=clinic.organisation.pk,
        locations=[clinic.location],
        start=date(2027, 1, 1),
        end=date(2027, 3, 31),
    )
    rules = clinic.organisation.rules()
    return course_figures(Scope(**(vars(scope) | fields)), rules, now=NOW)


def test_each_course_is_in_one_state(courses):
    found = figures(courses)
    assert found.counts == {"not started": 1, "on track": 2, "lapsed": 1, "completed": 1}
    assert found.started == 4


def test_a_course_lapses_once_the_longest_usual_interval_has_passed_unbooked(courses):
    lapsed = next(c for c in figures(courses).courses if c.state == "lapsed")
    assert lapsed.course.client.last_name == "Lapsed"
    assert (lapsed.due_on, lapsed.lapses_after) == (date(2027, 3, 20), date(2027, 4, 3))


def test_clients_due_with_nothing_booked_are_listed_most_overdue_first(courses):
    due = figures(courses).due
    assert [(c.course.client.last_name, c.state, c.due_on) for c in due] == [
        ("Lapsed", "lapsed", date(2027, 3, 20)),
        ("Due", "on track", date(2027, 4, 7)),
    ]


def test_a_course_belongs_to_the_range_of_its_first_visit(courses):
    found = figures(courses, start=date(2026, 12, 1), end=date(2026, 12, 31))
    assert [c.course.client.last_name for c in found.courses] == ["Earlier"]
    assert found.lapsed == 1


def test_choosing_a_practitioner_keeps_their_courses(courses):
    other = factories.staff_member(courses.organisation, "practitioner", courses.location)
    assert figures(courses, practitioner=other).courses == []
    assert len(figures(courses, practitioner=courses.practitioner).courses) == 5
