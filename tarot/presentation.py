"""How cards reach the page: the art URL (uploaded image or the generated face), the numeral."""

import hashlib

from django.urls import reverse

from .art import card_face_svg
from .art.majors import ROMAN_NUMERALS
from .models import Card


def roman_numeral(number: int) -> str:
    """A major arcanum's number as its generated face prints it: 0 for the Fool, then I to XXI."""
    return ROMAN_NUMERALS[number]


def card_art_url(card: Card) -> str:
    """The uploaded art when an editor gave one, otherwise the generated SVG face.

    The generated URL carries a fingerprint of what the face shows (in the active language), so
    it can be cached for a year: a renamed card gets a new URL instead of a stale image.
    """
    if card.art:
        return card.art.url
    url = reverse("tarot:card-art", kwargs={"slug": card.slug})
    return f"{url}?v={card_art_version(card)}"


def card_art_version(card: Card) -> str:
    shown = f"{card.slug}|{card.arcana}|{card.number}|{card.suit}|{card.rank}|{card.name}"
    return hashlib.sha256(shown.encode()).hexdigest()[:12]


def card_generated_face(card: Card) -> str:
    """The card's generated SVG face, in the active language."""
    return card_face_svg(
        arcana=card.arcana,
        number=card.number,
        suit=card.suit,
        rank=card.rank,
        name=card.name,
        slug=card.slug,
    )
