"""An installation upgraded from a released schema ends exactly as a fresh one.

``released/<version>.<database>.sql`` is the database that release's own migrations
built (schema, migration history and the rows migrations write), dumped once when it
was released. Each test loads it, runs today's migrations over it, and compares the
schema with a fresh ``migrate``: a migration edited after release, or one that depends
on app code that has since changed, shows here as a difference.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
RELEASED = Path(__file__).parent / "released"
VERSIONS = sorted({path.name.split(".sqlite")[0] for path in RELEASED.glob("*.sqlite.sql")})


def migrate(**env: str) -> None:
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | env
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
        timeout=600,
    )


def sqlite_schema(path: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name"
        ).fetchall()
    return [(kind, name, " ".join(sql.split())) for kind, name, sql in rows]


def test_there_is_a_released_schema_to_upgrade_from():
    assert VERSIONS and all((RELEASED / f"{v}.postgresql.sql").exists() for v in VERSIONS)


@pytest.mark.parametrize("version", VERSIONS)
def test_an_sqlite_upgrade_ends_as_a_fresh_install(tmp_path, version):
    fresh, upgraded = tmp_path / "fresh", tmp_path / "upgraded"
    fresh.mkdir()
    upgraded.mkdir()
    with sqlite3.connect(upgraded / "needlepoint.sqlite3") as db:
        db.executescript((RELEASED / f"{version}.sqlite.sql").read_text())
    migrate(NEEDLEPOINT_DATA_DIR=str(fresh))
    migrate(NEEDLEPOINT_DATA_DIR=str(upgraded))
    assert sqlite_schema(upgraded / "needlepoint.sqlite3") == sqlite_schema(
        fresh / "needlepoint.sqlite3"
    )


def postgres_url(name: str) -> str:
    settings = connection.settings_dict
    host, port, user = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432, settings["USER"]
    return f"postgres://{user}@{host}:{port}/{name}"


def connection_args() -> list[str]:
    settings = connection.settings_dict
    args = ["-h", settings["HOST"] or "127.0.0.1", "-U", settings["USER"]]
    return args + (["-p", str(settings["PORT"])] if settings["PORT"] else [])


def pg_env() -> dict[str, str]:
    password = connection.settings_dict["PASSWORD"]
    return dict(os.environ) | ({"PGPASSWORD": password} if password else {})


def psql(program: str, *args: str) -> str:
    done = subprocess.run(
        [program, *connection_args(), *args],
        env=pg_env(),
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def postgres_schema(name: str) -> list[str]:
    """The schema as pg_dump writes it, after one dump and restore: PostgreSQL words a
    restored check constraint differently from one made by a migration, so both sides
    make the same round trip before they are compared."""
    copy = f"{name}_again"
    psql("psql", "-d", "postgres", "-qc", f"CREATE DATABASE {copy}")
    try:
        dump = psql("pg_dump", "--schema-only", "--no-owner", "--no-privileges", name)
        subprocess.run(
            ["psql", *connection_args(), "-d", copy, "-q", "-v", "ON_ERROR_STOP=1"],
            input=dump,
            text=True,
            check=True,
            capture_output=True,
            env=pg_env(),
        )
        again = psql("pg_dump", "--schema-only", "--no-owner", "--no-privileges", copy)
    finally:
        psql("psql", "-d", "postgres", "-qc", f"DROP DATABASE IF EXISTS {copy}")
    lines = [line for line in again.splitlines() if not re.match(r"(--|\\(un)?restrict )", line)]
    return [line for line in lines if line.strip()]


@pytest.mark.postgres
@pytest.mark.parametrize("version", VERSIONS)
def test_a_postgresql_upgrade_ends_as_a_fresh_install(version):
    run = uuid.uuid4().hex[:8]
    fresh, upgraded = f"np_fresh_{run}", f"np_upgraded_{run}"
    try:
        for name in (fresh, upgraded):
            psql("psql", "-d", "postgres", "-qc", f"CREATE DATABASE {name}")
        psql("psql", "-d", upgraded, "-q", "-v", "ON_ERROR_STOP=1", "-f",
             str(RELEASED / f"{version}.postgresql.sql"))  # fmt: skip
        migrate(DATABASE_URL=postgres_url(fresh))
        migrate(DATABASE_URL=postgres_url(upgraded))
        assert postgres_schema(upgraded) == postgres_schema(fresh)
    finally:
        for name in (fresh, upgraded):
            psql("psql", "-d", "postgres", "-qc", f"DROP DATABASE IF EXISTS {name}")
