from typing import Any

from django.core.management.base import BaseCommand

from needlepoint.accounts.permissions import matrix_markdown


class Command(BaseCommand):
    help = "Print who may open each page, as the Markdown table in docs/security.md."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(matrix_markdown())
