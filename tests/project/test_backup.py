"""`needlepoint backup` and `needlepoint restore`: every record and photo byte comes back.

The commands reach the database from other connections (pg_dump, sqlite3), so these
tests commit their data (transaction=True). On PostgreSQL, pg_restore replaces the test
database's tables in place; the flush after each test empties them as usual.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from needlepoint.clients.models import Client, QuestionnaireSubmission, Screening
from needlepoint.clinics.models import NeedleConfiguration
from needlepoint.consents.choices import SignatureKind
from needlepoint.consents.models import ConsentForm, SignedConsent
from needlepoint.consents.services import consent_form_publish, consent_sign
from needlepoint.operations import backup
from needlepoint.scheduling.choices import Channel
from needlepoint.scheduling.models import Booking
from needlepoint.scheduling.services import booking_create
from needlepoint.treatments.choices import SessionStatus
from needlepoint.treatments.models import Cartridge, Photo, TreatmentSession, ZoneTreatment
from needlepoint.treatments.services import session_complete
from tests import factories
from tests.treatments.test_charting import BOOKED_AT, VISIT, chart_fully

pytestmark = pytest.mark.django_db(transaction=True)

MODELS = [
    Client,
    QuestionnaireSubmission,
    Screening,
    Booking,
    SignedConsent,
    TreatmentSession,
    ZoneTreatment,
    Cartridge,
    Photo,
]


@pytest.fixture
def photo_root(tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This test's photo folder: the setting, and the photo fields' storage made at import."""
    root = tmp_path / "photos"
    root.mkdir()
    settings.PHOTO_ROOT = root
    for name in ("image", "thumbnail"):
        field = Photo._meta.get_field(name)
        monkeypatch.setattr(field, "storage", FileSystemStorage(location=root))
    return root


@pytest.fixture
def records(clinic: factories.Clinic, photo_root: Path) -> TreatmentSession:
    """A screened client who signed consent, booked, and had a chart completed with a photo."""
    offered = factories.service(clinic.location)
    form = ConsentForm.objects.create(organisation=clinic.organisation, name="Consent")
    form.services.add(offered)
    version = consent_form_publish(form=form, text="Microneedling makes tiny punctures.")
    client = factories.screened_client(clinic.organisation, first_name="Imogen")
    consent_sign(
        client=client,
        form_version=version,
        kind=SignatureKind.TYPED,
        typed_name="Imogen Client",
        now=BOOKED_AT,
    )
    booking = booking_create(
        client=client, service=offered, starts_at=VISIT, channel=Channel.STAFF, now=BOOKED_AT
    )
    configuration = NeedleConfiguration.objects.create(
        organisation=clinic.organisation, device_kind="pen", name="12-pin nano", needle_count=12
    )
    session = chart_fully(clinic, booking, configuration)
    user = clinic.practitioner.user
    return session_complete(session=session, by=user, now=VISIT + timedelta(minutes=45))


