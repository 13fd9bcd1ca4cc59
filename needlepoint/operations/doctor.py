"""``needlepoint doctor``: is this installation fit to run a clinic, and if not, what to do.

Each check returns a ``Finding``: OK, WARN or FAIL with one plain sentence. A FAIL
means something is broken now (pages, messages or backups); a WARN something to fix
before it hurts. See docs/deploy.md.
"""

from __future__ import annotations

import sqlite3
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import redis
from django.conf import settings
from django.core import checks
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import DatabaseError, connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from needlepoint.core import replica
from needlepoint.core.storage import STORE_ERRORS
from needlepoint.notifications.queries import STALLED_AFTER, last_heartbeat
from needlepoint.operations.backup import (
    backup_bucket,
    backup_dir,
    bucket_archives,
    private_bucket,
)

OK, WARN, FAIL = "OK", "WARN", "FAIL"
BACKUP_STALE_AFTER = timedelta(hours=26)  # a nightly backup, with two hours' grace
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}
CONSOLE_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
}


@dataclass(frozen=True)
class Finding:
    status: str
    name: str
    message: str


def check_debug() -> Finding:
    if settings.DEBUG:
        return Finding(
            WARN,
            "debug",
            "DEBUG is on: development mode, which shows error details to anyone. "
            "In production set DEBUG=false.",
        )
    return Finding(OK, "debug", "DEBUG is off (production mode).")


def check_secret_key() -> Finding:
    key = settings.SECRET_KEY
    if key == settings.DEVELOPMENT_SECRET_KEY:
        # Production refuses to start with it, so this is only ever seen with DEBUG on.
        return Finding(WARN, "secret key", "SECRET_KEY is the development key: fine here only.")
    if len(key) < 50 or len(set(key)) < 5:
        return Finding(
            FAIL,
            "secret key",
            f"SECRET_KEY is too weak ({len(key)} characters). Set it to a long random value: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'.",
        )
    return Finding(OK, "secret key", "SECRET_KEY is set and long enough.")


def check_allowed_hosts() -> Finding:
    hosts = settings.ALLOWED_HOSTS
    if not hosts:
        return Finding(
            FAIL, "allowed hosts", "ALLOWED_HOSTS is empty: set it to the site's host name."
        )
    if "*" in hosts:
        return Finding(
            WARN,
            "allowed hosts",
            "ALLOWED_HOSTS allows any host (*): set it to the site's host name, "
            "e.g. ALLOWED_HOSTS=clinic.example.",
        )
    if not settings.DEBUG and set(hosts) <= LOCAL_HOSTS:
        return Finding(
            WARN,
            "allowed hosts",
            f"ALLOWED_HOSTS names only this machine ({', '.join(hosts)}): add the host "
            "name clients use, e.g. ALLOWED_HOSTS=clinic.example.",
        )
    return Finding(OK, "allowed hosts", f"ALLOWED_HOSTS is {', '.join(hosts)}.")


def check_deploy() -> Finding:
    """Django's own `check --deploy`, summarised to its ids and first sentences."""
    found = [
        message
        for message in checks.run_checks(include_deployment_checks=True, databases=None)
        if not message.is_silenced() and message.level >= checks.WARNING
    ]
    if not found:
        return Finding(OK, "deploy checks", "`needlepoint check --deploy` finds no issues.")
    summary = "; ".join(f"{message.id}: {_first_sentence(message.msg)}" for message in found)
    status = FAIL if any(message.level >= checks.ERROR for message in found) else WARN
    return Finding(
        status,
        "deploy checks",
        f"`needlepoint check --deploy` reports {len(found)}: {summary}. "
        "Run it for the details and fix each.",
    )


def _first_sentence(text: str) -> str:
    first = text.split(". ")[0].strip().rstrip(".")
    return first if len(first) <= 120 else f"{first[:117]}..."


