"""Shared fixtures: personas of a clinic and an outsider from another organisation.

Tests marked ``postgres`` run only on PostgreSQL (the second pass of ``make test``);
tests marked ``once`` are left out of that second pass (what they check does not depend on
the database: a second pass would only add time); tests marked ``browser`` need
Chromium, and run in the first pass only (they check pages; the services under them are
tested on PostgreSQL by the rest of the suite). Where CI requires the browser
(NEEDLEPOINT_REQUIRE_BROWSER), a missing Chromium fails those tests instead of skipping them.
"""

from __future__ import annotations

import os
import shutil
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.factories import Clinic

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Chromium; localstripe; Redis; an S3-compatible server (moto)
pytest_plugins = [
    "tests.browser",
    "tests.stripe_server",
    "tests.redis_server",
    "tests.tools.s3server",
]


def pytest_configure(config: pytest.Config) -> None:
    if config.pluginmanager.hasplugin("django"):
        from django.conf import settings

        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)  # the SQLite test database lives there


def pytest_runtest_setup(item: pytest.Item) -> None:
    if "postgres" in item.keywords:
        from django.db import connection

        if connection.vendor != "postgresql":
            pytest.skip("needs PostgreSQL: set DATABASE_URL")
    if "browser" in item.keywords and CHROMIUM is None:
        if os.environ.get("NEEDLEPOINT_REQUIRE_BROWSER"):
            pytest.fail("Chromium is required here (NEEDLEPOINT_REQUIRE_BROWSER) but was not found")
        pytest.skip("needs Chromium: apt-get install chromium")


# Factories import Django models, so they load inside fixtures: the pure clinical
# tests can then run without Django at all (pytest -p no:django tests/clinical).
@pytest.fixture
def clinic(db: None) -> Clinic:
    from tests import factories

    return factories.clinic()


@pytest.fixture
def other_clinic(db: None) -> Clinic:
    from tests import factories

    return factories.clinic(name="Elsewhere Aesthetics", slug="elsewhere")


@pytest.fixture(autouse=True)
def _fast_password_hashing(request: pytest.FixtureRequest) -> None:
    """Argon2 is slow on purpose; tests sign in many times and don't need that."""
    if not request.config.pluginmanager.hasplugin("django"):
        return  # pure tests run with -p no:django
    settings = request.getfixturevalue("settings")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _photos_in_a_scratch_folder(request: pytest.FixtureRequest, tmp_path_factory) -> None:
    """Uploaded photos go to a per-test folder, never the developer's var/."""
    if not request.config.pluginmanager.hasplugin("django"):
        return
    settings = request.getfixturevalue("settings")
    settings.PHOTO_ROOT = tmp_path_factory.mktemp("photos")


@pytest.fixture(autouse=True)
def _tasks_run_in_process(request: pytest.FixtureRequest) -> None:
    """Queued tasks run at once in tests; the worker's own tests use the database queue."""
    if not request.config.pluginmanager.hasplugin("django"):
        return
    settings = request.getfixturevalue("settings")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _rate_limits_out_of_the_way(request: pytest.FixtureRequest) -> None:
    """Only the tests of the rate limits meet them (they set them small): fuzzing posts one
    form scores of times from one address, and counts outlive transactional tests."""
    if not request.config.pluginmanager.hasplugin("django"):
        return
    settings = request.getfixturevalue("settings")
    settings.THROTTLE_RATES = dict.fromkeys(settings.THROTTLE_RATES, "1000000/day")
