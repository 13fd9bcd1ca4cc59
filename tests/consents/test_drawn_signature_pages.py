"""A hostile drawn signature sent from the consent page's canvas (issue 16, finding 1).

The canvas posts its picture as a PNG data URL. A damaged PNG, or one whose header claims
a huge picture, used to fail the page with a 500; it must show the form again with a
message next to the drawing, and keep nothing.
"""

from __future__ import annotations

import base64
import html
import io
import struct
import zlib
from datetime import UTC, datetime

import pytest
import time_machine
from PIL import Image

from needlepoint.consents.models import ConsentForm, SignedConsent
from needlepoint.consents.services import consent_form_publish
from needlepoint.scheduling.choices import Channel
from needlepoint.scheduling.links import booking_link
from needlepoint.scheduling.services import booking_create
from tests import factories

NOW = datetime(2026, 11, 23, 8, tzinfo=UTC)
COULD_NOT_BE_READ = "The drawing could not be read."
TOO_LARGE = "The drawing is too large."
SIGNATURE = b"\x89PNG\r\n\x1a\n"


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def header(width: int, height: int) -> bytes:
    return chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))


def png_claiming(width: int, height: int) -> bytes:
    """A few hundred bytes of PNG whose header claims width x height RGBA pixels."""
    first_row = zlib.compress(bytes(1 + 4 * width), 9)
    return SIGNATURE + header(width, height) + chunk(b"IDAT", first_row) + chunk(b"IEND", b"")


def drawn(size: tuple[int, int] = (300, 100)) -> bytes:
    image = Image.new("RGBA", size)
    for x in range(20, 200):
        image.putpixel((x, 50), (0, 0, 0, 255))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def broken_chunk() -> bytes:
    """Pixels split over two IDAT chunks, the second's name garbage: Pillow raises
    SyntaxError while decoding, after the header was read well."""
    pixels = zlib.compress(b"".join(b"\x00" + bytes(4 * 300) for _ in range(100)))
    half = len(pixels) // 2
    return (
        SIGNATURE
        + header(300, 100)
        + chunk(b"IDAT", pixels[:half])
        + chunk(b"\x00\xf5w\x01", pixels[half:])
        + chunk(b"IEND", b"")
    )


def data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


@pytest.fixture
def sign_url(clinic) -> str:
    offered = factories.service(clinic.location)
    form = ConsentForm.objects.create(
        organisation=clinic.organisation, name="Microneedling consent"
    )
    form.services.add(offered)
    version = consent_form_publish(form=form, text="Microneedling makes tiny punctures.")
    client = factories.screened_client(clinic.organisation)
    with time_machine.travel(NOW, tick=False):
        booking = booking_create(
            client=client,
            service=offered,
            starts_at=datetime(2026, 11, 25, 10, tzinfo=UTC),
            channel=Channel.ONLINE,
        )
    return f"{booking_link(booking)}consent/{version.public_id}/"


@pytest.fixture(autouse=True)
def monday():
    with time_machine.travel(NOW, tick=False):
        yield


def post_drawing(client, url: str, png: bytes):
    client.raise_request_exception = False  # a 500 is the failure under test, not a crash
    return client.post(
        url, {"kind": "drawn", "typed_name": "Alex Client", "agree": "on", "drawing": data_url(png)}
    )


@pytest.mark.filterwarnings("ignore::UserWarning")  # Pillow warns about damage it skips
@pytest.mark.parametrize(
    ("png", "message"),
    [
        pytest.param(png_claiming(20_000, 20_000), TOO_LARGE, id="bomb-400-megapixels"),
        pytest.param(png_claiming(100_000, 100_000), TOO_LARGE, id="bomb-10-gigapixels"),
        pytest.param(png_claiming(10_000, 10_000), TOO_LARGE, id="bomb-100-megapixels"),
        pytest.param(png_claiming(3_000, 100), TOO_LARGE, id="wider-than-the-canvas-allows"),
        pytest.param(broken_chunk(), COULD_NOT_BE_READ, id="broken-chunk"),
        pytest.param(drawn()[:-30], COULD_NOT_BE_READ, id="truncated"),
        pytest.param(SIGNATURE + header(300, 100), COULD_NOT_BE_READ, id="header-only"),
        pytest.param(
            SIGNATURE + header(300, 100) + chunk(b"IDAT", b"not zlib" * 8) + chunk(b"IEND", b""),
            COULD_NOT_BE_READ,
            id="garbage-pixels",
        ),
        pytest.param(SIGNATURE + header(0, 0) + chunk(b"IEND", b""), COULD_NOT_BE_READ, id="0x0"),
    ],
)
def test_an_oversized_or_corrupt_drawing_shows_the_form_again_and_keeps_nothing(
    client, sign_url, png, message
):
    response = post_drawing(client, sign_url, png)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="sign-form"' in page
    assert html.escape(message) in page
    assert not SignedConsent.objects.exists()


def test_a_good_drawing_is_still_signed(client, sign_url):
    response = post_drawing(client, sign_url, drawn())
    assert response.status_code == 302
    signed = SignedConsent.objects.get()
    assert bytes(signed.drawing_png).startswith(SIGNATURE)
