"""Clinical files in the private storage: a folder on this machine, or an S3 bucket on a
real S3-compatible server (moto, in its own process). The same journeys run on both.

Uploaded through the chart page, a photo lands in the store (in the bucket, not on disk),
without its metadata; only the clinic's clinical staff can see it, each look audited. A
store that fails gives a clear message and leaves nothing half-written; trying again
works. `needlepoint backup` and `restore` carry the bucket's objects.
"""

from __future__ import annotations

import html
import io
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError
from django.urls import reverse
from PIL import Image

from needlepoint.audit.models import AuditEvent
from needlepoint.clients.models import ClinicalReview
from needlepoint.core.errors import DomainError
from needlepoint.operations import backup
from needlepoint.operations.backup import BACKUPS
from needlepoint.settings import s3_storage
from needlepoint.treatments.models import Photo, TreatmentSession
from needlepoint.treatments.services import photo_add
from tests import factories
from tests.clients.test_clinical_reviews import NOW, PDF, client_declaring, record
from tests.core.test_doctor import finding
from tests.tools.s3server import ACCESS_KEY, REGION, SECRET_KEY, FaultyS3, S3Server

VISIT = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
NOT_SAVED = "The file store could not be reached, so nothing was saved. Please try again."
NOT_READ = "The file store could not be reached. Please try again in a moment."


@dataclass
class Store:
    """What the private storage holds, read behind the app's back."""

    kind: str
    folder: Path
    bucket: str = ""
    endpoint_url: str = ""

    def client(self) -> Any:
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
        )

    def files(self) -> dict[str, bytes]:
        if self.kind == "disk":
            return {
                path.relative_to(self.folder).as_posix(): path.read_bytes()
                for path in self.folder.rglob("*")
                if path.is_file()
            }
        s3 = self.client()
        listed = s3.list_objects_v2(Bucket=self.bucket).get("Contents", [])
        return {
            item["Key"]: s3.get_object(Bucket=self.bucket, Key=item["Key"])["Body"].read()
            for item in listed
        }

    def write(self, name: str, data: bytes) -> None:
        if self.kind == "disk":
            (self.folder / name).parent.mkdir(parents=True, exist_ok=True)
            (self.folder / name).write_bytes(data)
        else:
            self.client().put_object(Bucket=self.bucket, Key=name, Body=data)

    def remove(self, name: str) -> None:
        if self.kind == "disk":
            (self.folder / name).unlink()
        else:
            self.client().delete_object(Bucket=self.bucket, Key=name)


