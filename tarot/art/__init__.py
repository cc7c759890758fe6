"""Generated tarot card art: every card face and the card back as a self-contained SVG string.

One visual style for the whole 78-card deck: a deep indigo card with a gold line-art frame and
corner ornaments, a numeral cartouche at the top, an arched picture panel and a name ribbon at the
bottom. Each major arcanum has its own geometric motif; the minors use a suit palette and suit
symbols drawn as SVG paths (pip layouts for 2-10, a radiant Ace, heraldic court emblems).

Standard library only, no Django: the output depends on the arguments alone (same input, same
bytes), references nothing outside itself (no images, fonts or scripts) and is well-formed XML.
Element ids are prefixed with the card's slug so several cards can be inlined in one page.

The modules build on one another in this order: ``primitives`` (colours and SVG elements),
``minors`` (suit symbols and the minor arcana), ``majors`` (the 22 motifs, some of which use
suit symbols) and ``frame`` (the card around the picture, and the documents).
"""

from .frame import card_back_svg, card_face_svg

__all__ = ["card_back_svg", "card_face_svg"]
