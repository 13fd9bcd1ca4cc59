"""Only payments/gateway.py talks to Stripe: one place for keys, timeouts, idempotency
keys and what each answer means."""

from __future__ import annotations

import ast
from pathlib import Path

import needlepoint

PACKAGE = Path(needlepoint.__file__).parent


def imports_stripe(source: str) -> bool:
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import) and any(
            alias.name.split(".")[0] == "stripe" for alias in node.names
        ):
            return True
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "stripe":
            return True
    return False


def test_only_the_gateway_imports_the_stripe_sdk() -> None:
    importers = {
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if imports_stripe(path.read_text())
    }
    assert importers == {"payments/gateway.py"}


def test_the_check_sees_each_way_of_importing_it() -> None:
    assert imports_stripe("import stripe")
    assert imports_stripe("from stripe import StripeClient")
    assert imports_stripe("def f():\n    import stripe.error as e")
    assert not imports_stripe("from needlepoint.payments import stripe_events")