def in_a_bucket(
    settings: Any, monkeypatch: pytest.MonkeyPatch, endpoint_url: str, entry: str = "private"
) -> Store:
    """A fresh bucket on the server, made the private storage (or the ``backups`` one);
    the folder stays empty."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    folder = Path(settings.PHOTO_ROOT if entry == "private" else backup.backup_dir())
    store = Store("bucket", folder, f"np-{uuid.uuid4().hex[:12]}", endpoint_url)
    store.client().create_bucket(Bucket=store.bucket)
    settings.STORAGES = {
        **settings.STORAGES,
        entry: s3_storage(store.bucket, endpoint_url, REGION),
    }
    return store


@pytest.fixture(params=["disk", "bucket"])
def store(request: pytest.FixtureRequest, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Store:
    if request.param == "disk":
        return Store("disk", Path(settings.PHOTO_ROOT))
    server = request.getfixturevalue("s3_server")
    return in_a_bucket(settings, monkeypatch, server.endpoint_url)


@pytest.fixture
def faulty(s3_server: S3Server) -> Iterator[FaultyS3]:
    proxy = FaultyS3(s3_server.endpoint_url)
    yield proxy
    proxy.stop()


@pytest.fixture
def chart(clinic: factories.Clinic) -> TreatmentSession:
    with time_machine.travel(VISIT, tick=False):
        return factories.open_chart(clinic, VISIT)


def jpeg_with_metadata() -> bytes:
    """A phone photo that says where and with what it was taken."""
    exif = Image.Exif()
    exif[0x010F] = "SecretCam Maker"  # Make
    exif[0x0131] = "SecretCam 1.0"  # Software
    out = io.BytesIO()
    Image.new("RGB", (400, 300), (210, 160, 150)).save(out, format="JPEG", exif=exif)
    return out.getvalue()


def a_photo(clinic: factories.Clinic, chart: TreatmentSession) -> Any:
    """A front photo before the visit, added to ``chart`` as its practitioner."""
    return photo_add(
        session=chart,
        view="front",
        timing="before",
        data=jpeg_with_metadata(),
        by=clinic.practitioner.user,
        now=VISIT,
    )


def upload(clinic: factories.Clinic, session: TreatmentSession) -> str:
    """The practitioner uploads a photo on the chart page; the page shown after."""
    url = reverse("treatments:action", args=[session.public_id, "photo"])
    data = {"view": "front", "timing": "before", "image": io.BytesIO(jpeg_with_metadata())}
    with time_machine.travel(VISIT, tick=False):
        response = factories.signed_in(clinic.practitioner).post(url, data, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def look(who: Any, photo: Photo, size: str = "full") -> Any:
    with time_machine.travel(VISIT, tick=False):
        return factories.signed_in(who).get(
            reverse("treatments:photo", args=[photo.public_id, size])
        )


def test_a_photo_is_stored_without_metadata_and_served_only_to_the_clinic(
    store, clinic, other_clinic, chart
):
    assert b"SecretCam" in jpeg_with_metadata()
    upload(clinic, chart)

    photo = Photo.objects.get()
    stored = store.files()
    assert set(stored) == {photo.image.name, photo.thumbnail.name}
    for data in stored.values():
        assert b"SecretCam" not in data
        assert not Image.open(io.BytesIO(data)).getexif()
    if store.kind == "bucket":
        assert not [path for path in store.folder.rglob("*") if path.is_file()]  # not on disk
        acl = store.client().get_object_acl(Bucket=store.bucket, Key=photo.image.name)
        assert [grant["Permission"] for grant in acl["Grants"]] == ["FULL_CONTROL"]
        assert "URI" not in acl["Grants"][0]["Grantee"]  # the owner's, no group's
        with pytest.raises(NotImplementedError):
            photo.image.url  # noqa: B018

    seen = look(clinic.practitioner, photo)
    assert seen.status_code == 200
    assert seen["Content-Type"] == "image/jpeg"
    assert seen["Cache-Control"] == "no-store"
    assert b"".join(seen.streaming_content) == stored[photo.image.name]
    thumb = look(clinic.practitioner, photo, "thumb")
    assert b"".join(thumb.streaming_content) == stored[photo.thumbnail.name]
    views = AuditEvent.objects.filter(action="viewed", target="photo", target_id=photo.public_id)
    assert views.count() == 2

    assert look(clinic.front_desk, photo).status_code == 403
    assert look(other_clinic.practitioner, photo).status_code == 404
    assert views.count() == 2


GERMAN = {
    NOT_SAVED: "Der Dateispeicher war nicht erreichbar, daher wurde nichts gespeichert.",
    NOT_READ: "Der Dateispeicher war nicht erreichbar. Bitte versuchen Sie es gleich noch einmal.",
}


@pytest.mark.parametrize(("status", "language"), [(500, "en-gb"), (503, "de")])
def test_a_failing_store_refuses_the_upload_clearly_and_a_retry_works(
    status, language, clinic, chart, settings, monkeypatch, faulty
):
    said = (lambda message: GERMAN[message]) if language == "de" else (lambda message: message)
    factories.offers_every_language(clinic)
    clinic.practitioner.language = language
    clinic.practitioner.save()
    store = in_a_bucket(settings, monkeypatch, faulty.endpoint_url)
    store.endpoint_url = faulty.upstream  # read the bucket behind the proxy's back
    faulty.status, faulty.failing = status, True

    shown = upload(clinic, chart)

    assert said(NOT_SAVED) in html.unescape(shown)
    assert faulty.requests_refused > 0
    assert not Photo.objects.exists()
    assert store.files() == {}

    faulty.failing = False
    shown = upload(clinic, chart)
    assert said(NOT_SAVED) not in html.unescape(shown)
    photo = Photo.objects.get()
    assert set(store.files()) == {photo.image.name, photo.thumbnail.name}

    faulty.failing = True
    refused = look(clinic.practitioner, photo)
    assert refused.status_code == 503
    assert said(NOT_READ) in refused.content.decode()
    assert not AuditEvent.objects.filter(action="viewed", target_id=photo.public_id).exists()
    faulty.failing = False
    assert look(clinic.practitioner, photo).status_code == 200


def test_a_store_failing_between_the_photo_and_its_thumbnail_leaves_neither(
    clinic, chart, settings, monkeypatch, faulty
):
    store = in_a_bucket(settings, monkeypatch, faulty.endpoint_url)
    store.endpoint_url = faulty.upstream
    faulty.fail_puts_after = 1  # the photo is written, its thumbnail is refused

    assert NOT_SAVED in upload(clinic, chart)

    assert faulty.requests_refused > 0
    assert not Photo.objects.exists()
    assert store.files() == {}
    faulty.fail_puts_after = None
    upload(clinic, chart)
    assert len(store.files()) == 2


def test_a_failed_database_write_leaves_no_object_behind(store, clinic, chart, monkeypatch):
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise DatabaseError("disk full")

    monkeypatch.setattr(Photo, "save", refuse)
    with pytest.raises(DatabaseError):
        a_photo(clinic, chart)
    assert store.files() == {}


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_carry_the_stored_files(store, clinic, chart, tmp_path):
    photo = a_photo(clinic, chart)
    before = store.files()
    assert len(before) == 2
    out = io.StringIO()
    call_command("backup", output=str(tmp_path / "clinic.tar.gz"), stdout=out)
    assert "2 photo files" in out.getvalue()

    Photo.objects.all().delete()
    store.remove(photo.image.name)
    store.write(photo.thumbnail.name, b"not a thumbnail")
    store.write("1/stray.jpg", b"added after the backup")

    out = io.StringIO()
    call_command("restore", str(tmp_path / "clinic.tar.gz"), yes=True, stdout=out)

    assert "2 photo files" in out.getvalue()
    assert store.files() == before
    restored = Photo.objects.get()
    assert restored.public_id == photo.public_id
    seen = look(clinic.practitioner, restored)
    assert b"".join(seen.streaming_content) == before[photo.image.name]
    if store.kind == "bucket":
        assert not [path for path in store.folder.rglob("*") if path.is_file()]


@pytest.mark.django_db(transaction=True)
def test_a_backup_is_refused_when_the_bucket_cannot_be_read(
    clinic, chart, settings, monkeypatch, faulty, tmp_path
):
    in_a_bucket(settings, monkeypatch, faulty.endpoint_url)
    a_photo(clinic, chart)
    faulty.failing = True
    with pytest.raises(CommandError, match=r"file store could not be read.*no backup was written"):
        call_command("backup", output=str(tmp_path / "clinic.tar.gz"), stdout=io.StringIO())
    assert list(tmp_path.iterdir()) == []


@pytest.mark.django_db(transaction=True)
def test_a_failed_database_restore_takes_the_added_objects_back_out(
    store, clinic, chart, tmp_path, monkeypatch
):
    a_photo(clinic, chart)
    call_command("backup", output=str(tmp_path / "clinic.tar.gz"), stdout=io.StringIO())
    for name in list(store.files()):
        store.remove(name)
    store.write("1/later.jpg", b"a later photo")
    before = store.files()

    def fail(vendor: str, dump: Path) -> None:
        raise CommandError("pg_restore failed: out of disk space")

    monkeypatch.setattr(backup, "_restore_database", fail)
    with pytest.raises(CommandError, match="out of disk space"):
        call_command("restore", str(tmp_path / "clinic.tar.gz"), yes=True)

    assert store.files() == before


@pytest.mark.django_db(transaction=True)
def test_archives_go_to_the_backup_bucket_and_are_restored_from_it(
    store, clinic, chart, settings, monkeypatch, s3_server
):
    archives = in_a_bucket(settings, monkeypatch, s3_server.endpoint_url, entry=BACKUPS)
    photo = a_photo(clinic, chart)
    before = store.files()
    out = io.StringIO()
    call_command("backup", stdout=out)

    [name] = archives.files()
    assert name.startswith("needlepoint-backup-") and name.endswith(".tar.gz")
    assert f"s3://{archives.bucket}/{name}" in out.getvalue()
    assert "2 photo files" in out.getvalue()
    assert not archives.folder.exists() or not list(archives.folder.iterdir())  # not on disk
    grants = archives.client().get_object_acl(Bucket=archives.bucket, Key=name)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert "URI" not in grants[0]["Grantee"]  # the owner's, no group's
    status, message = finding("backups")
    assert (status, message.split(", is ")[0]) == (
        "OK",
        f"The newest backup, s3://{archives.bucket}/{name}",
    )

    Photo.objects.all().delete()
    store.remove(photo.image.name)
    out = io.StringIO()
    call_command("restore", from_bucket="latest", yes=True, stdout=out)
    assert "2 photo files" in out.getvalue()
    assert store.files() == before
    assert Photo.objects.get().public_id == photo.public_id

    Photo.objects.all().delete()
    call_command("restore", from_bucket=name, yes=True, stdout=io.StringIO())
    assert Photo.objects.get().public_id == photo.public_id
    assert list(archives.files()) == [name]  # restoring leaves the archives alone


@pytest.mark.django_db(transaction=True)
def test_a_failing_backup_bucket_stores_nothing_says_so_and_a_retry_works(
    clinic, chart, settings, monkeypatch, faulty
):
    archives = in_a_bucket(settings, monkeypatch, faulty.endpoint_url, entry=BACKUPS)
    archives.endpoint_url = faulty.upstream
    faulty.fail_puts_after = 0
    with pytest.raises(CommandError, match=r"could not be written.*no backup was stored"):
        call_command("backup", stdout=io.StringIO())
    assert faulty.requests_refused > 0
    assert archives.files() == {}
    faulty.fail_puts_after, faulty.failing = None, True
    assert finding("backups")[0] == "FAIL"
    assert "cannot be read" in finding("backups")[1]

    with pytest.raises(CommandError, match=r"could not be read.*nothing was restored"):
        call_command("restore", from_bucket="latest", yes=True)

    faulty.failing = False
    call_command("backup", stdout=io.StringIO())
    [name] = archives.files()
    with pytest.raises(CommandError, match=r"is not in the bucket.*nothing was restored"):
        call_command("restore", from_bucket="needlepoint-backup-20000101T000000Z.tar.gz", yes=True)
    a_photo(clinic, chart)
    call_command("restore", from_bucket=name, yes=True, stdout=io.StringIO())
    assert not Photo.objects.exists()  # as it stood when the archive was made


def test_restore_needs_a_path_or_a_bucket_archive_but_not_both(db, tmp_path):
    for arguments in ([], [str(tmp_path / "a.tar.gz")]):
        options = {"from_bucket": "latest"} if arguments else {}
        with pytest.raises(CommandError, match="but not both"):
            call_command("restore", *arguments, yes=True, **options)
    with pytest.raises(CommandError, match="No backup bucket is set"):
        call_command("restore", from_bucket="latest", yes=True)


def test_a_reviewers_letter_is_kept_in_the_store_and_refused_clearly_when_it_fails(
    clinic, other_clinic, settings, monkeypatch, faulty
):
    store = in_a_bucket(settings, monkeypatch, faulty.endpoint_url)
    store.endpoint_url = faulty.upstream
    with time_machine.travel(NOW, tick=False):
        client = client_declaring(clinic, anticoagulant={})
        faulty.failing = True
        with pytest.raises(DomainError) as refused:
            record(client, clinic.practitioner.user, attachment=PDF)
        assert (refused.value.code, refused.value.message) == ("storage_unavailable", NOT_SAVED)
        assert not ClinicalReview.objects.exists()
        assert store.files() == {}

        faulty.failing = False
        review = record(client, clinic.practitioner.user, attachment=PDF)
        assert store.files() == {review.attachment.name: PDF}
        url = reverse("clients:review_letter", args=[client.public_id, review.public_id])
        seen = factories.signed_in(clinic.practitioner).get(url)
        assert seen["Content-Type"] == "application/pdf"
        assert b"".join(seen.streaming_content) == PDF
        assert factories.signed_in(clinic.front_desk).get(url).status_code == 403
        assert factories.signed_in(other_clinic.practitioner).get(url).status_code == 404


def test_the_session_pdf_and_the_client_export_say_when_the_store_is_down_and_retry_works(
    clinic, chart, settings, monkeypatch, faulty, tmp_path
):
    """Both read the photos from the store: down, a clear message, nothing sent or
    recorded as printed or exported, no file left; back, they work."""
    in_a_bucket(settings, monkeypatch, faulty.endpoint_url)
    a_photo(clinic, chart)
    pdf = reverse("treatments:session_pdf", args=[chart.public_id])
    export = reverse("clients:export", args=[chart.client.public_id])
    printed = AuditEvent.objects.filter(action="printed", client=chart.client)
    exported = AuditEvent.objects.filter(action="exported", client=chart.client)
    output = tmp_path / "record.zip"
    faulty.failing = True

    with time_machine.travel(VISIT, tick=False):
        refused = factories.signed_in(clinic.practitioner).get(pdf)
        assert refused.status_code == 503
        assert refused["Cache-Control"] == "no-store"
        assert refused.content.decode() == NOT_READ
        refused = factories.signed_in(clinic.owner).get(export, follow=True)
        assert refused.status_code == 200
        detail = reverse("clients:detail", args=[chart.client.public_id])
        assert refused.redirect_chain[-1][0] == detail
        assert NOT_READ in html.unescape(refused.content.decode())
        with pytest.raises(CommandError, match=f"{NOT_READ} Nothing was written."):
            call_command("exportclient", str(chart.client.public_id), "--output", str(output))
        assert faulty.requests_refused > 0
        assert not printed.exists() and not exported.exists() and not output.exists()

        faulty.failing = False
        shown = factories.signed_in(clinic.practitioner).get(pdf)
        assert shown.status_code == 200
        assert shown.content.startswith(b"%PDF")
        downloaded = factories.signed_in(clinic.owner).get(export)
        assert downloaded["Content-Type"] == "application/zip"
        with zipfile.ZipFile(io.BytesIO(b"".join(downloaded.streaming_content))) as archive:
            assert len([n for n in archive.namelist() if n.startswith("photos/")]) == 1
        call_command("exportclient", str(chart.client.public_id), "--output", str(output))
        assert zipfile.is_zipfile(output)
        assert (printed.count(), exported.count()) == (1, 2)
