"""`needlepoint doctor` says what is wrong with an installation and exactly what to do."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta
from io import StringIO
from unittest import mock

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError, connection
from django.db.migrations import Migration
from django.utils import timezone

from needlepoint.notifications.models import WorkerHeartbeat
from tests.redis_server import use_cache_url

SECRET = "k3J9-vQ2xL8_pR5mN1zT7wY4aC6eG0hB-uD3fS9jK2lP5oI8rE1tA7yH4nM6bV0c"


def doctor() -> tuple[int, dict[str, tuple[str, str]]]:
    """The exit code, and each check's status and sentence by name."""
    out = StringIO()
    try:
        call_command("doctor", stdout=out, no_color=True)
        code = 0
    except CommandError as error:
        code = error.returncode
    findings = {}
    for line in out.getvalue().splitlines()[:-1] if code == 0 else out.getvalue().splitlines():
        findings[line[6:20].strip()] = (line[:4].strip(), line[21:])
    return code, findings


def finding(name: str) -> tuple[str, str]:
    return doctor()[1][name]


@pytest.fixture
def production(db, settings, tmp_path):
    """An installation with everything in order; each test spoils one thing."""
    settings.DEBUG = False
    settings.SECRET_KEY = SECRET
    settings.ALLOWED_HOSTS = ["clinic.example"]
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "mail.example", 587, True
    settings.DEFAULT_FROM_EMAIL = "Harbour Skin <hello@clinic.example>"
    settings.SITE_URL = "https://clinic.example"
    settings.DATA_DIR = tmp_path / "data"
    settings.PHOTO_ROOT = tmp_path / "data" / "private" / "photos"
    settings.STATIC_ROOT = tmp_path / "data" / "static"
    settings.STATIC_ROOT.mkdir(parents=True)
    (settings.STATIC_ROOT / "staticfiles.json").write_text("{}")
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.BACKUP_DIR.mkdir()
    (settings.BACKUP_DIR / "needlepoint-backup-20261123T023000Z.tar.gz").write_bytes(b"x")
    WorkerHeartbeat.objects.create(
        worker_id="w1", beat_at=timezone.now(), started_at=timezone.now()
    )
    return settings


def test_a_healthy_installation_passes_with_exit_code_0(production):
    code, findings = doctor()
    assert code == 0
    assert {status for status, _ in findings.values()} <= {"OK", "WARN"}
    failed_or_warned = {name for name, (status, _) in findings.items() if status != "OK"}
    # SQLite is fine for one clinic but PostgreSQL is recommended in production.
    assert failed_or_warned <= {"database"}


def test_any_failure_exits_1(production):
    WorkerHeartbeat.objects.all().delete()
    code, findings = doctor()
    assert code == 1
    assert findings["worker"][0] == "FAIL"


def test_debug_on_is_a_warning(production):
    assert finding("debug")[0] == "OK"
    production.DEBUG = True
    status, message = finding("debug")
    assert status == "WARN"
    assert "DEBUG=false" in message


def test_a_weak_secret_key_fails_and_says_how_to_make_one(production):
    assert finding("secret key")[0] == "OK"
    production.SECRET_KEY = "short"
    status, message = finding("secret key")
    assert status == "FAIL"
    assert "secrets.token_urlsafe" in message


def test_the_development_secret_key_is_a_warning_in_development(production):
    production.DEBUG = True
    production.SECRET_KEY = production.DEVELOPMENT_SECRET_KEY
    assert finding("secret key")[0] == "WARN"


@pytest.mark.parametrize(
    ("hosts", "expected"),
    [([], "FAIL"), (["*"], "WARN"), (["localhost", "127.0.0.1"], "WARN")],
)
def test_allowed_hosts_must_name_the_site(production, hosts, expected):
    assert finding("allowed hosts")[0] == "OK"
    production.ALLOWED_HOSTS = hosts
    status, message = finding("allowed hosts")
    assert status == expected
    assert "ALLOWED_HOSTS" in message


def test_deploy_check_findings_are_summarised_by_id(production):
    assert finding("deploy checks")[0] == "OK"
    production.SESSION_COOKIE_SECURE = False
    status, message = finding("deploy checks")
    assert status == "WARN"
    assert "security.W012" in message
    assert "check --deploy" in message


def test_the_database_answers_and_names_its_vendor(production):
    status, message = finding("database")
    if connection.vendor == "postgresql":
        assert (status, message[:10]) == ("OK", "PostgreSQL")
    else:  # SQLite in production: it works, PostgreSQL is recommended
        assert status == "WARN"
        assert "SQLite" in message
        assert "PostgreSQL is recommended" in message


def test_an_unreachable_database_fails_and_skips_what_needs_it(production):
    refused = OperationalError("connection refused\nIs the server running?")
    with mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.ensure_connection", side_effect=refused
    ):
        code, findings = doctor()
    assert code == 1
    status, message = findings["database"]
    assert status == "FAIL"
    assert "connection refused" in message
    assert "DATABASE_URL" in message
    assert findings["migrations"] == ("FAIL", "Not checked: the database does not answer.")
    assert findings["worker"][0] == "FAIL"


def test_unapplied_migrations_fail_and_say_migrate(production):
    assert finding("migrations") == ("OK", "Every migration is applied.")
    pending = [(Migration("0099_rooms_have_floors", "clinics"), False)]
    with mock.patch(
        "django.db.migrations.executor.MigrationExecutor.migration_plan", return_value=pending
    ):
        status, message = finding("migrations")
    assert status == "FAIL"
    assert "clinics.0099_rooms_have_floors" in message
    assert "needlepoint migrate" in message


