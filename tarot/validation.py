"""Deck content rules shared by the admin forms and the deck import.

One place says what a well-formed card, spread layout and uploaded art image are, so an editor
typing in the admin and an operator importing a file get the same answer.
"""

import contextlib
import io
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from .models import Card

# A card in a spread layout is 1 unit wide and 1.6 units tall; a sideways card the other way round.
CARD_WIDTH = 1.0
CARD_HEIGHT = 1.6
# Coordinates are typed by people: centres closer than this are "the same place".
LAYOUT_TOLERANCE = 1e-6

ART_MAX_BYTES = 5 * 1024 * 1024
ART_FORMATS = {"PNG": "PNG", "JPEG": "JPEG", "WEBP": "WebP"}
ART_EXTENSIONS = {"png": "PNG", "jpg": "JPEG", "jpeg": "JPEG", "webp": "WEBP"}
# Smaller than this looks blurry on the card page; larger only costs bandwidth and memory.
ART_MIN_SIZE = (150, 240)
ART_MAX_SIDE = 6000
ART_MAX_PIXELS = 24_000_000
# Re-encoding settings per format: PNG stays lossless; JPEG and WebP keep visually the same.
ART_SAVE_OPTIONS = {"PNG": {}, "JPEG": {"quality": 90}, "WEBP": {"quality": 90}}
# What survives re-encoding besides the pixels: colours (ICC) and PNG transparency, nothing
# that could identify a device, a place or a person (EXIF, XMP, text chunks, comments).
ART_KEPT_INFO = {
    "PNG": ("icc_profile", "transparency"),
    "JPEG": ("icc_profile",),
    "WEBP": ("icc_profile",),
}


def card_identity_problems(
    *, arcana: str, number: int | None, suit: str | None, rank: int | None
) -> dict[str, str]:
    """Which of arcana/number/suit/rank contradict each other, by field name, with the reason.

    The database enforces the same rule as one check constraint; this names the field at fault.
    """
    problems: dict[str, str] = {}
    if arcana == Card.Arcana.MAJOR:
        # Not even "": the constraint wants NULL (the admin's form gives None for no suit).
        if suit is not None:
            problems["suit"] = _("A major card has no suit.")
        if rank is not None:
            problems["rank"] = _("A major card has no rank.")
        if number is not None and not 0 <= number <= 21:
            problems["number"] = _("A major card's number is from 0 to 21.")
    elif arcana == Card.Arcana.MINOR:
        if not suit:
            problems["suit"] = _("A minor card needs a suit.")
        if rank is None:
            problems["rank"] = _("A minor card needs a rank (1 Ace … 10, 11 Page … 14 King).")
        elif not 1 <= rank <= 14:
            problems["rank"] = _("A minor card's rank is from 1 (Ace) to 14 (King).")
        elif number is not None and number != rank:
            problems["number"] = _("A minor card's number equals its rank (%(rank)s).") % {
                "rank": rank
            }
    return problems


@dataclass(frozen=True)
class PlacedCard:
    """A spread position as the layout sees it: its centre and whether it lies sideways."""

    order: int
    x: float
    y: float
    rotated: bool

    @property
    def width(self) -> float:
        return CARD_HEIGHT if self.rotated else CARD_WIDTH

    @property
    def height(self) -> float:
        return CARD_WIDTH if self.rotated else CARD_HEIGHT


def _is_crossing(first: PlacedCard, second: PlacedCard) -> bool:
    """A sideways card laid on an upright card's centre, like the Celtic Cross's second card."""
    return (
        first.rotated != second.rotated
        and abs(first.x - second.x) < LAYOUT_TOLERANCE
        and abs(first.y - second.y) < LAYOUT_TOLERANCE
    )


def _overlap(first: PlacedCard, second: PlacedCard) -> bool:
    # Cards that only touch along an edge do not overlap.
    return (
        abs(first.x - second.x) < (first.width + second.width) / 2 - LAYOUT_TOLERANCE
        and abs(first.y - second.y) < (first.height + second.height) / 2 - LAYOUT_TOLERANCE
    )


def layout_overlaps(cards: Sequence[PlacedCard]) -> list[tuple[int, int]]:
    """Index pairs (i < j) of cards that cover each other; a crossing card is the one exception."""
    return [
        (i, j)
        for (i, first), (j, second) in itertools.combinations(enumerate(cards), 2)
        if _overlap(first, second) and not _is_crossing(first, second)
    ]


