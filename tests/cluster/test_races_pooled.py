"""The booking races of tests/scheduling/test_race.py again, every connection going
through PgBouncer in transaction mode, as DATABASE_POOLING=transaction runs: still exactly
one winner per race and no overlapping holds."""

from __future__ import annotations

import pytest

from tests.scheduling.test_race import *  # noqa: F403  the same tests, collected here too
from tests.scheduling.test_race import clinic_with_clients  # noqa: F401  their fixture

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.pooled,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("cluster_database"),
]


def test_the_races_really_go_through_pgbouncer(cluster_database):
    from django.db import connection

    assert connection.settings_dict["PORT"] == cluster_database.bouncer_port
    assert connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"] is True
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")  # the database's own setting
        assert cursor.fetchone()[0] == "0"
