"""Every write goes through a service: no page, API operation, form, task or command
writes a model itself.

Checked on the syntax tree of every interface module (``views.py`` and ``*_views.py``,
``api.py``, ``forms.py`` and ``*_forms.py``, ``tasks.py``, ``admin.py``, management
commands). A call is a write when it
is a queryset's or manager's ``create``, ``get_or_create``, ``update_or_create``,
``bulk_create`` or ``bulk_update``; ``update(...)`` with keywords only (a queryset's,
not a dict's); or ``save()`` / ``delete()`` without positional arguments (a model's or a
model form's). The Django admin is a superuser's read-only view (core/emergency_admin.py):
Settings, on our own pages, sets the clinic up.
"""

from __future__ import annotations

import ast
from pathlib import Path

import needlepoint

PACKAGE = Path(needlepoint.__file__).parent
ALWAYS = {"create", "get_or_create", "update_or_create", "bulk_create", "bulk_update"}


def is_interface(path: Path) -> bool:
    name = path.name
    return (
        name in {"views.py", "api.py", "forms.py", "tasks.py", "admin.py"}
        or name.endswith(("_views.py", "_forms.py"))
        or path.parent.name == "commands"
    )


def writes(source: str) -> list[str]:
    """The model writes called in ``source``, as ``line: call``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        name, positional = node.func.attr, bool(node.args)
        if (
            name in ALWAYS
            or (name == "update" and node.keywords and not positional)
            or (name in {"save", "delete"} and not positional)
        ):
            found.append(f"{node.lineno}: {ast.unparse(node.func)}")
    return found


def interface_modules() -> list[Path]:
    return sorted(
        path
        for path in PACKAGE.rglob("*.py")
        if "migrations" not in path.parts and is_interface(path)
    )


def test_there_are_interfaces_to_check():
    names = {str(path.relative_to(PACKAGE)) for path in interface_modules()}
    assert {"public/views.py", "notifications/views.py", "clients/api.py"} <= names
    assert {"setup/start_views.py", "setup/team_forms.py", "clients/admin.py"} <= names
    assert "notifications/management/commands/worker.py" in names


def test_no_interface_writes_a_model_itself():
    offending = {
        str(path.relative_to(PACKAGE)): found
        for path in interface_modules()
        if (found := writes(path.read_text()))
    }
    assert offending == {}


def test_the_check_catches_writes_planted_in_a_view():
    planted = """
def view(request, form, draft, data):
    Campaign.objects.create(subject="Hi")
    Feed.objects.filter(staff=1).update(revoked_at=now)
    form.save()
    item.delete()
    Wording.objects.get_or_create(kind="x")
    obj.save(update_fields=["x"])
    data.update({"a": 1})
    draft.save(request.session, location)
"""
    assert writes(planted) == [
        "3: Campaign.objects.create",
        "4: Feed.objects.filter(staff=1).update",
        "5: form.save",
        "6: item.delete",
        "7: Wording.objects.get_or_create",
        "8: obj.save",
    ]
