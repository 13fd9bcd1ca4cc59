"""The ``needlepoint`` command: one entry point for running a clinic.

    needlepoint serve [ADDR:PORT]   serve the web app (development server)
    needlepoint worker              run background work: reminders, aftercare, queued tasks
    needlepoint migrate             create or upgrade the database
    needlepoint demo                load the demo clinic (once; safe to repeat)
    needlepoint createowner         create an organisation and its owner account
    needlepoint backup              write one archive of the database and photos (--output PATH)
    needlepoint restore PATH --yes  replace the database and photos with a backup's
                                    (--from-bucket NAME|latest: from NEEDLEPOINT_BACKUP_BUCKET)
    needlepoint doctor              check settings, database, worker, email, backups (1: failed)
    needlepoint importcsv ... FILE  import clients or future appointments from a CSV
    needlepoint exportcsv KIND      clients, bookings, sessions or outcomes as CSV
    needlepoint translations [PKG]  update the .po files from the marked strings (--compile: .mo)

Any other Django management command works too (``needlepoint check --deploy``).
"""

from __future__ import annotations

import os
import sys

COMMANDS = {
    "serve": ["runserver"],
    "migrate": ["migrate", "--no-input"],
    "demo": ["demo"],
    "createowner": ["createowner"],
}


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "needlepoint.settings")
    from django.core.management import execute_from_command_line

    command, rest = args[0], args[1:]
    if command == "serve" and not rest:
        rest = ["127.0.0.1:8000"]
    execute_from_command_line(["needlepoint", *COMMANDS.get(command, [command]), *rest])


if __name__ == "__main__":
    main()
