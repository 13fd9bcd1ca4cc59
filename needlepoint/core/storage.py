"""Where clinical files live (treatment photos, reviewers' letters): the "private" entry of
``settings.STORAGES``.

A folder on this machine by default; an S3 bucket when ``NEEDLEPOINT_S3_BUCKET`` is set
(docs/configuration.md). Either way the files are never web-served and have no URL: the
app's permission-checked views read them and stream them, each look audited.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db.models.fields.files import FieldFile
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy
from storages.backends.s3 import S3Storage

from needlepoint.core.errors import DomainError

PRIVATE = "private"
# What a store that cannot be reached raises: the disk (OSError) or an S3 server.
STORE_ERRORS = (OSError, BotoCoreError, ClientError)

log = logging.getLogger(__name__)


class PrivateFileStorage(FileSystemStorage):
    """The local folder ``PHOTO_ROOT``, outside the static and media roots, readable by the
    app's user alone.

    The folder is read from the setting at each use, not once when the models load, so a
    changed setting (a restore, a test's scratch folder) is followed.
    """

    def __init__(self, **kwargs: Any) -> None:
        modes = {"file_permissions_mode": 0o600, "directory_permissions_mode": 0o700}
        super().__init__(**{**modes, **kwargs, "base_url": None})

    @property
    def base_location(self) -> str:
        return str(settings.PHOTO_ROOT)

    @property
    def location(self) -> str:
        return str(Path(self.base_location).resolve())


class PrivateS3Storage(S3Storage):  # type: ignore[misc]  # django-storages has no types
    """A bucket of its own: objects written without an ACL (so private to the bucket's
    owner), never overwritten, and never given a URL, signed or not."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**{**kwargs, "default_acl": None, "file_overwrite": False})

    def url(self, name: str, *args: Any, **kwargs: Any) -> str:
        raise NotImplementedError("Private files have no URL: a checked view serves them.")


class PrivateStorage(Storage):
    """``storages["private"]``, looked up at each use.

    A model field keeps the storage object it was given when the models loaded; this one
    follows the setting instead, so a changed ``STORAGES`` (a test, a restore) is obeyed.
    """

    def __getattribute__(self, name: str) -> Any:
        if name.startswith("__"):
            return super().__getattribute__(name)
        return getattr(storages[PRIVATE], name)


private_storage = PrivateStorage()

NOT_SAVED = gettext_lazy(
    "The file store could not be reached, so nothing was saved. Please try again."
)
NOT_READ = gettext_lazy("The file store could not be reached. Please try again in a moment.")


@contextmanager
def store_errors(message: str | Promise = NOT_SAVED) -> Iterator[None]:
    """A store that fails becomes one clear ``DomainError``; pages show its message."""
    try:
        yield
    except FileNotFoundError:
        raise
    except STORE_ERRORS as error:
        log.warning("file store error: %s", error)
        raise DomainError("storage_unavailable", str(message)) from error


def remove_quietly(*files: FieldFile) -> None:
    """Take back files written for a row that was not saved; a store that is down leaves
    the object behind (logged by name) rather than hiding the first error."""
    for file in files:
        if not file:
            continue
        try:
            file.delete(save=False)
        except STORE_ERRORS as error:
            log.error("could not remove %s from the file store: %s", file.name, error)


def opened(file: FieldFile) -> File[bytes]:
    """The stored file, open and readable, before a response starts: a store that fails
    raises ``DomainError`` here rather than in the middle of the download."""
    with store_errors(NOT_READ):
        file.open("rb")
        file.file.read(0)  # S3: fetch it now
    return file
