"""The layer diagram in docs/architecture.md, generated from .importlinter's contracts.

`python -m tests.project.layer_diagram` rewrites it; tests/project/test_layers.py fails
when the docs and the contracts disagree.
"""

from __future__ import annotations

import configparser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "architecture.md"
START, END = "<!-- layers: generated from .importlinter -->", "<!-- /layers -->"


def contracts() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(inline_comment_prefixes=(";",))
    parser.read(ROOT / ".importlinter")
    return parser


def diagram() -> str:
    parser = contracts()
    lines_of_layers = parser["importlinter:contract:domain-order"]["layers"].splitlines()
    layers = [
        " · ".join(part.strip().removeprefix("needlepoint.") for part in line.split("|"))
        for line in lines_of_layers
        if line.strip()
    ]
    assert layers, "the domain-order contract names its layers"
    lines = [
        "interfaces: pages (Settings too), API routers, forms, URLs, tasks, commands, demo",
        "            (may read every app below)",
        *(f"  {'┌' if i == 0 else '├'}─ {name.strip()}" for i, name in enumerate(layers)),
        "  ├─ core       framework: imports no app",
        "  └─ clinical   pure Python: imports no Django and no app",
    ]
    return "\n".join([START, "```", *lines, "```", END])


def rewrite() -> None:
    text = DOC.read_text()
    before, _, rest = text.partition(START)
    _, _, after = rest.partition(END)
    DOC.write_text(before + diagram() + after)


if __name__ == "__main__":
    rewrite()
