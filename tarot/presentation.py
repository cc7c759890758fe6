"""How cards reach the page: the art URL (uploaded image or the generated face)."""

from django.urls import reverse

from .models import Card


def card_art_url(card: Card) -> str:
    """The uploaded art when an editor gave one, otherwise the generated SVG face.

    The generated URL carries the card's last change as ``v`` so it can be cached for a year:
    an edit produces a new URL instead of a stale image.
    """
    if card.art:
        return card.art.url
    version = int(card.updated_at.timestamp()) if card.updated_at else 0
    return f"{reverse('tarot:card-art', kwargs={'slug': card.slug})}?v={version}"
