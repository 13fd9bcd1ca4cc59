"""`needlepoint doctor` looks at the replica: it answers, it follows the primary, and it is
not further behind than reports may read. On a real primary and streaming replica."""

from __future__ import annotations

import pytest
from django.db import connections

from tests.core.test_doctor import finding

pytestmark = pytest.mark.postgres


def test_a_replica_that_follows_passes(cluster_database):
    cluster_database.wait_for_replica()
    status, message = finding("replica")
    assert status == "OK"
    assert message.startswith("The replica ") and message.endswith("s behind: reports read it.")


def test_a_replica_behind_more_than_allowed_is_a_warning(cluster_database, settings):
    cluster_database.pause_replay()
    with connections["default"].cursor() as cursor:
        cursor.execute("CREATE TABLE doctor_probe (id int)")  # a change it has not applied
    cluster_database.wait_for_wal_received()
    settings.REPLICA_MAX_LAG_SECONDS = 0
    status, message = finding("replica")
    assert status == "WARN"
    assert "behind the primary" in message
    assert "NEEDLEPOINT_REPLICA_MAX_LAG_SECONDS" in message
    assert "reports read the primary until it catches up" in message


def test_a_stopped_replica_is_a_warning_that_says_what_to_check(cluster_database):
    cluster_database.stop_replica()
    status, message = finding("replica")
    assert status == "WARN"
    assert "does not answer" in message and "DATABASE_REPLICA_URL" in message


def test_a_replica_url_naming_a_server_that_is_no_standby_is_a_warning(cluster_database):
    connections["replica"].close()
    connections.settings["replica"]["PORT"] = cluster_database.port("primary")
    status, message = finding("replica")
    assert status == "WARN"
    assert "not a standby" in message
