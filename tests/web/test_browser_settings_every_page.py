"""Every page of Settings, opened by an owner in Chromium: it keeps to the CSP, passes
axe-core (no serious or critical finding) and fits 375 px, desktop and phone."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from tests.browser import checked
from tests.web.test_browser import sign_in
from tests.web.test_permission_matrix import GET, NOW, REQUESTS, world  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = sorted(name for name, (method, _) in REQUESTS.items() if name.startswith("settings:"))


def test_every_settings_page_is_accessible_and_fits_a_phone(page, live_server, world):  # noqa: F811
    clinic = world.values["clinic"]
    shown = []
    with time_machine.travel(NOW, tick=True):
        sign_in(page, live_server, clinic.owner)
        for name in PAGES:
            method, _ = REQUESTS[name]
            if method != GET:
                continue
            page.goto(live_server.url + reverse(name, kwargs=world.kwargs(name)))
            checked(page, "settings-" + name.removeprefix("settings:").replace("_", "-"))
            shown.append(name)
    assert len(shown) > 20
