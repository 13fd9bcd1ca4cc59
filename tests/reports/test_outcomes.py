"""Median improvement per scale after 1 to 4 sessions, and adverse events per 100 sessions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from needlepoint.reports.queries import Scope, outcome_figures
from tests import factories
from tests.reports import builders

pytestmark = pytest.mark.django_db

START = date(2027, 1, 4)


@pytest.fixture
def scored(clinic):
    """Three clients starting in the range, one who started before it."""
    place, who = clinic.location, clinic.practitioner

    def course(scores: list[int | None], ratings: list[int | None], first: date = START):
        client = factories.client(clinic.organisation)
        return [
            builders.session(
                client,
                place,
                who,
                first + timedelta(days=28 * n),
                scar_score=score,
                improvement=rating,
            )
            for n, (score, rating) in enumerate(zip(scores, ratings, strict=True))
        ]

    a = course([40, 35, 30, 28, 25], [0, 2, 4, 6, 8])
    course([30, 29, 20], [0, 4, 5])
    course([50, 44], [None, 3])
    course([60, 10, 10], [0, 10, 10], first=START - timedelta(days=30))
    builders.adverse_event(a[0], a[0].client, a[0].performed_on)
    builders.adverse_event(a[2], a[0].client, a[2].performed_on)
    builders.adverse_event(None, a[0].client, a[2].performed_on)  # not tied to a session
    return clinic


def figures(clinic, **fields):
    scope = Scope(
        organisation_id=clinic.organisation.pk,
        locations=[clinic.location],
        start=START,
        end=date(2027, 6, 30),
    )
    return outcome_figures(Scope(**(vars(scope) | fields)), clinic.organisation.rules())


def row(found, scale: str):
    return next(r for r in found.rows if r.scale.key == scale)


def test_a_lower_scar_score_counts_as_improvement(scored):
    scar = row(figures(scored), "scar_score")
    assert scar.medians == {1: 5, 2: 10, 3: 12, 4: 15}
    assert scar.counts == {1: 3, 2: 2, 3: 1, 4: 1}


def test_a_higher_client_rating_counts_as_improvement(scored):
    rating = row(figures(scored), "improvement")
    assert rating.medians == {1: 3, 2: 4.5, 3: 6, 4: 8}
    assert rating.counts == {1: 2, 2: 2, 3: 1, 4: 1}


def test_scales_never_scored_are_left_out(scored):
    assert {r.scale.key for r in figures(scored).rows} == {"scar_score", "improvement"}


def test_clients_who_started_before_the_range_are_left_out(scored):
    assert figures(scored).series == 3


def test_adverse_events_are_counted_per_100_completed_sessions(scored):
    (rate,) = figures(scored).events
    # every session performed in the range: the cohort's 10 and the earlier starter's third
    assert (rate.indication, rate.sessions, rate.events) == ("ind.acne_scars", 11, 2)
    assert rate.per_100 == pytest.approx(200 / 11)
    assert rate.name == "Atrophic acne scars"
