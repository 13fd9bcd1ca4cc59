"""Accepting a photo: decode it to prove it is an image, strip its metadata, make a thumbnail.

What is stored is a fresh JPEG encoded from the decoded pixels, so nothing of the upload
survives but the picture: no EXIF (camera, time, GPS), no trailing bytes of a polyglot.
The name is chosen here, never taken from the upload.
"""

from __future__ import annotations

import io
import struct
import uuid
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from PIL import ExifTags, Image, UnidentifiedImageError

from needlepoint.core.errors import DomainError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
THUMBNAIL_SIZE = (480, 480)
LONGEST_SIDE = 4000  # larger photos are scaled down: plenty for a clinical record
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
    """The photo re-encoded without metadata, and its thumbnail; ``DomainError`` if refused."""
    if not data:
        raise DomainError("photo_empty", "The photo file is empty.", field="image")
    if len(data) > settings.PHOTO_MAX_BYTES:
        limit = settings.PHOTO_MAX_BYTES // (1024 * 1024)
        raise DomainError("photo_too_large", f"Photos can be up to {limit} MB.", field="image")
    picture = _decoded(data)
    picture = _upright(picture).convert("RGB")
    picture.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
    small = picture.copy()
    small.thumbnail(THUMBNAIL_SIZE)
    name = f"{folder}/{uuid.uuid4().hex}"
    return ProcessedPhoto(
        image=ContentFile(_jpeg(picture, quality=90), name=f"{name}.jpg"),
        thumbnail=ContentFile(_jpeg(small, quality=80), name=f"{name}-thumb.jpg"),
        width=picture.width,
        height=picture.height,
    )


def _decoded(data: bytes) -> Image.Image:
    refused = DomainError(
        "photo_unreadable", "That file is not a JPEG, PNG or WebP photo.", field="image"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            picture = Image.open(io.BytesIO(data))
            if picture.format not in ACCEPTED_FORMATS:
                raise refused
            if picture.width * picture.height > settings.PHOTO_MAX_PIXELS:
                raise DomainError(
                    "photo_too_many_pixels",
                    "That photo has too many pixels to be a camera photo.",
                    field="image",
                )
            picture.load()  # the whole image decodes, or it is refused
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise DomainError(
                "photo_too_many_pixels",
                "That photo has too many pixels to be a camera photo.",
                field="image",
            ) from error
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
            raise refused from error
    return picture


def _upright(picture: Image.Image) -> Image.Image:
    """The picture turned as its EXIF orientation says.

    Only the orientation is read. Unlike ``ImageOps.exif_transpose`` nothing is written
    back to the EXIF (none of it is kept), and a damaged block, from a buggy camera or a
    crafted file, leaves the picture as it is instead of failing the upload.
    """
    try:
        orientation = picture.getexif().get(ExifTags.Base.Orientation)
    except (SyntaxError, OSError, ValueError, TypeError, struct.error):
        return picture
    turn = UPRIGHT.get(orientation) if isinstance(orientation, int) else None
    return picture.transpose(turn) if turn is not None else picture


def _jpeg(picture: Image.Image, *, quality: int) -> bytes:
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=quality, optimize=True)  # no exif= : none kept
    return out.getvalue()
