"""Sessions in the database, as Django's own store keeps them, read in one plain statement.

Every signed-in request reads its session first; the ORM took longer to build that
``SELECT`` than the database took to answer it. Only the read differs: saving, creating,
expiry and the signed encoding are Django's (the class keeps its name, ``SessionStore``,
because the signature's salt is made from it: sessions already stored stay readable).
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends import db
from django.utils import timezone

from needlepoint.core.plain_sql import instant, rows


class SessionStore(db.SessionStore):
    def load(self) -> dict[str, Any]:
        found = rows(
            "SELECT session_data FROM django_session WHERE session_key = %s AND expire_date > %s",
            [self.session_key, instant(timezone.now())],
        )
        if not found:
            self._session_key = None  # as Django's: a missing or lapsed session starts afresh
            return {}
        data: dict[str, Any] = self.decode(found[0][0])
        return data
