"""Hostile files sent to the chart's photo upload.

Each is refused with a message that says why and leaves nothing behind (no Photo row, no
file in the photo folder), or is kept only as a fresh JPEG re-encoded from its pixels:
no metadata, no trailing payload, a name of our choosing.
"""

from __future__ import annotations

import html
import io
import math
import random
import re
import struct
import zipfile
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image, ImageFile

from needlepoint.core.errors import DomainError
from needlepoint.treatments import photos, services
from needlepoint.treatments.models import Photo
from tests import factories

VISIT = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
NOT_A_PHOTO = "That file is not a JPEG, PNG or WebP photo."
TOO_MANY_PIXELS = "That photo has too many pixels to be a camera photo."
MARKER = b"polyglot-payload-7f3a"


def encoded(picture: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    picture.save(out, format=fmt, **options)
    return out.getvalue()


def photo(size: tuple[int, int] = (64, 48)) -> Image.Image:
    """A noisy picture (the same every run), so its compressed data is long enough to cut."""
    width, height = size
    return Image.frombytes("RGB", size, random.Random(width * height).randbytes(width * height * 3))


def jpeg(size: tuple[int, int] = (64, 48), **options: object) -> bytes:
    return encoded(photo(size), "JPEG", **options)


def gps_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SpyPhoneMaker"  # Make
    exif[0x0131] = "CameraFirmware 1.0"  # Software
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (50.0, 48.0, 12.5)
    gps[3], gps[4] = "W", (1.0, 5.0, 33.0)
    return exif.tobytes()


def tiff_exif(entries: list[tuple[int, int, int, bytes]]) -> bytes:
    """An EXIF block written by hand (big-endian, one IFD, values of at most four bytes)."""
    ifd = struct.pack(">H", len(entries))
    for tag, kind, count, value in entries:
        ifd += struct.pack(">HHI", tag, kind, count) + value.ljust(4, b"\x00")
    return b"Exif\x00\x00MM\x00\x2a" + struct.pack(">I", 8) + ifd + struct.pack(">I", 0)


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int) -> bytes:
    """A few hundred bytes of PNG whose header claims width x height RGB pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    first_row = zlib.compress(bytes(1 + 3 * width), 9)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", first_row)
        + png_chunk(b"IEND", b"")
    )


def jpeg_claiming(width: int, height: int) -> bytes:
    """A small JPEG whose frame header (SOF0) is changed to claim width x height pixels."""
    data = bytearray(jpeg((16, 16)))
    frame = data.index(b"\xff\xc0")
    data[frame + 5 : frame + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def zip_payload() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("index.html", b"<script>fetch('/steal')</script>" + MARKER)
    return out.getvalue()


HTML_PAYLOAD = b"<html><body><script>alert(document.cookie)</script>" + MARKER + b"</body></html>"


@pytest.fixture
def chart(clinic):
    """An open chart of a booked face treatment, and its practitioner signed in."""
    session = factories.open_chart(clinic, VISIT)
    return session, factories.signed_in(clinic.practitioner)


def upload(chart, data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg") -> str:
    """Send a file as the chart page's photo form does; the page shown after it."""
    session, browser = chart
    url = reverse("treatments:action", args=[session.public_id, "photo"])
    image = SimpleUploadedFile(name, data, content_type=content_type)
    response = browser.post(url, {"view": "front", "timing": "before", "image": image}, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def stored_files() -> list[Path]:
    """Every file in the photo folder, which is this test's own (see tests/conftest.py)."""
    root = Path(settings.PHOTO_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def assert_refused(page: str, message: str) -> None:
    assert html.escape(message) in page
    assert "Saved." not in page
    assert not Photo.objects.exists()
    assert stored_files() == []


def assert_clean(stored: bytes) -> None:
    """A baseline JPEG with nothing of the upload but its pixels."""
    assert stored.startswith(b"\xff\xd8") and stored.endswith(b"\xff\xd9")
    for leftover in (b"Exif\x00\x00", b"SpyPhoneMaker", MARKER, b"<script", b"PK\x03\x04"):
        assert leftover not in stored
    picture = Image.open(io.BytesIO(stored))
    assert picture.format == "JPEG"
    assert not picture.getexif()
    assert "exif" not in picture.info


def the_stored_photo() -> Photo:
    kept = Photo.objects.get()
    files = stored_files()
    assert files == sorted([Path(kept.image.path), Path(kept.thumbnail.path)])
    for path in files:
        assert_clean(path.read_bytes())
    return kept


def test_photos_are_kept_in_the_folder_the_settings_name(chart):
    """The storage follows settings.PHOTO_ROOT, this test's own folder, so the checks that
    nothing was stored look where a photo would be."""
    upload(chart, jpeg())
    kept = Photo.objects.get()
    root = Path(settings.PHOTO_ROOT).resolve()
    assert Path(kept.image.path).resolve().is_relative_to(root)
    assert Path(kept.thumbnail.path).resolve().is_relative_to(root)


@pytest.mark.parametrize(
    ("name", "content_type", "data"),
    [
        pytest.param(
            "photo.jpg",
            "image/jpeg",
            b"Notes from the consultation, not a photo.\n" * 40,
            id="text",
        ),
        pytest.param("scan.pdf", "application/pdf", encoded(photo(), "PDF"), id="pdf"),
        pytest.param("photo.jpg", "image/jpeg", HTML_PAYLOAD, id="html-as-jpeg"),
        pytest.param(
            "photo.svg",
            "image/svg+xml",
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="64" '
            b'height="48"><script>alert(1)</script><rect width="64" height="48"/></svg>',
            id="svg",
        ),
        pytest.param("photo.gif", "image/gif", encoded(photo(), "GIF"), id="gif"),
        pytest.param(
            "photo.gif",
            "image/gif",
            b"GIF89a/*\x01\x00\x01\x00*/=alert(1);//" + bytes(40),
            id="gif-js",
        ),
        pytest.param("photo.tif", "image/tiff", encoded(photo(), "TIFF"), id="tiff"),
        pytest.param("photo.jpg", "image/jpeg", jpeg()[:-400], id="truncated-jpeg"),
        pytest.param("photo.png", "image/png", encoded(photo(), "PNG")[:-300], id="truncated-png"),
    ],
)
def test_files_that_are_not_photos_are_refused(chart, name, content_type, data):
    assert_refused(upload(chart, data, name, content_type), NOT_A_PHOTO)


def test_an_empty_file_is_refused(chart):
    assert_refused(upload(chart, b""), "The submitted file is empty.")


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(chart, monkeypatch):
    handed_over: list[object] = []
    monkeypatch.setattr(services, "photo_add", lambda **given: handed_over.append(given))
    header = jpeg((8, 8))[:20]
    oversized = header + bytes(settings.PHOTO_MAX_BYTES + 1 - len(header))
    assert_refused(upload(chart, oversized), "That photo file is too large.")
    assert handed_over == []  # the view refused on the upload's size, without reading it


def test_the_photo_service_refuses_an_oversized_file_before_decoding_it(monkeypatch):
    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the oversized file was decoded")

    monkeypatch.setattr(photos.Image, "open", never)
    with pytest.raises(DomainError) as refused:
        photos.process_photo(b"\xff\xd8\xff" + bytes(settings.PHOTO_MAX_BYTES), folder="x")
    assert refused.value.code == "photo_too_large"


@pytest.fixture
def decoding_spy(monkeypatch) -> list[object]:
    """Records each time Pillow decodes pixels, i.e. loads an image."""
    decoded: list[object] = []
    load = ImageFile.ImageFile.load

    def recorded(self: ImageFile.ImageFile):  # type: ignore[no-untyped-def]
        decoded.append(self.size)
        return load(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", recorded)
    return decoded


def test_a_small_png_just_over_the_pixel_limit_is_refused_undecoded(chart, decoding_spy):
    side = math.isqrt(settings.PHOTO_MAX_PIXELS) + 1
    bomb = encoded(Image.new("1", (side, side)), "PNG", optimize=True)
    assert side * side > settings.PHOTO_MAX_PIXELS
    assert len(bomb) < 200_000  # a tiny file for tens of millions of pixels
    assert_refused(upload(chart, bomb, "photo.png", "image/png"), TOO_MANY_PIXELS)
    assert decoding_spy == []


@pytest.mark.parametrize(
    "bomb",
    [
        pytest.param(png_claiming(20_000, 20_000), id="png-20000x20000"),
        pytest.param(png_claiming(60_000, 1_000), id="png-60000x1000"),
        pytest.param(jpeg_claiming(60_000, 60_000), id="jpeg-60000x60000"),
        pytest.param(jpeg_claiming(8_000, 8_000), id="jpeg-8000x8000"),
    ],
)
def test_headers_claiming_huge_pictures_are_refused_undecoded(chart, decoding_spy, bomb):
    assert len(bomb) < 2_000
    assert_refused(upload(chart, bomb), TOO_MANY_PIXELS)
    assert decoding_spy == []


@pytest.mark.parametrize(
    ("name", "data"),
    [
        pytest.param("photo.jpg", jpeg() + HTML_PAYLOAD + zip_payload(), id="jpeg+html+zip"),
        pytest.param("photo.png", encoded(photo(), "PNG") + zip_payload(), id="png+zip"),
        pytest.param("photo.webp", encoded(photo(), "WEBP") + HTML_PAYLOAD, id="webp+html"),
    ],
)
def test_a_photo_with_a_payload_appended_keeps_only_the_picture(chart, name, data):
    assert MARKER in data
    page = upload(chart, data, name)
    if html.escape(NOT_A_PHOTO) in page:  # refusing the whole file is as good
        assert_refused(page, NOT_A_PHOTO)
        return
    kept = the_stored_photo()  # a clean re-encode, the payload gone
    assert (kept.width, kept.height) == (64, 48)


def test_a_photo_with_gps_exif_is_kept_without_any_of_it(chart):
    data = jpeg(exif=gps_exif())
    assert b"SpyPhoneMaker" in data and Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)
    assert "Saved." in upload(chart, data)
    kept = the_stored_photo()
    for stored in (kept.image, kept.thumbnail):
        with stored.open("rb") as file:
            assert not Image.open(file).getexif().get_ifd(0x8825)


def test_a_photo_with_a_broken_exif_block_is_kept_upright_without_it(chart):
    """Found by fuzzing: a damaged EXIF block made the orientation step raise (a 500)."""
    turned_with_bad_resolution = tiff_exif(
        [
            (0x0112, 3, 1, struct.pack(">H", 6)),  # Orientation: turn 90°
            (0x011A, 2, 4, b"abc\x00"),  # XResolution as text where a fraction belongs
        ]
    )
    assert "Saved." in upload(chart, jpeg(exif=turned_with_bad_resolution))
    kept = the_stored_photo()
    assert (kept.width, kept.height) == (48, 64)  # the orientation is still honoured


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_a_png_or_webp_whose_exif_is_not_exif_is_kept_without_it(chart, fmt):
    data = encoded(photo(), fmt, exif=b"SpyPhoneMaker: not a TIFF block at all")
    assert "Saved." in upload(chart, data, f"photo.{fmt.lower()}")
    the_stored_photo()


@pytest.mark.parametrize(
    ("fmt", "mode"),
    [
        ("PNG", "RGB"),
        ("PNG", "RGBA"),
        ("PNG", "P"),
        ("PNG", "I;16"),
        ("WEBP", "RGB"),
        ("WEBP", "RGBA"),
    ],
)
def test_a_valid_png_or_webp_is_accepted(chart, fmt, mode):
    picture = photo((90, 60)).convert(mode) if mode != "I;16" else Image.new("I;16", (90, 60), 900)
    assert "Saved." in upload(chart, encoded(picture, fmt), f"photo.{fmt.lower()}", "image/png")
    kept = the_stored_photo()
    assert (kept.width, kept.height) == (90, 60)
    with kept.thumbnail.open("rb") as file:
        assert Image.open(file).size == (90, 60)


def test_the_stored_name_is_ours_never_the_uploads(chart):
    session, _ = chart
    upload(chart, jpeg(), name="../../../../etc/cron.d/evil.jpg")
    kept = the_stored_photo()
    folder = f"{session.client.organisation_id}/{session.public_id}"
    assert re.fullmatch(rf"{folder}/[0-9a-f]{{32}}\.jpg", kept.image.name)
    assert "evil" not in kept.image.name and ".." not in kept.image.name


# -- Any bytes at all: mutations of real photos ---------------------------------------------

SEEDS = {
    "jpeg": jpeg(exif=gps_exif()),
    "jpeg-turned": jpeg(exif=tiff_exif([(0x0112, 3, 1, struct.pack(">H", 6))])),
    "png": encoded(photo(), "PNG", exif=gps_exif()),
    "webp": encoded(photo(), "WEBP", exif=gps_exif()),
}


@st.composite
def damaged_photos(draw: st.DrawFn) -> bytes:
    """A real photo with a few bytes changed, cut, inserted, or its EXIF bytes scrambled."""
    data = bytearray(SEEDS[draw(st.sampled_from(sorted(SEEDS)))])
    exif_at = data.find(b"MM\x00\x2a")
    for _ in range(draw(st.integers(1, 6))):
        near_exif = exif_at >= 0 and draw(st.booleans())
        low, high = (exif_at, min(len(data), exif_at + 160)) if near_exif else (0, len(data))
        at = draw(st.integers(low, max(low, high - 1)))
        action = draw(st.sampled_from(["set", "set", "set", "cut", "insert"]))
        if action == "set":
            data[at : at + 1] = bytes([draw(st.integers(0, 255))])
        elif action == "cut":
            del data[at : at + draw(st.integers(1, 64))]
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
    return bytes(data)


@hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=damaged_photos())
@pytest.mark.filterwarnings("ignore::UserWarning")  # Pillow warns about the damage it skips
def test_any_damaged_photo_is_re_encoded_cleanly_or_refused(data):
    try:
        processed = photos.process_photo(data, folder="fuzz")
    except DomainError as refused:
        assert refused.code in {"photo_unreadable", "photo_too_many_pixels", "photo_empty"}
        assert refused.field == "image"
        return
    for content in (processed.image, processed.thumbnail):
        stored = content.read()
        assert_clean(stored)
    assert 0 < processed.width <= photos.LONGEST_SIDE
    assert 0 < processed.height <= photos.LONGEST_SIDE
