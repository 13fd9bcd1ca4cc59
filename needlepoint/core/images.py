"""Decoding an untrusted picture: refuse what is not one, or too big, before paying for it.

Shared by the chart's photo upload and the drawn signature of a consent form. The size
the header claims is checked before any pixel is decoded (decompression bombs); a JPEG
larger than the decoding budget is decoded at 1/2, 1/4 or 1/8 scale by the JPEG decoder
itself (Pillow's ``draft``), so its full-size pixels never exist in memory; other formats
over the budget are refused. Whatever Pillow raises on a damaged file becomes the
caller's ``DomainError``, so a page can show it next to the form instead of failing.
"""

from __future__ import annotations

import io
import struct
import warnings
import zlib
from collections.abc import Collection

from PIL import Image, UnidentifiedImageError

from needlepoint.core.errors import DomainError

JPEG_SCALES = (1, 2, 4, 8)  # what the JPEG decoder can shrink by while decoding
# How many times a pixel of the format costs against the budget: WebP always decodes to
# RGBA through two more full-size buffers (libwebp's and a Python copy of it).
DECODE_COST = {"WEBP": 3}
# What Pillow raises on damaged or hostile data, besides the bomb errors.
UNREADABLE = (
    UnidentifiedImageError,
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    IndexError,
    TypeError,
    KeyError,
    struct.error,
    zlib.error,
)


def decode_image(
    data: bytes,
    *,
    formats: Collection[str],
    max_pixels: int,
    unreadable: DomainError,
    too_large: DomainError,
    over_budget: DomainError | None = None,
    decode_pixels: int | None = None,
    longest_side: int | None = None,
    max_size: tuple[int, int] | None = None,
) -> Image.Image:
    """The picture in ``data``, fully decoded, or the caller's ``DomainError``.

    ``max_pixels`` and ``max_size`` bound what the header may claim (``too_large``).
    ``decode_pixels`` bounds what is decoded: a JPEG above it is decoded at a smaller
    scale, any other format above it is refused (``over_budget``, else ``too_large``).
    ``longest_side`` is the size the caller scales down to anyway: a JPEG at least twice
    as large is decoded smaller at no cost to the result.
    """
    budget = max_pixels if decode_pixels is None else min(decode_pixels, max_pixels)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            picture = Image.open(io.BytesIO(data))
            if picture.format not in formats:
                raise unreadable
            width, height = picture.size
            if width < 1 or height < 1:
                raise unreadable
            if width * height > max_pixels:
                raise too_large
            if max_size is not None and (width > max_size[0] or height > max_size[1]):
                raise too_large
            scale = _jpeg_scale(picture.size, budget, longest_side)
            if picture.format == "JPEG" and scale > 1:
                picture.draft(None, (max(1, width // scale), max(1, height // scale)))
            if picture.width * picture.height * DECODE_COST.get(picture.format or "", 1) > budget:
                raise over_budget or too_large
            picture.load()  # the whole image decodes, or it is refused
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise too_large from error
        except UNREADABLE as error:
            raise unreadable from error
    return picture


def _jpeg_scale(size: tuple[int, int], budget: int, longest_side: int | None) -> int:
    """The JPEG decoder's smallest shrink that loses nothing the caller keeps, then the
    smallest that fits the budget: a 50 MP photo is decoded as 12.5 MP."""
    width, height = size
    scale = 1
    if longest_side is not None:
        while scale < JPEG_SCALES[-1] and max(width, height) // (scale * 2) >= longest_side:
            scale *= 2
    while scale < JPEG_SCALES[-1] and (width // scale) * (height // scale) > budget:
        scale *= 2
    return scale
