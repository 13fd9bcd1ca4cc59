"""Backups: one .tar.gz with the database, the clients' photos and a manifest of checksums.

The photos (and reviewers' letters) come from the private storage: the photo folder, or
the bucket when one is configured; a restore puts them back where they came from.

``needlepoint backup`` writes an archive, to the backup folder or, when
``NEEDLEPOINT_BACKUP_BUCKET`` is set, to that bucket; ``needlepoint restore`` verifies every
file in it against the manifest before it changes anything. See docs/backups.md.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from botocore.exceptions import ClientError
from django.conf import settings
from django.core.files.storage import storages
from django.core.management.base import CommandError
from django.db import connection, connections, transaction
from storages.backends.s3 import S3Storage

from needlepoint.core.storage import PRIVATE, STORE_ERRORS

FORMAT = 1
MANIFEST = "manifest.json"
PHOTOS = "photos"
BACKUPS = "backups"  # the STORAGES entry of the backup bucket, when there is one
ARCHIVE_PREFIX = "needlepoint-backup-"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


# Writing a backup


def create_backup(output: Path | str | None = None) -> tuple[Path, dict[str, Any]]:
    """Write the archive (never over an existing file) and return its path and manifest."""
    now = datetime.now(UTC)
    name = f"{ARCHIVE_PREFIX}{now:%Y%m%dT%H%M%SZ}.tar.gz"
    path = Path(output) if output else backup_dir() / name
    if path.is_dir():
        path = path / name
    path = path.resolve()
    if path.exists():
        raise CommandError(f"{path} already exists: choose another --output.")
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    vendor = database_vendor()
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".backup-") as work:
        database = Path(work) / DATABASE_FILES[vendor]
        inventory = _dump_sqlite(database) if vendor == "sqlite" else _dump_postgresql(database)
        manifest = {
            "format": FORMAT,
            "created_at": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "database": {"vendor": vendor, "file": database.name},
            **inventory,
        }
        partial = Path(work) / "archive.tar.gz"
        _write_archive(partial, database, manifest)
        partial.chmod(0o600)  # it holds clients' health records
        partial.replace(path)
    return path, manifest


def store_backup(output: Path | str | None = None) -> tuple[str, int, dict[str, Any]]:
    """Write an archive to ``output``, else to the backup bucket when one is set, else to
    the backup folder; return where it is, its size in bytes and its manifest."""
    bucket = None if output else backup_bucket()
    if bucket is None:
        path, manifest = create_backup(output)
        return str(path), path.stat().st_size, manifest
    with tempfile.TemporaryDirectory(prefix="needlepoint-backup-") as work:
        path, manifest = create_backup(work)
        failed = f"The backup bucket {bucket.name} could not be written"
        try:
            if any(summary.key == path.name for summary in bucket.objects.filter(Prefix=path.name)):
                raise CommandError(f"{path.name} is already in the bucket {bucket.name}.")
            # In parts when large; a failed upload is abandoned whole, never left half there.
            bucket.upload_file(str(path), path.name)
        except STORE_ERRORS as error:
            raise CommandError(f"{failed} ({error}); no backup was stored.") from error
        return f"s3://{bucket.name}/{path.name}", path.stat().st_size, manifest


def backup_bucket() -> Any | None:
    """The bucket archives are kept in (boto3's ``Bucket``); None: the backup folder."""
    if BACKUPS not in settings.STORAGES:
        return None
    return storages[BACKUPS].bucket  # type: ignore[attr-defined]  # an S3Storage


def bucket_archives(bucket: Any) -> list[Any]:
    """The archives in the backup bucket, oldest first (their names hold the UTC time)."""
    found = bucket.objects.filter(Prefix=ARCHIVE_PREFIX)
    return sorted(
        (summary for summary in found if summary.key.endswith(".tar.gz")),
        key=lambda summary: summary.key,
    )


@contextmanager
def fetched_backup(name: str) -> Iterator[Path]:
    """The archive ``name`` (or the ``latest``) from the backup bucket, in a temporary
    folder for as long as the restore needs it."""
    bucket = backup_bucket()
    if bucket is None:
        raise CommandError(
            "No backup bucket is set (NEEDLEPOINT_BACKUP_BUCKET): give the archive's path."
        )
    with tempfile.TemporaryDirectory(prefix="needlepoint-restore-") as work:
        try:
            if name == "latest":
                archives = bucket_archives(bucket)
                if not archives:
                    raise CommandError(f"The bucket {bucket.name} holds no backup.")
                name = archives[-1].key
            path = Path(work) / Path(name).name
            bucket.download_file(name, str(path))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in {"404", "NoSuchKey"}:
                raise CommandError(
                    f"{name} is not in the bucket {bucket.name}; nothing was restored."
                ) from error
            raise _unreadable(bucket, error) from error
        except STORE_ERRORS as error:
            raise _unreadable(bucket, error) from error
        yield path


def _unreadable(bucket: Any, error: Exception) -> CommandError:
    return CommandError(
        f"The backup bucket {bucket.name} could not be read ({error}); nothing was restored."
    )


def backup_dir() -> Path:
    """Where archives go by default: ``NEEDLEPOINT_BACKUP_DIR``, else DATA_DIR/backups."""
    return Path(settings.BACKUP_DIR or Path(settings.DATA_DIR) / "backups")


def database_vendor() -> str:
    vendor = connection.vendor
    if vendor not in DATABASE_FILES:
        raise CommandError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def _dump_sqlite(target: Path) -> dict[str, Any]:
    source_path = Path(settings.DATABASES["default"]["NAME"])
    if not source_path.is_file():
        raise CommandError(f"The database file {source_path} does not exist.")
    with (
        closing(sqlite3.connect(source_path, timeout=20)) as source,
        closing(sqlite3.connect(target)) as copy,
    ):
        source.backup(copy)  # the online backup API: a consistent copy while the app runs
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        cursor = copy.cursor()
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        tables = [row[0] for row in cursor.fetchall() if not row[0].startswith("sqlite_")]
        return _inventory(cursor, tables)


def _dump_postgresql(target: Path) -> dict[str, Any]:
    args, env = _pg_connection()
    with transaction.atomic(), connection.cursor() as cursor:
        # pg_dump reads the snapshot this transaction exports, so the counts match the dump.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        inventory = _inventory(cursor, connection.introspection.table_names(cursor))
        dump = ["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}"]
        _run([*dump, *args], env)
    return inventory


def _inventory(cursor: Any, tables: list[str]) -> dict[str, Any]:
    """The latest applied migration per app and the row count of every table."""
    if "django_migrations" not in tables:
        raise CommandError("The database has no tables yet: run `needlepoint migrate` first.")
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
    migrations = dict(cursor.fetchall())  # later rows, the latest applied, win
    rows = {}
    for table in sorted(tables):
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
        rows[table] = cursor.fetchone()[0]
    return {"migrations": dict(sorted(migrations.items())), "rows": rows}


def _write_archive(path: Path, database: Path, manifest: dict[str, Any]) -> None:
    """Add the database and every photo, hashing each as it is written; the manifest last."""
    files: dict[str, str] = {}
    with tarfile.open(path, "w:gz") as archive:
        bucket = private_bucket()
        if bucket is None:
            photo_root = Path(settings.PHOTO_ROOT)
            sources = [(database, database.name)] + [
                (photo, f"{PHOTOS}/{photo.relative_to(photo_root).as_posix()}")
                for photo in _photo_files(photo_root)
            ]
        else:
            sources = [(database, database.name)]
        for source, name in sources:
            with source.open("rb") as file:
                reader = _HashingReader(file)
                archive.addfile(archive.gettarinfo(arcname=name, fileobj=file), reader)
                files[name] = reader.sha256.hexdigest()
        if bucket is not None:
            _add_bucket(archive, bucket, files)
        manifest["files"] = files
        data = json.dumps(manifest, indent=2).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mtime, info.mode = len(data), int(datetime.now(UTC).timestamp()), 0o600
        archive.addfile(info, io.BytesIO(data))


def private_bucket() -> Any | None:
    """The bucket clinical files are kept in (boto3's ``Bucket``); None: the local folder."""
    storage = storages[PRIVATE]
    return storage.bucket if isinstance(storage, S3Storage) else None


def _add_bucket(archive: tarfile.TarFile, bucket: Any, files: dict[str, str]) -> None:
    """Every object of the bucket, streamed into the archive under photos/."""
    try:
        for summary in bucket.objects.all():
            if summary.key.endswith("/"):
                continue  # a folder marker, no file
            body = summary.get()
            name = f"{PHOTOS}/{summary.key}"
            info = tarfile.TarInfo(name)
            info.size, info.mode = body["ContentLength"], 0o600
            info.mtime = int(body["LastModified"].timestamp())
            reader = _HashingReader(body["Body"])
            archive.addfile(info, reader)
            files[name] = reader.sha256.hexdigest()
    except STORE_ERRORS as error:
        raise CommandError(
            f"The file store could not be read ({error}); no backup was written."
        ) from error


def _photo_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file() and not path.is_symlink())


