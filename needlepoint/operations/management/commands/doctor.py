"""``needlepoint doctor``: check this installation and say plainly what to fix."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from needlepoint.operations.doctor import FAIL, OK, WARN, examine


class Command(BaseCommand):
    help = (
        "Check settings, the database and its migrations, the worker, email, the data "
        "folder and backups. Exits 1 when any check fails (for monitoring)."
    )
    requires_system_checks: list[str] = []  # it reports them itself, as one finding

    def handle(self, *args: Any, **options: Any) -> None:
        findings = examine()
        styles = {OK: self.style.SUCCESS, WARN: self.style.WARNING, FAIL: self.style.ERROR}
        for finding in findings:
            status = styles[finding.status](f"{finding.status:<4}")
            self.stdout.write(f"{status}  {finding.name:<14} {finding.message}")
        failed = sum(finding.status == FAIL for finding in findings)
        warned = sum(finding.status == WARN for finding in findings)
        summary = f"{failed} failed, {warned} to look at, {len(findings) - failed - warned} OK."
        if failed:
            raise CommandError(summary, returncode=1)
        self.stdout.write(summary)
