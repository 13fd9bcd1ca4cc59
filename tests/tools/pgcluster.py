"""A throwaway PostgreSQL cluster: a primary, a streaming replica and PgBouncer.

Built from the machine's PostgreSQL 15 binaries (``NEEDLEPOINT_PG_BIN``, by default
/usr/lib/postgresql/15/bin) and Debian's ``pgbouncer``, in a temporary folder, on free
ports; it starts in a few seconds and leaves nothing behind. PostgreSQL and PgBouncer
refuse to run as root, so as root every server runs as the ``postgres`` user.

    cluster = pgcluster.start()
    cluster.create_database("needlepoint")
    cluster.url("bouncer", "needlepoint")  # transaction pooling in front of the primary
    cluster.stop()

Used by the tests' fixtures (tests/cluster/conftest.py) and by the topology that
``make cluster-test`` starts (tests/cluster/topology.py). Durability is off (fsync,
full-page writes): this is for tests only.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

from tests.tools.services import free_port, port_answers, wait

PG_BIN = Path(os.environ.get("NEEDLEPOINT_PG_BIN", "/usr/lib/postgresql/15/bin"))
PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
START_SECONDS = 60  # a loaded machine starts PostgreSQL slowly


def missing() -> str | None:
    """What is missing to start a cluster here, or None."""
    for tool in ("initdb", "pg_ctl", "pg_basebackup", "postgres"):
        if not (PG_BIN / tool).exists():
            return f"{PG_BIN / tool} (PostgreSQL 15 server binaries)"
    if not Path(PGBOUNCER).exists():
        return "pgbouncer (apt-get install pgbouncer)"
    return None


def _as_server_user() -> dict[str, Any]:
    """Popen arguments that run a server as ``postgres`` when we are root."""
    if os.geteuid() != 0:
        return {}
    account = pwd.getpwnam("postgres")
    return {"user": account.pw_uid, "group": account.pw_gid, "extra_groups": []}


def _run(*command: str | Path, cwd: Path) -> None:
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        **_as_server_user(),
    )
    if result.returncode != 0:
        raise RuntimeError(f"{command[0]} failed: {result.stdout}{result.stderr}")


@dataclass
class Cluster:
    root: Path
    primary_port: int
    replica_port: int
    bouncer_port: int
    bouncer: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def primary_dir(self) -> Path:
        return self.root / "primary"

    @property
    def replica_dir(self) -> Path:
        return self.root / "replica"

    def port(self, server: str) -> int:
        return {
            "primary": self.primary_port,
            "replica": self.replica_port,
            "bouncer": self.bouncer_port,
        }[server]

    def url(self, server: str, database: str) -> str:
        """``server`` is primary, replica or bouncer (PgBouncer in front of the primary)."""
        return f"postgres://postgres@127.0.0.1:{self.port(server)}/{database}"

    def sql(self, server: str, statement: str, database: str = "postgres") -> Any:
        """Run one statement directly on a server (autocommit); the first value it returns."""
        with psycopg.connect(
            host="127.0.0.1",
            port=self.port(server),
            user="postgres",
            dbname=database,
            autocommit=True,
            connect_timeout=5,
        ) as connection:
            cursor = connection.execute(statement)  # type: ignore[arg-type]
            row = cursor.fetchone() if cursor.description else None
            return row[0] if row else None

    def create_database(self, name: str, template: str = "template1") -> None:
        """A database on the primary (the replica follows), set up as docs/scaling.md says
        a pooled database must be: what the app can't send through PgBouncer at connect
        time is the database's own setting."""
        self.sql("primary", f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        self.sql("primary", f'ALTER DATABASE "{name}" SET max_parallel_workers_per_gather = 0')
        self.wait_for_replica()

    def drop_database(self, name: str) -> None:
        self.sql("primary", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    # The replica

    def _pg_ctl(self, action: str, data: Path, port: int | None = None) -> None:
        command: list[str | Path] = [PG_BIN / "pg_ctl", action, "-D", data, "-w", "-s"]
        command += ["-t", str(START_SECONDS)]
        if port is not None:
            command += ["-o", f"-p {port}", "-l", self.root / f"{data.name}.log"]
        if action == "stop":
            command += ["-m", "immediate" if data == self.replica_dir else "fast"]
        _run(*command, cwd=self.root)

    def stop_replica(self) -> None:
        """Stop the replica at once, as a crash would."""
        self._pg_ctl("stop", self.replica_dir)

    def start_replica(self) -> None:
        self._pg_ctl("start", self.replica_dir, self.replica_port)
        self.wait_for_replica()

    def pause_replay(self) -> None:
        """The replica keeps receiving the primary's changes but stops applying them: it
        falls behind (its lag grows) while staying up."""
        self.sql("replica", "SELECT pg_wal_replay_pause()")

    def resume_replay(self) -> None:
        self.sql("replica", "SELECT pg_wal_replay_resume()")
        self.wait_for_replica()

    def replica_running(self) -> bool:
        try:
            return bool(self.sql("replica", "SELECT true"))
        except psycopg.OperationalError:
            return False

    def resume_replay_if_paused(self) -> None:
        if self.replica_running() and self.sql("replica", "SELECT pg_is_wal_replay_paused()"):
            self.resume_replay()

    def wait_for_wal_received(self) -> None:
        """Until the replica has received (not necessarily applied) all the primary wrote."""
        self._wait_for("pg_last_wal_receive_lsn()")

    def wait_for_replica(self) -> None:
        """Until the replica has applied everything the primary has written so far."""
        self._wait_for("pg_last_wal_replay_lsn()")

    def _wait_for(self, position: str) -> None:
        target = self.sql("primary", "SELECT pg_current_wal_flush_lsn()::text")
        deadline = time.monotonic() + START_SECONDS
        while not self.sql("replica", f"SELECT {position} >= '{target}'::pg_lsn"):
            if time.monotonic() > deadline:
                raise RuntimeError("the replica did not catch up")
            time.sleep(0.02)

    def stop(self) -> None:
        if self.bouncer is not None and self.bouncer.poll() is None:
            self.bouncer.terminate()
            self.bouncer.wait(timeout=10)
        for data in (self.replica_dir, self.primary_dir):
            if (data / "postmaster.pid").exists():
                with contextlib.suppress(RuntimeError):  # already gone; the folder goes anyway
                    self._pg_ctl("stop", data)
        shutil.rmtree(self.root, ignore_errors=True)


PRIMARY_CONF = """
listen_addresses = '127.0.0.1'
unix_socket_directories = '{root}'
wal_level = replica
max_wal_senders = 5
hot_standby = on
timezone = 'UTC'
max_connections = 100
shared_buffers = 32MB
fsync = off
full_page_writes = off
log_min_messages = warning
"""

BOUNCER_INI = """
[databases]
* = host=127.0.0.1 port={primary_port}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {bouncer_port}
unix_socket_dir =
auth_type = trust
auth_file = {root}/users.txt
admin_users = postgres
pool_mode = transaction
max_client_conn = 500
default_pool_size = 20
server_reset_query =
ignore_startup_parameters = extra_float_digits
logfile = {root}/pgbouncer.log
pidfile = {root}/pgbouncer.pid
"""


def start() -> Cluster:
    """Start a primary, a streaming replica of it and PgBouncer, each on a free port."""
    problem = missing()
    if problem:
        raise RuntimeError(f"cannot start a PostgreSQL cluster: {problem} not found")
    root = Path(tempfile.mkdtemp(prefix="np-pgcluster-"))
    root.chmod(0o700)
    if os.geteuid() == 0:
        account = pwd.getpwnam("postgres")
        os.chown(root, account.pw_uid, account.pw_gid)
    cluster = Cluster(root, free_port(), free_port(), free_port())
    try:
        _run(
            PG_BIN / "initdb",
            *("-D", cluster.primary_dir, "-U", "postgres", "--auth=trust"),
            *("-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions"),
            cwd=root,
        )
        with (cluster.primary_dir / "postgresql.conf").open("a") as conf:
            conf.write(PRIMARY_CONF.format(root=root))
        cluster._pg_ctl("start", cluster.primary_dir, cluster.primary_port)
        _run(
            PG_BIN / "pg_basebackup",
            *("-h", "127.0.0.1", "-p", str(cluster.primary_port), "-U", "postgres"),
            *("-D", cluster.replica_dir, "-R", "-X", "stream", "-c", "fast", "--no-sync"),
            cwd=root,
        )
        cluster._pg_ctl("start", cluster.replica_dir, cluster.replica_port)
        (root / "users.txt").write_text('"postgres" ""\n')
        (root / "pgbouncer.ini").write_text(
            BOUNCER_INI.format(
                root=root, primary_port=cluster.primary_port, bouncer_port=cluster.bouncer_port
            )
        )
        if os.geteuid() == 0:
            for name in ("users.txt", "pgbouncer.ini"):
                os.chown(root / name, account.pw_uid, account.pw_gid)
        cluster.bouncer = subprocess.Popen(
            [PGBOUNCER, "-q", str(root / "pgbouncer.ini")],
            cwd=root,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            **_as_server_user(),
        )
        wait(port_answers(cluster.bouncer_port), cluster.bouncer, "PgBouncer", START_SECONDS)
        cluster.wait_for_replica()
    except BaseException:
        cluster.stop()
        raise
    return cluster