class _HashingReader:
    """Hashes a file while tarfile copies it, so the checksum is of the bytes archived."""

    def __init__(self, file: BinaryIO) -> None:
        self.file = file
        self.sha256 = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.file.read(size)
        self.sha256.update(data)
        return data


# Restoring a backup


def restore_backup(archive: Path | str) -> dict[str, Any]:
    """Verify the archive, then replace the database and the photo folder; or change nothing."""
    archive = Path(archive)
    if not archive.is_file():
        raise CommandError(f"{archive} is not a file.")
    vendor = database_vendor()
    bucket = private_bucket()
    if bucket is not None:
        return _restore_with_bucket(archive, vendor, bucket)
    photo_root = Path(settings.PHOTO_ROOT)
    photo_root.parent.mkdir(parents=True, exist_ok=True)
    # Unpacked beside the photo folder, so the new one moves in with a rename.
    with tempfile.TemporaryDirectory(dir=photo_root.parent, prefix=".restore-") as work:
        unpacked = Path(work) / "archive"
        manifest = _unpack_verified(archive, unpacked)
        _check_vendor(manifest, vendor)
        previous = Path(work) / "previous-photos"
        _swap_photos(unpacked / PHOTOS, photo_root, previous)
        try:
            _restore_database(vendor, unpacked / manifest["database"]["file"])
        except BaseException:
            photo_root.rename(Path(work) / "restored-photos")
            if previous.exists():
                previous.rename(photo_root)
            raise
    return manifest


