"""Checking and cleaning uploaded photos: by content, size-capped, bomb-proof, EXIF-free."""

import io
import uuid
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 50-megapixel camera's photo is still fine after this
THUMB_SIZE = (480, 480)
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
TOO_BIG = "The picture claims {}: too many pixels to be a real photo, so it was refused."
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


@dataclass
class CleanPhoto:
    image: ContentFile
    thumbnail: ContentFile


def _encode(image: Image.Image, fmt: str) -> bytes:
    if fmt == "JPEG" and image.mode not in {"RGB", "L"}:
        image = image.convert("RGB")
    elif fmt in {"PNG", "WEBP"} and image.mode not in {"RGB", "RGBA", "L", "LA", "P"}:
        image = image.convert("RGBA")
    out = io.BytesIO()
    # Nothing from the original's metadata is passed on: no EXIF (GPS), no ICC, no text.
    image.save(out, format=fmt, quality=85)
    return out.getvalue()


def clean_photo(upload) -> CleanPhoto:
    """Decode the upload as a photo and re-encode it; refuse anything else with a message."""
    if upload.size > MAX_BYTES:
        raise ValidationError(
            f"The photo is {upload.size / 1024 / 1024:.1f} MB; the limit is "
            f"{MAX_BYTES // 1024 // 1024} MB. Send a smaller copy."
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as opened:
                fmt = opened.format
                if fmt not in FORMATS:
                    raise ValidationError("Only JPEG, PNG or WebP photos can be added.")
                width, height = opened.size
                if width * height > MAX_PIXELS:
                    raise ValidationError(TOO_BIG.format(f"{width}×{height} pixels"))
                opened.load()
                image = ImageOps.exif_transpose(opened)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(TOO_BIG.format("that many pixels")) from None
    except UnidentifiedImageError:
        raise ValidationError(
            "That file is not a photo Outreach can read (JPEG, PNG or WebP)."
        ) from None
    except (OSError, SyntaxError, ValueError):
        raise ValidationError("That photo is damaged or incomplete; try another copy.") from None
    image.info.clear()
    name = uuid.uuid4().hex
    ext = FORMATS[fmt]
    thumb = image.copy()
    thumb.thumbnail(THUMB_SIZE)
    return CleanPhoto(
        image=ContentFile(_encode(image, fmt), name=f"{name}.{ext}"),
        thumbnail=ContentFile(_encode(thumb, fmt), name=f"{name}.{ext}"),
    )
