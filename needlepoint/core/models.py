"""Building blocks shared by the domain apps, and the rate limits' counts."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar, TypeVar, cast

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


class OrganisationMismatchError(ValueError):
    """A row was given an organisation other than the one of the row it belongs to."""


_Set = TypeVar("_Set")
_Get = TypeVar("_Get")


class OrganisationOneToOneField(models.OneToOneField[_Set, _Get]):
    """A one-to-one link whose uniqueness leads with the organisation (docs/scaling.md,
    "Partitioning by organisation").

    The ORM keeps the one-to-one's reverse accessor (``booking.session``), but the database
    gets a plain index on the link instead of a unique one; the model declares
    ``UniqueConstraint(fields=["organisation", "<link>"])``. Both rows belong to one
    organisation, so that still allows one row per link. Django follows a reverse link in
    ``select_related`` only over a unique field: read these with ``prefetch_related``.

    A row linked to another organisation's row is refused when it is saved with that row
    at hand (as ``OrganisationRow`` refuses a parent of another organisation).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._unique = False  # OneToOneField forces unique=True; deconstruct() drops it

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        ours = getattr(model_instance, "organisation_id", None)
        theirs = getattr(self.get_cached_value(model_instance, None), "organisation_id", None)
        if None not in (ours, theirs) and ours != theirs:
            raise OrganisationMismatchError(
                f"{type(model_instance).__name__} belongs to organisation {ours}, "
                f"its {self.name} to organisation {theirs}."
            )
        return super().pre_save(model_instance, add)


Row = TypeVar("Row", bound="OrganisationRow")


class OrganisationRowManager(models.Manager[Row]):
    def bulk_create(self, objs: Iterable[Row], *args: Any, **kwargs: Any) -> list[Row]:
        rows = list(objs)
        for row in rows:
            row.take_organisation()
        return super().bulk_create(rows, *args, **kwargs)


class OrganisationRow(models.Model):
    """A row of one organisation's data that reaches it through a parent row.

    The row carries ``organisation_id`` itself (the key to partition and shard by,
    docs/scaling.md), taken from the parent named by ``organisation_from`` whenever the
    row is first saved or bulk-created; a different organisation given with the parent row
    itself is refused. A caller holding only the parent's id passes the organisation too,
    which saves reading the parent.
    """

    organisation_from: ClassVar[str]
    organisation = models.ForeignKey(
        "clinics.Organisation", on_delete=models.PROTECT, related_name="+", db_index=False
    )

    objects = OrganisationRowManager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding or self.organisation_id is None:
            self.take_organisation()
        super().save(*args, **kwargs)

    def full_clean(self, *args: Any, **kwargs: Any) -> None:
        if self.organisation_id is None:
            self.take_organisation()
        super().full_clean(*args, **kwargs)

    def take_organisation(self) -> None:
        field = self._meta.get_field(self.organisation_from)
        assert isinstance(field, models.ForeignKey)
        if getattr(self, field.attname) is None:  # the database refuses the row
            return
        if self.organisation_id is not None and not field.is_cached(self):
            return  # given by the caller with the parent's id only: not read again to check
        parent = getattr(self, self.organisation_from)
        if self.organisation_id is None:
            self.organisation_id = parent.organisation_id
        elif self.organisation_id != parent.organisation_id:
            raise OrganisationMismatchError(
                f"{type(self).__name__} belongs to organisation {parent.organisation_id} "
                f"through its {self.organisation_from}, not {self.organisation_id}."
            )


class JoinRowQuerySet(models.QuerySet[Row]):
    # a many-to-many field's add() and set() bulk-create on a QuerySet, not on the manager
    def bulk_create(self, objs: Iterable[Row], *args: Any, **kwargs: Any) -> list[Row]:
        rows = list(objs)
        model = self.model
        assert issubclass(model, JoinRow)
        model.take_organisations(rows)  # type: ignore[arg-type]
        return super().bulk_create(rows, *args, **kwargs)


class JoinRowManager(OrganisationRowManager[Row]):
    def get_queryset(self) -> JoinRowQuerySet[Row]:
        return JoinRowQuerySet(self.model, using=self._db)

    def bulk_create(self, objs: Iterable[Row], *args: Any, **kwargs: Any) -> list[Row]:
        return self.get_queryset().bulk_create(objs, *args, **kwargs)


class JoinRow(OrganisationRow):
    """A link of a many-to-many field (its ``through`` model) between two rows of one
    organisation, ``organisation_from`` and ``organisation_to``.

    The link carries the organisation like any other row and takes it from its ends; a link
    between two organisations' rows is refused. The field's ``add()`` and ``set()`` make
    links with the ends' ids only, so each end is read once for all the links made.
    """

    organisation_to: ClassVar[str]

    objects: ClassVar[JoinRowManager[Any]] = JoinRowManager()

    class Meta:
        abstract = True

    def take_organisation(self) -> None:
        type(self).take_organisations([self])

    @classmethod
    def take_organisations(cls, rows: list[JoinRow]) -> None:
        for end in (cls.organisation_from, cls.organisation_to):
            field = cls._meta.get_field(end)
            assert isinstance(field, models.ForeignKey)
            ids = {getattr(row, field.attname) for row in rows} - {None}
            if not ids:
                continue
            parent = cast(type[models.Model], field.related_model)
            parents = parent._base_manager.filter(pk__in=ids)
            organisations = dict(parents.values_list("pk", "organisation_id"))
            for row in rows:
                organisation = organisations.get(getattr(row, field.attname))
                if organisation is None:  # no such row: the database refuses the link
                    continue
                if row.organisation_id is None:
                    row.organisation_id = organisation
                elif row.organisation_id != organisation:
                    raise OrganisationMismatchError(
                        f"{cls.__name__} links rows of organisation {row.organisation_id}, "
                        f"not of {organisation} through its {end}."
                    )
