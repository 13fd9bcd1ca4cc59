"""``needlepoint purge``: delete the clinical records whose retention period has ended.

Run it daily from cron (the worker also runs it once a day). See privacy/erasure.py.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from needlepoint.privacy.erasure import purge_due


class Command(BaseCommand):
    help = "Purge the clinical records of erased clients whose retention period has ended."

    def handle(self, *args: Any, **options: Any) -> None:
        purged = purge_due()
        for client in purged:
            self.stdout.write(
                f"Purged client {client.public_id} (kept until {client.purge_after:%Y-%m-%d})."
            )
        self.stdout.write(f"{len(purged)} clinical record{'s' if len(purged) != 1 else ''} purged.")