def _restore_with_bucket(archive: Path, vendor: str, bucket: Any) -> dict[str, Any]:
    """Put the backup's files into the bucket, restore the database, then remove the objects
    the backup does not hold. When the database restore fails, the objects it added are
    removed again; an object the backup also holds keeps the backup's bytes (a stored file
    is never rewritten under its name, so they are the same bytes)."""
    with tempfile.TemporaryDirectory(prefix="needlepoint-restore-") as work:
        unpacked = Path(work) / "archive"
        manifest = _unpack_verified(archive, unpacked)
        _check_vendor(manifest, vendor)
        folder = unpacked / PHOTOS
        restored = {path.relative_to(folder).as_posix(): path for path in _photo_files(folder)}
        try:
            before = {summary.key for summary in bucket.objects.all()}
        except STORE_ERRORS as error:
            raise CommandError(
                f"The file store could not be reached ({error}); nothing was restored."
            ) from error
        added: list[str] = []
        try:
            for key, path in restored.items():
                if key not in before:
                    added.append(key)
                bucket.upload_file(str(path), key)
            _restore_database(vendor, unpacked / manifest["database"]["file"])
        except BaseException as error:
            _delete_objects(bucket, added, quietly=True)
            if isinstance(error, STORE_ERRORS):
                raise CommandError(
                    f"The file store failed ({error}); the database was not restored."
                ) from error
            raise
    strays = sorted(before - set(restored))
    try:
        _delete_objects(bucket, strays)
    except STORE_ERRORS as error:
        raise CommandError(
            f"The database and files were restored, but {len(strays)} files the backup does "
            f"not hold are still in the bucket ({error}): run the restore again."
        ) from error
    return manifest


def _delete_objects(bucket: Any, keys: list[str], *, quietly: bool = False) -> None:
    for start in range(0, len(keys), 1000):  # S3 takes at most 1,000 keys per request
        batch = [{"Key": key} for key in keys[start : start + 1000]]
        try:
            bucket.delete_objects(Delete={"Objects": batch, "Quiet": True})
        except STORE_ERRORS:
            if not quietly:
                raise