def check_database() -> Finding:
    name = settings.DATABASES["default"]["NAME"]
    try:
        connection.ensure_connection()
    except DatabaseError as error:
        where = "its folder exists" if connection.vendor == "sqlite" else "the server is running"
        return Finding(
            FAIL,
            "database",
            f"Cannot reach the {connection.display_name} database {name}: "
            f"{str(error).strip().splitlines()[0]}. Check DATABASE_URL and that {where}.",
        )
    if connection.vendor == "postgresql":
        major, minor = divmod(connection.pg_version, 10000)  # type: ignore[attr-defined]
        version = f"PostgreSQL {major}.{minor}"
        host = settings.DATABASES["default"].get("HOST") or "local socket"
        return Finding(OK, "database", f"{version}, database {name} on {host}, answers.")
    version = f"{connection.display_name} {sqlite3.sqlite_version}"
    if connection.vendor == "sqlite" and not settings.DEBUG:
        return Finding(
            WARN,
            "database",
            f"{version} at {name}: fine for one small clinic; PostgreSQL is recommended in "
            "production (DATABASE_URL=postgres://..., see docs/deploy.md).",
        )
    return Finding(OK, "database", f"{version} at {name}, answers.")


def check_replica() -> Finding:
    """With DATABASE_REPLICA_URL, that the replica answers, follows the primary, and is no
    further behind than reports may read (core/replica.py)."""
    if not replica.configured():
        return Finding(
            OK, "replica", "No replica (DATABASE_REPLICA_URL is not set): reports read the primary."
        )
    database = settings.DATABASES[replica.REPLICA]
    where = f"{database['NAME']} on {database.get('HOST') or 'local socket'}"
    following = connections[replica.REPLICA]
    if following.vendor != "postgresql":
        return Finding(
            WARN, "replica", "DATABASE_REPLICA_URL must name a PostgreSQL streaming replica."
        )
    try:
        with following.cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery()")
            standby = cursor.fetchone()[0]
            cursor.execute(replica.LAG_SQL)
            lag = float(cursor.fetchone()[0])
    except DatabaseError as error:
        following.close()
        return Finding(
            WARN,
            "replica",
            f"The replica {where} does not answer ({str(error).strip().splitlines()[0]}): "
            "reports read the primary meanwhile. Check DATABASE_REPLICA_URL and that the "
            "replica is running.",
        )
    if not standby:
        return Finding(
            WARN,
            "replica",
            f"DATABASE_REPLICA_URL names {where}, which is not a standby (it follows no "
            "primary): point it at a streaming replica of the primary, or unset it.",
        )
    limit = settings.REPLICA_MAX_LAG_SECONDS
    if lag > limit:
        return Finding(
            WARN,
            "replica",
            f"The replica {where} is {_age(timedelta(seconds=lag))} behind the primary "
            f"(reports read it up to {limit:g} s behind, NEEDLEPOINT_REPLICA_MAX_LAG_SECONDS): "
            "reports read the primary until it catches up. Look at pg_stat_replication on "
            "the primary and the replica's log.",
        )
    return Finding(OK, "replica", f"The replica {where} is {lag:.0f} s behind: reports read it.")


def check_cache() -> Finding:
    """With CACHE_URL naming Redis, that Redis answers and takes a write."""
    if not isinstance(caches["default"], RedisCache):
        return Finding(
            OK,
            "cache",
            "The cache and the rate limits' counts are in the database (CACHE_URL is not set).",
        )
    url = str(settings.CACHES["default"]["LOCATION"])
    where = _without_password(url)
    probe = f"needlepoint:doctor:{uuid.uuid4().hex}"
    try:
        server = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        version = server.info("server")["redis_version"]
        server.set(probe, b"", ex=60)
        server.delete(probe)
    except redis.RedisError as error:
        return Finding(
            WARN,
            "cache",
            f"Redis at {where} does not answer ({error}): the app keeps working and counts "
            "rate limits in the database meanwhile. Check CACHE_URL and that Redis is "
            "running (systemctl status redis-server).",
        )
    return Finding(
        OK, "cache", f"Redis {version} at {where} answers: the cache and rate limits are there."
    )


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    user = f"{parts.username}:***@" if parts.username else ":***@"
    return urlunsplit(parts._replace(netloc=user + netloc))


