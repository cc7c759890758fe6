from django import template
from django.urls import Resolver404, resolve, reverse, translate_url
from django.utils import translation

from tarot.models import Card, CardText
from tarot.numerals import roman_numeral
from tarot.presentation import card_art_url as art_url

register = template.Library()


@register.simple_tag(takes_context=True)
def translated_url(context, language: str) -> str:
    """This page's address in ``language`` (under i18n_patterns the prefix sets the language).

    Only a path the URLconf knows is translated: any other is what a visitor typed (a 404 page
    for ``//evil.com/`` must not link to another site), so it gets the home page instead.
    """
    request = context["request"]
    try:
        resolve(request.path_info)
    except Resolver404:
        with translation.override(language):
            return reverse("home")
    return translate_url(request.get_full_path(), language)


@register.filter
def card_art_url(card) -> str:
    return art_url(card)


@register.filter
def text_for(card: Card, is_reversed: bool) -> CardText:
    """``card|text_for:is_reversed``: ``Card.text_for`` for templates, which cannot pass a
    keyword argument."""
    return card.text_for(is_reversed=bool(is_reversed))


register.filter("roman", roman_numeral)


CARD_WIDTH, CARD_HEIGHT = 1.0, 1.6
LAYOUT_MARGIN = 0.15


@register.inclusion_tag("includes/spread_layout.html")
def spread_layout(spread, positions=None, label: str = ""):
    """An SVG diagram of the spread drawn from its positions' coordinates (card centres)."""
    positions = list(positions if positions is not None else spread.positions.all())
    crossed = {(p.x, p.y) for p in positions if p.rotated}
    boxes = []
    for position in positions:
        # A card with a crossing card on it shows its number above the crossing card.
        label_offset = 0.12 if position.rotated else 0
        if not position.rotated and (position.x, position.y) in crossed:
            label_offset = -0.56
        width, height = (CARD_HEIGHT, CARD_WIDTH) if position.rotated else (CARD_WIDTH, CARD_HEIGHT)
        boxes.append(
            {
                "order": position.order,
                "name": position.name,
                "x": round(position.x - width / 2, 3),
                "y": round(position.y - height / 2, 3),
                "width": width,
                "height": height,
                "cx": round(position.x, 3),
                "cy": round(position.y + label_offset, 3),
                "rotated": position.rotated,
            }
        )
    if not boxes:
        return {"boxes": [], "view_box": "0 0 1 1.6", "label": label}
    left = min(box["x"] for box in boxes) - LAYOUT_MARGIN
    top = min(box["y"] for box in boxes) - LAYOUT_MARGIN
    right = max(box["x"] + box["width"] for box in boxes) + LAYOUT_MARGIN
    bottom = max(box["y"] + box["height"] for box in boxes) + LAYOUT_MARGIN
    return {
        "boxes": boxes,
        "view_box": f"{left:.3f} {top:.3f} {right - left:.3f} {bottom - top:.3f}",
        "label": label or spread.name,
    }
