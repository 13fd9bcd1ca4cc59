"""A primary, a streaming replica and PgBouncer for the tests that need more than one
PostgreSQL server (tests/tools/pgcluster.py starts them; CI starts nothing by hand).

These tests are marked ``postgres``: they run in the PostgreSQL pass, where the test
database already exists on DATABASE_URL's server. ``cluster_database`` copies that empty
test database into the cluster's primary (the replica follows) and points Django at it:

- ``default``: the primary, or PgBouncer in transaction mode (``pooled``), with the
  settings DATABASE_POOLING=transaction gives;
- ``replica``: the streaming replica, as DATABASE_REPLICA_URL would.

Each test has a fresh copy of that database; afterwards it is dropped and Django points
back where it was.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest

from tests.tools import pgcluster


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[pgcluster.Cluster]:
    problem = pgcluster.missing()
    if problem:
        message = f"These tests start PostgreSQL servers of their own: {problem} is missing."
        if os.environ.get("NEEDLEPOINT_REQUIRE_POSTGRES"):  # CI: never a skip
            pytest.fail(message)
        pytest.skip(message)
    cluster = pgcluster.start()
    cluster.copied = set()  # type: ignore[attr-defined]
    cluster.tests = 0  # type: ignore[attr-defined]
    yield cluster
    cluster.stop()


def _copy_test_database(cluster: pgcluster.Cluster, source: dict[str, Any]) -> str:
    """The test database (its tables and the rows migrations wrote) into the cluster, once;
    each test then gets a fresh copy of it (a template copy is faster than emptying it)."""
    name = source["NAME"]
    if name not in cluster.copied:  # type: ignore[attr-defined]
        cluster.create_database(name)
        dump = [str(pgcluster.PG_BIN / "pg_dump"), "--no-owner", "--no-privileges"]
        dump.append(f"--dbname={name}")
        for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
            if source.get(key):
                dump.append(f"{flag}={source[key]}")
        env = {"PGPASSWORD": str(source.get("PASSWORD") or "")}
        sql = subprocess.run(dump, capture_output=True, check=True, env=env).stdout
        restore = [str(pgcluster.PG_BIN / "psql"), "-q", "-v", "ON_ERROR_STOP=1"]
        restore.append(cluster.url("primary", name))
        subprocess.run(restore, input=sql, capture_output=True, check=True)
        cluster.copied.add(name)  # type: ignore[attr-defined]
    cluster.tests += 1  # type: ignore[attr-defined]
    copy = f"{name}_{cluster.tests}"  # type: ignore[attr-defined]
    cluster.create_database(copy, template=name)
    return copy


def _let_this_test_use_the_replica() -> None:
    """Django's test case refuses connections to aliases it was not told of, and it checks
    them when it starts, before the replica here exists: tell it now."""
    from django.db.backends.base.base import BaseDatabaseWrapper

    for cell in BaseDatabaseWrapper.ensure_connection.__closure__ or ():
        test_case = cell.cell_contents
        if isinstance(test_case, type) and hasattr(test_case, "databases"):
            test_case.databases = {*test_case.databases, "replica"}


@pytest.fixture
def cluster_database(request: pytest.FixtureRequest, transactional_db: None, pg_cluster):
    """Django on the cluster for one test: ``default`` on the primary (through PgBouncer
    when the test is marked ``pooled``), ``replica`` on the replica."""
    from django.db import connection, connections

    from needlepoint import settings as project_settings
    from needlepoint.core import replica

    if connection.vendor != "postgresql":
        pytest.fail("the cluster tests run in the PostgreSQL pass (DATABASE_URL)")
    original = connections.settings["default"]
    name = _copy_test_database(pg_cluster, original)
    pooled = request.node.get_closest_marker("pooled") is not None
    primary = project_settings.database_settings(
        pg_cluster.url("bouncer" if pooled else "primary", name),
        pooling="transaction" if pooled else "none",
    )
    following = project_settings.database_settings(pg_cluster.url("replica", name))
    saved = dict(original)
    connections["default"].close()
    # In place: threads of a race test open their own connections from this same dict.
    original.clear()
    original.update({**saved, **primary, "TEST": saved["TEST"]})
    connections.settings["replica"] = {**saved, **following, "TEST": {"MIRROR": "default"}}
    _let_this_test_use_the_replica()
    replica.forget()
    try:
        yield pg_cluster
    finally:
        connections.close_all()
        with contextlib.suppress(AttributeError):
            del connections["replica"]
        del connections.settings["replica"]
        original.clear()
        original.update(saved)
        replica.forget()
        pg_cluster.resume_replay_if_paused()
        if not pg_cluster.replica_running():
            pg_cluster.start_replica()
        pg_cluster.drop_database(name)