def test_a_worker_that_never_ran_fails(production):
    WorkerHeartbeat.objects.all().delete()
    status, message = finding("worker")
    assert status == "FAIL"
    assert "needlepoint worker" in message


def test_a_worker_silent_for_more_than_three_minutes_has_stalled(production):
    now = datetime(2026, 11, 23, 8, tzinfo=UTC)
    with time_machine.travel(now, tick=False):
        WorkerHeartbeat.objects.update(beat_at=now - timedelta(minutes=2))
        assert finding("worker")[0] == "OK"
        WorkerHeartbeat.objects.update(beat_at=now - timedelta(minutes=4))
        status, message = finding("worker")
    assert status == "FAIL"
    assert "4 min ago" in message
    assert "restart" in message.lower()


def test_console_email_in_production_is_a_warning(production):
    assert finding("email") == ("OK", "Emails go through mail.example:587 (TLS).")
    production.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    status, message = finding("email")
    assert status == "WARN"
    assert "EMAIL_URL=smtp" in message
    production.DEBUG = True
    assert finding("email")[0] == "OK"


def test_email_from_localhost_in_production_is_a_warning(production):
    production.DEFAULT_FROM_EMAIL = "Needlepoint <clinic@localhost>"
    status, message = finding("email")
    assert status == "WARN"
    assert "DEFAULT_FROM_EMAIL" in message


def test_a_site_address_on_this_machine_is_a_warning_in_production(production):
    assert finding("site address")[0] == "OK"
    production.SITE_URL = "http://127.0.0.1:8000"
    status, message = finding("site address")
    assert status == "WARN"
    assert "NEEDLEPOINT_SITE_URL" in message


def test_uncollected_static_files_fail_and_say_collectstatic(production):
    (production.STATIC_ROOT / "staticfiles.json").unlink()
    status, message = finding("static files")
    assert status == "FAIL"
    assert "collectstatic" in message


def test_a_data_folder_that_cannot_be_written_fails(production, tmp_path):
    assert finding("data folder")[0] == "OK"
    (tmp_path / "a-file").write_text("")
    production.PHOTO_ROOT = tmp_path / "a-file" / "photos"  # no folder can be made there
    status, message = finding("data folder")
    assert status == "FAIL"
    assert str(production.PHOTO_ROOT) in message


def test_no_backup_fails_and_says_how_to_make_one(production):
    for archive in production.BACKUP_DIR.iterdir():
        archive.unlink()
    status, message = finding("backups")
    assert status == "FAIL"
    assert "needlepoint backup" in message


def test_a_backup_older_than_26_hours_is_a_warning(production):
    [archive] = production.BACKUP_DIR.iterdir()
    assert finding("backups")[0] == "OK"
    old = time.time() - 27 * 3600
    os.utime(archive, (old, old))
    status, message = finding("backups")
    assert status == "WARN"
    assert "27 h old" in message


def test_backups_default_to_the_data_folder(production):
    production.BACKUP_DIR = None
    status, message = finding("backups")
    assert status == "FAIL"
    assert str(production.DATA_DIR / "backups") in message


def test_a_backup_made_without_output_lands_where_the_doctor_looks(
    transactional_db, production, tmp_path
):
    production.BACKUP_DIR = tmp_path / "nightly"
    call_command("backup", stdout=StringIO())
    status, message = finding("backups")
    assert status == "OK"
    assert str(tmp_path / "nightly" / "needlepoint-backup-") in message


def test_a_bucket_that_can_be_written_passes_and_one_that_fails_fails(
    production, monkeypatch, faulty_bucket
):
    assert finding("file store")[0] == "OK"
    assert str(production.PHOTO_ROOT) not in finding("data folder")[1]  # the bucket instead
    faulty_bucket.failing = True
    status, message = finding("file store")
    assert status == "FAIL"
    assert "cannot be written" in message
    assert "NEEDLEPOINT_S3_BUCKET" in message


@pytest.fixture
def faulty_bucket(production, monkeypatch, s3_server):
    from tests.project.test_object_storage import in_a_bucket
    from tests.tools.s3server import FaultyS3

    proxy = FaultyS3(s3_server.endpoint_url)
    in_a_bucket(production, monkeypatch, proxy.endpoint_url)
    yield proxy
    proxy.stop()


def test_the_cache_in_the_database_is_fine(production):
    status, message = finding("cache")
    assert status == "OK"
    assert "in the database" in message


def test_redis_that_answers_passes_and_one_that_stopped_is_a_warning(
    production, own_redis_server, monkeypatch
):
    use_cache_url(own_redis_server.url, production, monkeypatch)
    status, message = finding("cache")
    assert status == "OK"
    assert f"at {own_redis_server.url} answers" in message

    own_redis_server.stop()
    code, findings = doctor()
    status, message = findings["cache"]
    assert status == "WARN"
    assert f"Redis at {own_redis_server.url} does not answer" in message
    assert "rate limits in the database" in message and "CACHE_URL" in message
    assert code == 0  # the app keeps working without it


def test_a_password_in_the_cache_url_is_not_shown(production, redis_server, monkeypatch):
    url = redis_server.url.replace("redis://", "redis://:s3cret-word@")
    use_cache_url(url, production, monkeypatch)
    status, message = finding("cache")
    assert "s3cret-word" not in message
    assert redis_server.url.replace("redis://", "redis://:***@") in message


def test_without_a_replica_reports_read_the_primary(production):
    assert finding("replica") == (
        "OK",
        "No replica (DATABASE_REPLICA_URL is not set): reports read the primary.",
    )