def everything(photo_root: Path) -> dict[str, Any]:
    """Every row of the models that matter, field by field, and every photo file's hash."""
    state: dict[str, Any] = {
        model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS
    }
    state["files"] = {
        path.relative_to(photo_root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(photo_root.rglob("*"))
        if path.is_file()
    }
    return state


def make_backup(path: Path) -> Path:
    out = io.StringIO()
    call_command("backup", output=str(path), stdout=out)
    assert str(path) in out.getvalue()
    return path


def rewritten(archive: Path, target: Path, change: Callable[[dict[str, bytes]], None]) -> Path:
    """A copy of the archive with its members changed by ``change`` (name -> bytes)."""
    with tarfile.open(archive) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}
    change(members)
    with tarfile.open(target, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return target


def test_a_backup_restores_every_record_and_photo_after_damage(records, photo_root, tmp_path):
    spare = factories.client(records.client.organisation, first_name="Spare")
    before = everything(photo_root)
    assert len(before["Photo"]) == 1
    assert len(before["files"]) == 2  # the photo and its thumbnail
    assert before["SignedConsent"] and before["QuestionnaireSubmission"]
    out = io.StringIO()
    call_command("backup", output=str(tmp_path / "clinic.tar.gz"), stdout=out)
    assert "2 photo files" in out.getvalue()

    Client.objects.filter(pk=spare.pk).delete()
    Client.objects.filter(pk=records.client_id).update(first_name="Changed", email="x@x.test")
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE consents_signedconsent")
    photo = Photo.objects.get()
    (photo_root / photo.image.name).unlink()
    (photo_root / photo.thumbnail.name).write_bytes(b"not a thumbnail")
    (photo_root / "stray.jpg").write_bytes(b"added after the backup")

    out = io.StringIO()
    call_command("restore", str(tmp_path / "clinic.tar.gz"), yes=True, stdout=out)

    assert "2 photo files" in out.getvalue()
    assert everything(photo_root) == before
    client = Client.objects.get(pk=records.client_id)
    assert (client.first_name, client.email) == ("Imogen", records.client.email)
    assert Client.objects.filter(pk=spare.pk, first_name="Spare").exists()
    assert TreatmentSession.objects.get().status == SessionStatus.COMPLETED
    assert SignedConsent.objects.get().typed_name == "Imogen Client"
    assert not list(tmp_path.glob(".restore-*"))


def test_the_manifest_lists_migrations_row_counts_and_checksums(clinic, photo_root, tmp_path):
    (photo_root / "1").mkdir()
    (photo_root / "1" / "a.jpg").write_bytes(b"photo bytes")
    archive = make_backup(tmp_path / "clinic.tar.gz")
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["format"] == 1
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["migrations"]["treatments"].startswith("000")
    assert manifest["rows"]["clinics_organisation"] == 1
    assert manifest["files"]["photos/1/a.jpg"] == hashlib.sha256(b"photo bytes").hexdigest()
    assert manifest["created_at"].endswith("Z")
    assert archive.stat().st_mode & 0o077 == 0


def test_the_default_archive_goes_to_the_data_folder_and_is_never_overwritten(
    clinic, photo_root, tmp_path, settings
):
    settings.DATA_DIR = tmp_path
    out = io.StringIO()
    call_command("backup", stdout=out)
    written = Path(out.getvalue().splitlines()[0])
    assert written.parent == tmp_path / "backups"
    assert written.name.startswith("needlepoint-backup-") and written.name.endswith("Z.tar.gz")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", output=str(written))


def test_restore_without_yes_is_refused(clinic, photo_root, tmp_path):
    archive = make_backup(tmp_path / "clinic.tar.gz")
    factories.client(clinic.organisation, first_name="Later")
    with pytest.raises(CommandError, match=r"replaces the whole current database.*--yes"):
        call_command("restore", str(archive))
    assert Client.objects.filter(first_name="Later").exists()


def flip_bytes(archive: Path, tmp_path: Path) -> Path:
    data = bytearray(archive.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 16] = bytes(b ^ 0xFF for b in data[middle : middle + 16])
    target = tmp_path / "flipped.tar.gz"
    target.write_bytes(bytes(data))
    return target


def truncate(archive: Path, tmp_path: Path) -> Path:
    target = tmp_path / "truncated.tar.gz"
    target.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    return target


def remove_photo(archive: Path, tmp_path: Path) -> Path:
    return rewritten(archive, tmp_path / "removed.tar.gz", lambda m: m.pop("photos/1/a.jpg"))


def change_photo(archive: Path, tmp_path: Path) -> Path:
    return rewritten(
        archive, tmp_path / "changed.tar.gz", lambda m: m.update({"photos/1/a.jpg": b"other"})
    )


def remove_manifest(archive: Path, tmp_path: Path) -> Path:
    return rewritten(archive, tmp_path / "bare.tar.gz", lambda m: m.pop("manifest.json"))


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (flip_bytes, "damaged"),
        (truncate, "damaged"),
        (remove_photo, "damaged.*photos/1/a.jpg is missing"),
        (change_photo, "damaged.*photos/1/a.jpg does not match its checksum"),
        (remove_manifest, "damaged.*manifest is missing"),
    ],
)
def test_a_damaged_archive_is_refused_and_nothing_changes(
    clinic, photo_root, tmp_path, damage, message
):
    (photo_root / "1").mkdir()
    (photo_root / "1" / "a.jpg").write_bytes(b"photo bytes " * 5000)
    archive = make_backup(tmp_path / "clinic.tar.gz")
    factories.client(clinic.organisation, first_name="Later")
    (photo_root / "1" / "later.jpg").write_bytes(b"a later photo")
    before = everything(photo_root)

    with pytest.raises(CommandError, match=message):
        call_command("restore", str(damage(archive, tmp_path)), yes=True)

    assert everything(photo_root) == before
    assert Client.objects.filter(first_name="Later").exists()
    assert not list(tmp_path.glob(".restore-*"))


def traversal(tar: tarfile.TarFile) -> None:
    info = tarfile.TarInfo("../../escaped.txt")
    info.size = 6
    tar.addfile(info, io.BytesIO(b"gotcha"))


def symlink(tar: tarfile.TarFile) -> None:
    info = tarfile.TarInfo("photos/escaped.txt")
    info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
    tar.addfile(info)


@pytest.mark.parametrize(
    ("member", "message"), [(traversal, "unsafe path"), (symlink, "not a plain file")]
)
def test_a_member_outside_the_archive_is_refused(clinic, photo_root, tmp_path, member, message):
    archive = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        member(tar)
    before = everything(photo_root)

    with pytest.raises(CommandError, match=message):
        call_command("restore", str(archive), yes=True)

    assert not list(tmp_path.parent.rglob("escaped.txt"))
    assert everything(photo_root) == before


def test_a_backup_of_the_other_database_vendor_is_refused(clinic, photo_root, tmp_path):
    archive = make_backup(tmp_path / "clinic.tar.gz")
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"

    def other_vendor(members: dict[str, bytes]) -> None:
        manifest = json.loads(members["manifest.json"])
        manifest["database"]["vendor"] = other
        members["manifest.json"] = json.dumps(manifest).encode()

    with pytest.raises(CommandError, match=f"holds a {other} database"):
        call_command(
            "restore", str(rewritten(archive, tmp_path / "o.tar.gz", other_vendor)), yes=True
        )


def test_a_failed_database_restore_puts_the_photos_back(clinic, photo_root, tmp_path, monkeypatch):
    archive = make_backup(tmp_path / "clinic.tar.gz")
    (photo_root / "later.jpg").write_bytes(b"a later photo")
    before = everything(photo_root)

    def fail(vendor: str, dump: Path) -> None:
        raise CommandError("pg_restore failed: out of disk space")

    monkeypatch.setattr(backup, "_restore_database", fail)
    with pytest.raises(CommandError, match="out of disk space"):
        call_command("restore", str(archive), yes=True)

    assert everything(photo_root) == before
    assert not list(tmp_path.glob(".restore-*"))
