"""Migrations stand alone: each holds its own SQL and imports no app code.

A migration that calls a helper in app code changes whenever that helper does: a fresh
install would then build a different schema from an upgraded one. Django's own generated
references (``import needlepoint.<app>.models`` for a field's callable) are the only
project imports allowed. Checked on the syntax tree, so an aliased or nested import is
caught as well as a plain one.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import needlepoint

MIGRATIONS = sorted(Path(needlepoint.__file__).parent.glob("*/migrations/0*.py"))


def app_imports(source: str) -> list[str]:
    """The imports in ``source`` that are neither Django, the standard library nor a
    Django-generated ``import needlepoint.<app>.models``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
            found += [name for name in names if not _allowed(name, plain_import=True)]
        elif isinstance(node, ast.ImportFrom) and (
            node.level or not _allowed(node.module or "", plain_import=False)
        ):
            found.append("." * node.level + (node.module or ""))
    return found


def _allowed(module: str, *, plain_import: bool) -> bool:
    top = module.split(".")[0]
    if top == "django" or top in sys.stdlib_module_names:
        return True
    parts = module.split(".")
    return plain_import and len(parts) == 3 and parts[0] == "needlepoint" and parts[2] == "models"


def test_there_are_migrations_to_check():
    assert len(MIGRATIONS) > 40


def test_no_migration_imports_app_code():
    offending = {
        str(path.relative_to(path.parents[2])): found
        for path in MIGRATIONS
        if (found := app_imports(path.read_text()))
    }
    assert offending == {}


def test_the_check_catches_a_helper_imported_from_app_code():
    planted = (
        "from django.db import migrations\n"
        "from needlepoint.core.sql_helpers import per_vendor\n"
        "import needlepoint.scheduling.services as services\n"
        "from .shared import SQL\n"
        "def later():\n"
        "    from needlepoint.clinical import rules\n"
    )
    assert app_imports(planted) == [
        "needlepoint.core.sql_helpers",
        "needlepoint.scheduling.services",
        ".shared",
        "needlepoint.clinical",
    ]


def test_django_generated_model_references_are_allowed():
    generated = (
        "import django.db.models.deletion\n"
        "import needlepoint.clients.models\n"
        "import uuid\n"
        "from django.db import migrations, models\n"
    )
    assert app_imports(generated) == []