def layout_duplicate_orders(orders: Sequence[int]) -> list[tuple[int, int]]:
    """(index, index of the first position with that order) for every repeated order."""
    first_seen: dict[int, int] = {}
    duplicates = []
    for index, order in enumerate(orders):
        if order in first_seen:
            duplicates.append((index, first_seen[order]))
        else:
            first_seen[order] = index
    return duplicates


def validate_card_art(upload, *, name: str | None = None) -> None:
    """Accept only a PNG, JPEG or WebP image of at most 5 MB with sensible pixel dimensions.

    ``upload`` is any file-like object with ``size`` or a seekable stream; its content decides
    the format, and the file name's extension has to agree so the file is served correctly.
    """
    name = name if name is not None else getattr(upload, "name", "") or ""
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
    if size > ART_MAX_BYTES:
        raise ValidationError(
            _("The image is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(ART_MAX_BYTES)},
            code="file_too_large",
        )
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image_format = image.format
            width, height = image.size
            if image_format in ART_FORMATS and width * height <= ART_MAX_PIXELS:
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _("The image is too large to open safely."), code="image_too_large"
        ) from None
    except Exception:
        raise ValidationError(
            _("The file is not a readable image (it may be damaged or not an image at all)."),
            code="invalid_image",
        ) from None
    finally:
        upload.seek(0)
    if image_format not in ART_FORMATS:
        raise ValidationError(
            _("Upload a PNG, JPEG or WebP image; this file is %(format)s.")
            % {"format": image_format or _("in an unknown format")},
            code="invalid_format",
        )
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ART_EXTENSIONS:
        raise ValidationError(
            _("Upload a .png, .jpg, .jpeg or .webp file (this one is named “%(name)s”).")
            % {"name": name},
            code="invalid_extension",
        )
    if ART_EXTENSIONS[extension] != image_format:
        raise ValidationError(
            _("The file is named .%(extension)s but contains a %(format)s image.")
            % {"extension": extension, "format": ART_FORMATS[image_format]},
            code="extension_mismatch",
        )
    min_width, min_height = ART_MIN_SIZE
    if width < min_width or height < min_height:
        raise ValidationError(
            _(
                "The image is %(width)s×%(height)s pixels; "
                "it must be at least %(min_width)s×%(min_height)s."
            )
            % {"width": width, "height": height, "min_width": min_width, "min_height": min_height},
            code="image_too_small",
        )
    if width > ART_MAX_SIDE or height > ART_MAX_SIDE or width * height > ART_MAX_PIXELS:
        raise ValidationError(
            _(
                "The image is %(width)s×%(height)s pixels; "
                "each side may be at most %(max_side)s and the whole at most %(max_mp)s megapixels."
            )
            % {
                "width": width,
                "height": height,
                "max_side": ART_MAX_SIDE,
                "max_mp": ART_MAX_PIXELS // 1_000_000,
            },
            code="image_too_big",
        )


def card_art_clean_copy(upload, *, name: str | None = None) -> bytes:
    """Validate the art (``validate_card_art``), then decode and re-encode it in its format.

    Only the pixels reach the media storage: metadata (EXIF with GPS, XMP, comments), any
    bytes appended after the image and anything a crafted file hid in its chunks are dropped.
    A photo's EXIF orientation is applied first, so it stays upright without its EXIF.
    """
    validate_card_art(upload, name=name)
    upload.seek(0)
    try:
        # The pixels are kept in one copy (24 megapixels are 96 MB): turned upright in place
        # and encoded before the file's image is closed, which frees them.
        with Image.open(upload) as image:
            image_format = image.format
            image.load()
            kept = {
                key: image.info[key] for key in ART_KEPT_INFO[image_format] if key in image.info
            }
            with contextlib.suppress(Exception):  # a malformed EXIF block only loses its rotation
                ImageOps.exif_transpose(image, in_place=True)
            image.info = {}
            clean = image
            if image_format == "JPEG" and image.mode not in ("RGB", "L", "CMYK"):
                clean = image.convert("RGB")
            encoded = io.BytesIO()
            clean.save(encoded, format=image_format, **ART_SAVE_OPTIONS[image_format], **kept)
    except (OSError, ValueError, SyntaxError):
        # verify() passed but the pixel data does not decode: a damaged or crafted file.
        raise ValidationError(
            _("The file is not a readable image (it may be damaged or not an image at all)."),
            code="invalid_image",
        ) from None
    finally:
        upload.seek(0)
    return encoded.getvalue()
