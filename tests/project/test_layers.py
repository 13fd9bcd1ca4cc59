"""The declared layers (.importlinter) are checked by `make test`; these tests show the
check catches what it is there to catch, on a copy of the code with violations planted."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import needlepoint

ROOT = Path(needlepoint.__file__).parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(ROOT / ".importlinter"), "--no-cache"],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> Path:
    tree = tmp_path_factory.mktemp("layers")
    shutil.copytree(
        ROOT / "needlepoint",
        tree / "needlepoint",
        ignore=shutil.ignore_patterns("__pycache__", "static", "templates", "migrations"),
    )
    return tree


def plant(copy: Path, module: str, source: str) -> Path:
    path = copy / "needlepoint" / f"{module.replace('.', '/')}.py"
    path.write_text(source)
    return path


def test_the_code_as_it_is_keeps_every_contract(copy):
    checked = lint(copy)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "BROKEN" not in checked.stdout


@pytest.mark.parametrize(
    ("module", "source", "contract"),
    [
        (
            "clinical.planted",
            "from django.db import models\n",
            "The clinical core imports no Django and no other part of Needlepoint BROKEN",
        ),
        (
            "clinical.planted",
            "def later():\n    from needlepoint.scheduling import models\n",
            "The clinical core imports no Django and no other part of Needlepoint BROKEN",
        ),
        (
            "core.planted",
            "from needlepoint.clients.models import Client\n",
            "The framework layer (core) imports no domain app and no interface BROKEN",
        ),
        (
            "scheduling.planted",
            "from needlepoint.staff import views\n",
            "Nothing below imports the top interfaces (staff home, operations, URL map) BROKEN",
        ),
        (
            "scheduling.planted",
            "from needlepoint.treatments.queries import session_chart\n",
            "Domain apps depend on each other in one direction (interfaces excepted) BROKEN",
        ),
        (
            "clinics.planted",
            "from needlepoint.clients.models import Client\n",
            "Domain apps depend on each other in one direction (interfaces excepted) BROKEN",
        ),
    ],
)
def test_a_planted_forbidden_import_breaks_its_contract(copy, module, source, contract):
    planted = plant(copy, module, source)
    try:
        checked = lint(copy)
    finally:
        planted.unlink()
    assert checked.returncode != 0
    assert contract in checked.stdout


def test_an_interface_may_read_any_app(copy):
    planted = plant(
        copy, "clinics.views", "from needlepoint.treatments.queries import session_chart\n"
    )
    try:
        checked = lint(copy)
    finally:
        planted.unlink()
    assert checked.returncode == 0, checked.stdout


def test_the_diagram_in_the_docs_is_the_one_the_contracts_give():
    """If this fails, run: python -m tests.project.layer_diagram"""
    from tests.project.layer_diagram import DOC, diagram

    assert diagram() in DOC.read_text()