def check_migrations() -> Finding:
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return Finding(FAIL, "migrations", "Not checked: the database does not answer.")
    if plan:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _ in plan[:5])
        more = f" and {len(plan) - 5} more" if len(plan) > 5 else ""
        return Finding(
            FAIL,
            "migrations",
            f"{len(plan)} migrations are not applied ({names}{more}): run `needlepoint migrate`.",
        )
    return Finding(OK, "migrations", "Every migration is applied.")


def check_worker() -> Finding:
    try:
        last = last_heartbeat()
    except DatabaseError:
        return Finding(FAIL, "worker", "Not checked: the database does not answer.")
    if last is None:
        return Finding(
            FAIL,
            "worker",
            "No worker has ever run, so no reminders or other messages are sent: "
            "start `needlepoint worker` as its own service.",
        )
    age = timezone.now() - last
    if age > STALLED_AFTER:
        return Finding(
            FAIL,
            "worker",
            f"The worker's last heartbeat was {_age(age)} ago (it beats every minute): it has "
            "stopped. Restart it (systemctl restart needlepoint-worker) and read its log.",
        )
    return Finding(OK, "worker", f"The worker's last heartbeat was {_age(age)} ago.")


def check_email() -> Finding:
    backend = settings.EMAIL_BACKEND
    if backend in CONSOLE_BACKENDS:
        where = "printed to the console" if "console" in backend else "kept in memory"
        if settings.DEBUG:
            return Finding(OK, "email", f"Emails are {where} (development).")
        return Finding(
            WARN,
            "email",
            f"Emails are {where}, not sent: clients get no confirmations or reminders. "
            "Set EMAIL_URL=smtp+tls://user:password@mail.example:587 (docs/configuration.md).",
        )
    if backend.endswith("KeyedFileEmailBackend"):
        folder = Path(getattr(settings, "EMAIL_FILE_PATH", ""))
        if not _writable(folder):
            return Finding(FAIL, "email", f"Emails go to files in {folder}, which is not writable.")
        return Finding(WARN, "email", f"Emails are written to files in {folder}, not sent.")
    if "@localhost" in settings.DEFAULT_FROM_EMAIL and not settings.DEBUG:
        return Finding(
            WARN,
            "email",
            f"Emails go through {settings.EMAIL_HOST}:{settings.EMAIL_PORT}, but the sender "
            f"is {settings.DEFAULT_FROM_EMAIL}: set DEFAULT_FROM_EMAIL to the clinic's address.",
        )
    tls = " (TLS)" if settings.EMAIL_USE_TLS or settings.EMAIL_USE_SSL else " (no TLS)"
    return Finding(
        OK, "email", f"Emails go through {settings.EMAIL_HOST}:{settings.EMAIL_PORT}{tls}."
    )


def check_site_url() -> Finding:
    url = settings.SITE_URL
    if not settings.DEBUG and ("127.0.0.1" in url or "localhost" in url):
        return Finding(
            WARN,
            "site address",
            f"NEEDLEPOINT_SITE_URL is {url}: links in messages would not reach clients. "
            "Set it to the public address, e.g. https://clinic.example.",
        )
    return Finding(OK, "site address", f"Links in messages point to {url}.")


def check_static_files() -> Finding:
    if settings.DEBUG:
        return Finding(OK, "static files", "Served from the apps' folders (development).")
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.is_file():
        return Finding(
            FAIL,
            "static files",
            f"No collected static files in {settings.STATIC_ROOT}, so every page fails: "
            "run `needlepoint collectstatic --no-input`.",
        )
    return Finding(OK, "static files", f"Collected in {settings.STATIC_ROOT}.")


