"""The import pages in a real browser: within the CSP, accessible, and readable on a phone."""

from __future__ import annotations

import pytest
import time_machine

from needlepoint.clients.models import Client
from tests import factories
from tests.browser import checked
from tests.imports.conftest import FILES, NOW

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_uploads_matches_and_checks_in_a_browser(page, live_server, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    with time_machine.travel(NOW, tick=True):
        clinic = factories.clinic()
        clinic.practitioner.user.full_name = "Pat Jones"
        clinic.practitioner.user.save(update_fields=["full_name"])
        factories.service(clinic.location, name="Microneedling face")
        factories.service(
            clinic.location,
            name="Skin consultation",
            kind="consultation",
            area="",
            indication="",
            numbing_minutes=0,
            duration_minutes=30,
            device_kind="",
            needs_room=False,
        )
        manager = clinic.manager
        page.goto(f"{live_server.url}/")
        page.get_by_label("Email").fill(manager.user.email)
        page.get_by_label("Password").fill(factories.PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        factories.give_code_in_browser(page, manager.user)

        def upload(kind: str, name: str, data: bytes) -> None:
            page.get_by_role("link", name="Import & export").click()
            page.get_by_label("The file holds").select_option(kind)
            page.get_by_label("CSV file").set_input_files(
                {"name": name, "mimeType": "text/csv", "buffer": data}
            )
            page.get_by_role("button", name="Upload and match the columns").click()
            page.get_by_role("heading", name="Match the columns").wait_for()

        clients = (FILES / "clients-old-system.csv").read_bytes()
        upload("clients", "clients.csv", clients)
        assert page.get_by_label("Last name").input_value() == "2"  # "Surname"
        checked(page, "import-mapping")
        page.get_by_role("button", name="Check the file (writes nothing)").click()
        page.get_by_role("heading", name="Problems to fix").wait_for()
        assert page.get_by_text("“0740 01” is not a phone number.").is_visible()
        checked(page, "import-check-problems")

        upload("clients", "clients.csv", clients.replace(b"0740 01", b""))
        page.get_by_role("button", name="Check the file (writes nothing)").click()
        page.get_by_role("heading", name="Ready to import").wait_for()
        checked(page, "import-check-ready")
        page.get_by_role("button", name="Import now").click()
        page.get_by_text("Imported clients.csv.").wait_for()
        assert Client.objects.count() == 5

        upload(
            "appointments", "appointments.csv", (FILES / "appointments-old-system.csv").read_bytes()
        )
        checked(page, "import-mapping-appointments")
        page.get_by_role("button", name="Check the file (writes nothing)").click()
        page.get_by_role("heading", name="Problems to fix").wait_for()
        assert page.get_by_text("the clocks go forward then").is_visible()
        checked(page, "import-check-appointments")

        page.goto(f"{live_server.url}/export/")
        checked(page, "export")
