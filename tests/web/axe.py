"""axe-core in the browser: the accessibility check every public page must pass."""

from __future__ import annotations

from typing import Any

SERIOUS = {"serious", "critical"}


def serious_violations(page: Any) -> list[str]:
    """Each serious or critical axe-core violation on the page, with the elements it names."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in SERIOUS
    ]
