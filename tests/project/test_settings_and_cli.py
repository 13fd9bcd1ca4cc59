"""The project starts safely: production refuses the development secret and passes deploy checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from needlepoint.core.email_url import parse_email_url

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-production-secret-that-is-long-and-random-enough-for-django-0123456789",
    "ALLOWED_HOSTS": "clinic.example",
    "DATABASE_URL": "sqlite:///:memory:",
}


def run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "needlepoint.settings", **env}
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests in this process
    return subprocess.run(
        args,
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def test_production_refuses_to_start_with_the_development_secret():
    result = run([sys.executable, "manage.py", "check"], DEBUG="false", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY is the development key" in result.stderr


def test_production_settings_pass_djangos_deploy_checks():
    result = run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_cookies_are_secure_and_out_of_scripts_reach():
    show = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.CSRF_COOKIE_SECURE, s.CSRF_COOKIE_HTTPONLY)"
    )
    result = run([sys.executable, "-c", show], **PRODUCTION)
    assert result.stdout.split() == ["True"] * 4, result.stderr


def test_the_needlepoint_command_explains_itself():
    result = run([sys.executable, "-m", "needlepoint.cli", "--help"])
    assert result.returncode == 0
    for command in ("serve", "migrate", "demo", "createowner"):
        assert command in result.stdout


def test_createowner_starts_a_clinic_and_refuses_a_duplicate(tmp_path):
    database = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "NEEDLEPOINT_OWNER_PASSWORD": "a long enough passphrase",
    }
    assert run([sys.executable, "-m", "needlepoint.cli", "migrate"], **database).returncode == 0
    args = [
        sys.executable,
        "-m",
        "needlepoint.cli",
        "createowner",
        "--organisation",
        "Lotus Skin",
        "--email",
        "lee@lotus.example",
        "--name",
        "Lee Lotus",
        "--location",
        "High Street",
    ]
    no_password = {k: v for k, v in database.items() if k != "NEEDLEPOINT_OWNER_PASSWORD"}
    untyped = run(args, NEEDLEPOINT_OWNER_PASSWORD="", **no_password)  # no terminal to ask
    assert untyped.returncode != 0
    assert "set NEEDLEPOINT_OWNER_PASSWORD" in untyped.stderr
    assert "Traceback" not in untyped.stderr
    created = run(args, **database)
    assert created.returncode == 0, created.stderr
    assert "Created Lotus Skin" in created.stdout
    assert "Sign in at http" in created.stdout and "/accounts/login/" in created.stdout
    again = run(args, **database)
    assert again.returncode != 0
    assert "already exists" in again.stderr


def test_an_owner_from_createowner_may_open_settings(db):

    from needlepoint.clinics.services import organisation_create_with_owner
    from tests import factories

    owner = organisation_create_with_owner(
        organisation_name="Lotus Skin",
        owner_email="lee@lotus.example",
        owner_name="Lee Lotus",
        password="a long enough passphrase",
        location_name="High Street",
    )
    browser = factories.signed_in(owner)
    assert browser.get("/settings/").status_code == 200
    assert b"/admin/" not in browser.get("/").content  # Settings is ours, not the Django admin
    assert browser.get("/admin/").status_code == 302  # the admin is a superuser's only


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("console:", {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}),
        ("file:/var/mail/needlepoint", {"EMAIL_FILE_PATH": "/var/mail/needlepoint"}),
        (
            "smtp+tls://me%40x.org:p%40ss@mail.x.org",
            {
                "EMAIL_HOST": "mail.x.org",
                "EMAIL_PORT": 587,
                "EMAIL_HOST_USER": "me@x.org",
                "EMAIL_HOST_PASSWORD": "p@ss",
                "EMAIL_USE_TLS": True,
            },
        ),
        ("smtps://mail.x.org", {"EMAIL_PORT": 465, "EMAIL_USE_SSL": True}),
    ],
)
def test_email_url_becomes_email_settings(url, expected):
    settings = parse_email_url(url)
    assert expected.items() <= settings.items()


@pytest.mark.parametrize("url", ["pigeon://loft", "file:", "smtp://"])
def test_a_bad_email_url_is_refused_with_a_clear_message(url):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        parse_email_url(url)


def test_the_postgresql_run_really_uses_postgresql():
    """CI requires PostgreSQL; this makes sure that run was not quietly SQLite."""
    from django.db import connection

    if os.environ.get("NEEDLEPOINT_REQUIRE_POSTGRES") and os.environ.get(
        "DATABASE_URL", ""
    ).startswith("postgres"):
        assert connection.vendor == "postgresql"
    else:
        assert connection.vendor in {"sqlite", "postgresql"}


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_connections_plan_without_parallel_workers():
    """Starting parallel workers costs more than the calendar's reads take (see settings)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"


def test_a_bad_database_pooling_is_refused_with_a_clear_message():
    result = run([sys.executable, "manage.py", "check"], DATABASE_POOLING="statement")
    assert result.returncode != 0
    assert "DATABASE_POOLING must be transaction or empty, not 'statement'" in result.stderr


def test_the_photo_bucket_is_refused_as_the_backup_bucket():
    result = run(
        [sys.executable, "manage.py", "check"],
        NEEDLEPOINT_S3_BUCKET="clinic-photos",
        NEEDLEPOINT_BACKUP_BUCKET="clinic-photos",
    )
    assert result.returncode != 0
    assert "NEEDLEPOINT_BACKUP_BUCKET must not be the photos' NEEDLEPOINT_S3_BUCKET" in (
        result.stderr
    )


def test_transaction_pooling_sends_nothing_that_outlives_a_transaction():
    """Behind PgBouncer in transaction mode: no server-side cursors or prepared statements,
    no startup parameter (PgBouncer refuses them); the replica is a second database."""
    show = (
        "import django; django.setup(); from django.conf import settings as s; "
        "d = s.DATABASES; print(d['default']['DISABLE_SERVER_SIDE_CURSORS'], "
        "d['default']['OPTIONS'], sorted(d), d['replica']['HOST'], s.REPLICA_MAX_LAG_SECONDS)"
    )
    result = run(
        [sys.executable, "-c", show],
        DATABASE_URL="postgres://clinic@pgbouncer.internal:6432/needlepoint",
        DATABASE_POOLING="transaction",
        DATABASE_REPLICA_URL="postgres://clinic@replica.internal:5432/needlepoint",
        NEEDLEPOINT_REPLICA_MAX_LAG_SECONDS="10",
    )
    assert result.stdout.split("\n")[0] == (
        "True {'prepare_threshold': None} ['default', 'replica'] replica.internal 10.0"
    ), result.stderr


def test_without_pooling_postgresql_connections_ask_for_no_parallel_workers_and_prepare():
    show = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['OPTIONS'], sorted(s.DATABASES))"
    )
    result = run(
        [sys.executable, "-c", show], DATABASE_URL="postgres://clinic@db.internal/needlepoint"
    )
    assert result.stdout.strip() == (
        "{'options': ' -c max_parallel_workers_per_gather=0', 'server_side_binding': True,"
        " 'prepare_threshold': 5} ['default']"
    ), result.stderr