def check_data_dir() -> Finding:
    folders = [Path(settings.DATA_DIR)]
    if private_bucket() is None:
        folders.append(Path(settings.PHOTO_ROOT))
    broken = [folder for folder in folders if not _writable(folder)]
    if broken:
        return Finding(
            FAIL,
            "data folder",
            f"{', '.join(map(str, broken))} cannot be written by this user, so photos "
            "cannot be saved: create it and give the app's user ownership "
            f"(chown -R needlepoint {broken[0]}).",
        )
    return Finding(OK, "data folder", f"{', '.join(map(str, folders))} are writable.")


def check_file_store() -> Finding:
    """With a bucket, that an object can be written to it and removed again."""
    bucket = private_bucket()
    if bucket is None:
        return Finding(OK, "file store", f"Photos and letters are kept in {settings.PHOTO_ROOT}.")
    probe = bucket.Object(f".needlepoint-doctor/{uuid.uuid4().hex}")
    try:
        probe.put(Body=b"")
        probe.delete()
    except STORE_ERRORS as error:
        return Finding(
            FAIL,
            "file store",
            f"The bucket {bucket.name} cannot be written ({error}), so photos cannot be "
            "saved: check NEEDLEPOINT_S3_BUCKET, NEEDLEPOINT_S3_ENDPOINT_URL and the "
            "credentials (docs/configuration.md#object-storage).",
        )
    return Finding(OK, "file store", f"The bucket {bucket.name} can be written.")


def check_backups() -> Finding:
    bucket = backup_bucket()
    if bucket is None:
        folder = backup_dir()
        where = str(folder)
        paths = sorted(folder.glob("needlepoint-backup-*.tar.gz")) if folder.is_dir() else []
        archives = [
            (str(path), datetime.fromtimestamp(path.stat().st_mtime, UTC)) for path in paths
        ]
    else:
        where = f"the bucket {bucket.name}"
        try:
            archives = [
                (f"s3://{bucket.name}/{item.key}", item.last_modified)
                for item in bucket_archives(bucket)
            ]
        except STORE_ERRORS as error:
            return Finding(
                FAIL,
                "backups",
                f"The backup bucket {bucket.name} cannot be read ({error}): check "
                "NEEDLEPOINT_BACKUP_BUCKET, NEEDLEPOINT_S3_ENDPOINT_URL and the credentials.",
            )
    if not archives:
        return Finding(
            FAIL,
            "backups",
            f"No backup in {where}: run `needlepoint backup` now and every night "
            "(docs/backups.md).",
        )
    newest, made = max(archives, key=lambda archive: archive[1])
    age = datetime.now(UTC) - made
    if age > BACKUP_STALE_AFTER:
        return Finding(
            WARN,
            "backups",
            f"The newest backup, {newest}, is {_age(age)} old: check the nightly backup "
            "timer (systemctl status needlepoint-backup.timer) and run `needlepoint backup`.",
        )
    return Finding(OK, "backups", f"The newest backup, {newest}, is {_age(age)} old.")


def _writable(folder: Path) -> bool:
    """Tried, not guessed from the mode bits (root passes those on a read-only disk).

    A folder not made yet counts if the nearest one above it that exists is writable.
    """
    while not folder.exists() and folder.parent != folder:
        folder = folder.parent
    if not folder.is_dir():
        return False
    try:
        with tempfile.TemporaryFile(dir=folder):
            return True
    except OSError:
        return False


def _age(age: timedelta) -> str:
    seconds = int(age.total_seconds())
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 2 * 3600:
        return f"{seconds // 60} min"
    if seconds < 2 * 86400:
        return f"{seconds // 3600} h"
    return f"{seconds // 86400} days"


CHECKS: list[Callable[[], Finding]] = [
    check_debug,
    check_secret_key,
    check_allowed_hosts,
    check_deploy,
    check_database,
    check_replica,
    check_migrations,
    check_worker,
    check_cache,
    check_email,
    check_site_url,
    check_static_files,
    check_data_dir,
    check_file_store,
    check_backups,
]


def examine() -> list[Finding]:
    return [check() for check in CHECKS]
