"""localstripe, the fake Stripe server, for the tests that move money through Stripe.

One server per test process, started on a free port from its own venv (``make test``
builds it: .tools/localstripe). ``stripe_clinic`` gives a clinic whose Stripe keys are
set (encrypted, as the Settings page saves them) and whose SDK calls go to that server.
Where CI requires it (NEEDLEPOINT_REQUIRE_STRIPE), a missing localstripe fails those
tests instead of skipping them.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.tools.services import free_port, port_answers, stop, wait

LOCALSTRIPE = (
    Path(__file__).resolve().parent.parent / ".tools" / "localstripe" / "bin" / "localstripe"
)


@pytest.fixture(scope="session")
def stripe_server() -> Iterator[str]:
    """The base URL of a running localstripe (its Stripe.js is at <base>/js.stripe.com/v3/)."""
    if not LOCALSTRIPE.exists():
        if os.environ.get("NEEDLEPOINT_REQUIRE_STRIPE"):
            pytest.fail(
                "localstripe is required here (NEEDLEPOINT_REQUIRE_STRIPE): make test builds it"
            )
        pytest.skip("needs localstripe: make test builds it in .tools/")
    port = free_port()
    process = subprocess.Popen(
        # --from-scratch: not the state another localstripe left in /tmp/localstripe.pickle
        # (one file for every instance on the machine, half-written while they run)
        [str(LOCALSTRIPE), "--port", str(port), "--from-scratch"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait(port_answers(port), process, "localstripe")
    yield f"http://127.0.0.1:{port}"
    stop(process)


@pytest.fixture
def stripe_clinic(clinic: Any, settings: Any, stripe_server: str) -> Any:
    """The test clinic, taking card payments through localstripe."""
    from needlepoint.payments.keys import seal
    from needlepoint.payments.services import billing_for

    settings.STRIPE_API_BASE = stripe_server
    settings.STRIPE_JS_URL = f"{stripe_server}/js.stripe.com/v3/"
    billing = billing_for(clinic.organisation)
    billing.stripe_publishable_key = "pk_test_needlepoint"
    billing.stripe_secret_key = seal("sk_test_needlepoint")
    billing.stripe_webhook_secret = seal("whsec_needlepoint")
    billing.save()
    return clinic
