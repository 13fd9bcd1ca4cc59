"""Accepting a photo: decode it to prove it is an image, strip its metadata, make a thumbnail.

What is stored is a fresh JPEG encoded from the decoded pixels, so nothing of the upload
survives but the picture: no EXIF (camera, time, GPS), no trailing bytes of a polyglot.
The name is chosen here, never taken from the upload.
"""

from __future__ import annotations

import io
import struct
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from PIL import ExifTags, Image

from needlepoint.core.errors import DomainError
from needlepoint.core.images import decode_image

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
THUMBNAIL_SIZE = (480, 480)
LONGEST_SIDE = 4000  # larger photos are scaled down: plenty for a clinical record
# Scaled down as they are and converted band by band; others (alpha, palette, 16-bit...)
# are converted to RGB first, as resizing them would convert the whole picture anyway.
BANDED_MODES = {"RGB", "L", "CMYK"}
BAND_ROWS = 256
UPRIGHT = {  # how to turn a picture for each EXIF orientation; 1 (or none) is upright
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


@dataclass(frozen=True)
class ProcessedPhoto:
    image: ContentFile[bytes]
    thumbnail: ContentFile[bytes]
    width: int
    height: int


def process_photo(data: bytes, *, folder: str) -> ProcessedPhoto:
    """The photo re-encoded without metadata, and its thumbnail; ``DomainError`` if refused.

    At most ``PHOTO_DECODE_PIXELS`` are decoded (a larger JPEG at a smaller scale, see
    ``core.images``), and it is scaled down a band at a time, so an upload's memory is
    bounded whatever the camera's resolution (docs/deploy.md).
    """
    if not data:
        raise DomainError("photo_empty", "The photo file is empty.", field="image")
    if len(data) > settings.PHOTO_MAX_BYTES:
        limit = settings.PHOTO_MAX_BYTES // (1024 * 1024)
        raise DomainError("photo_too_large", f"Photos can be up to {limit} MB.", field="image")
    picture = _decoded(data)
    turn = _turn(picture)  # read before anything else changes the picture
    if picture.mode not in BANDED_MODES:
        picture = picture.convert("RGB")  # the decoded picture is let go here, not kept
    picture = _fitted_rgb(picture, LONGEST_SIDE)
    if turn is not None:
        picture = picture.transpose(turn)
    width, height = picture.size
    name = f"{folder}/{uuid.uuid4().hex}"
    image = ContentFile(_jpeg(picture, quality=90), name=f"{name}.jpg")
    picture.thumbnail(THUMBNAIL_SIZE)  # the full-size picture is no longer needed
    return ProcessedPhoto(
        image=image,
        thumbnail=ContentFile(_jpeg(picture, quality=80), name=f"{name}-thumb.jpg"),
        width=width,
        height=height,
    )


def _fitted_rgb(picture: Image.Image, longest_side: int) -> Image.Image:
    """The picture in RGB, scaled down to fit ``longest_side``.

    Scaled a band of rows at a time into the result: a whole-picture resize would hold
    an intermediate as large as the decoded picture. Each band's resampling also reads
    the source rows beyond its edges, so no seam shows between bands.
    """
    width, height = picture.size
    if max(width, height) <= longest_side:
        return picture if picture.mode == "RGB" else picture.convert("RGB")
    scale = longest_side / max(width, height)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    fitted = Image.new("RGB", size)
    rows = height / size[1]  # source rows per row of the result
    for top in range(0, size[1], BAND_ROWS):
        bottom = min(size[1], top + BAND_ROWS)
        band = picture.resize(
            (size[0], bottom - top),
            Image.Resampling.BICUBIC,
            box=(0, top * rows, width, bottom * rows),
        )
        fitted.paste(band if band.mode == "RGB" else band.convert("RGB"), (0, top))
    return fitted


def _decoded(data: bytes) -> Image.Image:
    too_many = DomainError(
        "photo_too_many_pixels",
        "That photo has too many pixels to be a camera photo.",
        field="image",
    )
    return decode_image(
        data,
        formats=ACCEPTED_FORMATS,
        max_pixels=settings.PHOTO_MAX_PIXELS,
        decode_pixels=settings.PHOTO_DECODE_PIXELS,
        longest_side=LONGEST_SIDE,
        unreadable=DomainError(
            "photo_unreadable", "That file is not a JPEG, PNG or WebP photo.", field="image"
        ),
        too_large=too_many,
        over_budget=DomainError(
            "photo_too_many_pixels",
            "That PNG or WebP photo has too many pixels: please send it as a JPEG.",
            field="image",
        ),
    )


def _turn(picture: Image.Image) -> Image.Transpose | None:
    """How to turn the picture upright, as its EXIF orientation says.

    Only the orientation is read. Unlike ``ImageOps.exif_transpose`` nothing is written
    back to the EXIF (none of it is kept), and a damaged block, from a buggy camera or a
    crafted file, leaves the picture as it is instead of failing the upload.
    """
    try:
        orientation = picture.getexif().get(ExifTags.Base.Orientation)
    except (SyntaxError, OSError, ValueError, TypeError, struct.error):
        return None
    return UPRIGHT.get(orientation) if isinstance(orientation, int) else None


def _jpeg(picture: Image.Image, *, quality: int) -> bytes:
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=quality, optimize=True)  # no exif= : none kept
    return out.getvalue()