def _check_vendor(manifest: dict[str, Any], vendor: str) -> None:
    if manifest["database"]["vendor"] != vendor:
        raise CommandError(
            f"This backup holds a {manifest['database']['vendor']} database but this "
            f"installation uses {vendor}: nothing was restored."
        )


def _unpack_verified(archive: Path, target: Path) -> dict[str, Any]:
    damaged = f"{archive} is damaged or not a Needlepoint backup; nothing was restored"
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar.getmembers():
                if not (member.isfile() or member.isdir()):
                    raise CommandError(f"{damaged}: {member.name!r} is not a plain file.")
            tar.extractall(target, filter="data")  # refuses paths outside the target
    except tarfile.FilterError as error:
        message = f"{archive} holds an unsafe path ({error}); nothing was restored."
        raise CommandError(message) from error
    except (tarfile.TarError, EOFError, OSError, zlib.error) as error:
        raise CommandError(f"{damaged} ({error}).") from error
    return _verified_manifest(target, damaged)


def _verified_manifest(root: Path, damaged: str) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads((root / MANIFEST).read_text())
        expected: dict[str, str] = manifest["files"]
        database_file = manifest["database"]["file"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise CommandError(f"{damaged}: its manifest is missing or unreadable.") from error
    if manifest.get("format") != FORMAT:
        raise CommandError(
            f"Backup format {manifest.get('format')!r} is not one this version reads."
        )
    found = {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()}
    found.discard(MANIFEST)
    missing, unlisted = sorted(set(expected) - found), sorted(found - set(expected))
    if missing:
        raise CommandError(f"{damaged}: {missing[0]} is missing.")
    if unlisted:
        raise CommandError(f"{damaged}: {unlisted[0]} is not in its manifest.")
    if database_file not in expected:
        raise CommandError(f"{damaged}: it holds no database.")
    for name, digest in expected.items():
        if _sha256(root / name) != digest:
            raise CommandError(f"{damaged}: {name} does not match its checksum.")
    return manifest


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _swap_photos(new: Path, photo_root: Path, previous: Path) -> None:
    new.mkdir(exist_ok=True)  # a backup of a clinic without photos
    try:
        if photo_root.exists():
            photo_root.rename(previous)
        new.rename(photo_root)
    except OSError as error:
        if previous.exists() and not photo_root.exists():
            previous.rename(photo_root)
        message = f"Could not replace {photo_root}: {error}. Nothing was restored."
        raise CommandError(message) from error


def _restore_database(vendor: str, dump: Path) -> None:
    connections.close_all()
    if vendor == "sqlite":
        target = Path(settings.DATABASES["default"]["NAME"])
        target.parent.mkdir(parents=True, exist_ok=True)
        with (
            closing(sqlite3.connect(dump)) as source,
            closing(sqlite3.connect(target, timeout=20)) as destination,
        ):
            source.backup(destination)  # replaces every page in one write transaction
        return
    args, env = _pg_connection()
    restore = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction"]
    _run([*restore, *args, str(dump)], env)


# PostgreSQL client tools


def _pg_connection() -> tuple[list[str], dict[str, str]]:
    """Arguments and environment for pg_dump and pg_restore, from the database settings."""
    database = settings.DATABASES["default"]
    args = ["--no-password", f"--dbname={database['NAME']}"]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if database.get(key):
            args.append(f"{flag}={database[key]}")
    env = dict(os.environ)
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])
    if database.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = str(database["OPTIONS"]["sslmode"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise CommandError(f"{command[0]} was not found: install the PostgreSQL client tools.")
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise CommandError(f"{command[0]} failed: {result.stderr.strip()}")


def describe(manifest: dict[str, Any]) -> str:
    """'4,512 rows in 61 tables, 240 photo files' (a photo is two files: it and its thumbnail)."""
    rows = sum(manifest["rows"].values())
    files = sum(1 for name in manifest["files"] if name.startswith(f"{PHOTOS}/"))
    plural = "" if files == 1 else "s"
    return f"{rows:,} rows in {len(manifest['rows'])} tables, {files:,} photo file{plural}"
