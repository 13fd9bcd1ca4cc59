"""Building blocks shared by the domain apps, and the rate limits' counts."""

from __future__ import annotations

from typing import Any

from django.db import models


class ImmutableRecordError(Exception):
    """Raised when code tries to change or delete a record that must never change."""


class ImmutableModel(models.Model):
    """A row written once: saving an existing row or deleting it raises.

    Corrections are new rows (a new questionnaire version, an addendum), so the
    record a decision was made on stays exactly as it was.
    """

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableRecordError(
                f"{type(self).__name__} records are never changed; write a new one."
            )
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ImmutableRecordError(f"{type(self).__name__} records are never deleted.")


class RateCount(models.Model):
    """The requests one key made in one rate-limit window (core/throttle.py).

    The key is a hash of the scope, who asked and the window: no email or address is
    stored. A row is dead once its window has ended; the daily purge deletes it.
    """

    key = models.CharField(max_length=64, primary_key=True)
    count = models.PositiveIntegerField()
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.count} until {self.expires_at:%Y-%m-%d %H:%M} UTC"
