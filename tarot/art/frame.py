"""The card around the picture, and the two public documents: a card's face and the card back.

A face is a deep gradient card with a gold border and corner ornaments, a cartouche with the
card's number at the top, an arched panel holding the arcana's picture (see ``majors`` and
``minors``) and a ribbon with the card's name at the bottom.
"""

from __future__ import annotations

import math
import re

from ..numerals import roman_numeral
from .majors import major_picture
from .minors import SUITS, cartouche_flank, minor_picture, rank_label
from .primitives import (
    BACKGROUNDS,
    CREAM,
    FONT_FAMILY,
    GOLD,
    GOLD_DARK,
    GOLD_LIGHT,
    INK,
    NIGHT,
    circle,
    escape_xml,
    group,
    line,
    path,
    rect,
    spikes,
    star,
    strip_invalid_xml,
    svg_number,
    text_width_em,
)

CARD_WIDTH, CARD_HEIGHT = 300, 480

_PANEL_OUTLINE = "M38,380 L38,148 Q38,98 150,86 Q262,98 262,148 L262,380 Z"


def card_face_svg(
    *, arcana: str, number: int, suit: str | None, rank: int | None, name: str, slug: str
) -> str:
    """The face of one card as a standalone SVG document (viewBox 0 0 300 480)."""
    name = str(name)
    if arcana == "major":
        if not 0 <= number <= 21:
            raise ValueError(f"major arcana number out of range: {number!r}")
        return _card_face(name, slug, "major", roman_numeral(number), major_picture(number))
    if arcana != "minor":
        raise ValueError(f"unknown arcana: {arcana!r}")
    if suit not in SUITS:
        raise ValueError(f"unknown suit: {suit!r}")
    rank = number if rank is None else rank
    if not 1 <= rank <= 14:
        raise ValueError(f"minor arcana rank out of range: {rank!r}")
    return _card_face(
        name, slug, suit, rank_label(rank), minor_picture(suit, rank), cartouche_flank(suit)
    )


def card_back_svg() -> str:
    """The card back: symmetric under a half turn so reversed cards cannot be told apart."""
    id_prefix = "ta-card-back"
    half = (
        # crescent and small stars on one half; the other half is the same turned 180 degrees
        path("M128,104 A26,26 0 1 0 172,104 A22,20 0 1 1 128,104 Z", fill=GOLD)
        + star(150, 140, 7, 2.6, 4, fill=GOLD_LIGHT)
        + star(80, 110, 6, 2.2, 4, fill=GOLD_LIGHT)
        + star(220, 110, 6, 2.2, 4, fill=GOLD_LIGHT)
        + circle(64, 170, 2.4, fill=GOLD_LIGHT)
        + circle(236, 170, 2.4, fill=GOLD_LIGHT)
        + path("M150,52 L160,66 L150,80 L140,66 Z", fill=GOLD, stroke=GOLD_DARK, stroke_width="1.2")
        + path("M92,66 L208,66", stroke=GOLD, stroke_width="1.5")
        + circle(92, 66, 3, fill=GOLD)
        + circle(208, 66, 3, fill=GOLD)
    )
    lattice = "".join(
        line(x, 30, x + 240, 450, stroke=GOLD, stroke_width="0.8", stroke_opacity="0.16")
        + line(300 - x, 30, 60 - x, 450, stroke=GOLD, stroke_width="0.8", stroke_opacity="0.16")
        for x in range(-240, 300, 30)
    )
    medallion = (
        circle(150, 240, 96, fill=INK, stroke=GOLD, stroke_width="4")
        + circle(150, 240, 88, fill="none", stroke=GOLD, stroke_width="1.2", stroke_opacity="0.7")
        + "".join(
            circle(
                150 + 92 * math.cos(math.radians(degrees)),
                240 + 92 * math.sin(math.radians(degrees)),
                2.2,
                fill=GOLD_LIGHT,
            )
            for degrees in range(0, 360, 15)
        )
        + spikes(150, 240, 30, 82, 16, 4.5, fill=GOLD, opacity="0.9")
        + spikes(150, 240, 30, 64, 16, 4, rotation=11.25, fill=GOLD_LIGHT, opacity="0.8")
        + star(150, 240, 40, 16, 8, fill=CREAM, stroke=GOLD, stroke_width="2")
        + circle(150, 240, 14, fill=INK, stroke=GOLD, stroke_width="3")
        + star(150, 240, 8, 3, 4, rotation=-45, fill=GOLD_LIGHT)
    )
    body = (
        "<defs>"
        f'<radialGradient id="{id_prefix}-bg" cx="0.5" cy="0.5" r="0.7">'
        f'<stop offset="0" stop-color="#2c3483"/><stop offset="1" stop-color="#0a0d2a"/>'
        "</radialGradient>"
        f'<linearGradient id="{id_prefix}-gold" x1="0" y1="0" x2="1" y2="1">'
        f'<stop offset="0" stop-color="{GOLD_LIGHT}"/><stop offset="0.5" stop-color="{GOLD}"/>'
        f'<stop offset="1" stop-color="{GOLD_LIGHT}"/>'
        "</linearGradient>"
        f'<clipPath id="{id_prefix}-clip"><rect x="30" y="30" width="240" height="420" rx="6"/>'
        "</clipPath>"
        "</defs>"
        + _border(id_prefix)
        + rect(30, 30, 240, 420, rx="6", fill="none", stroke=GOLD, stroke_width="2")
        + group(lattice, clip_path=f"url(#{id_prefix}-clip)")
        + rect(
            36,
            36,
            228,
            408,
            rx="4",
            fill="none",
            stroke=GOLD,
            stroke_width="0.9",
            stroke_opacity="0.6",
        )
        + group(half)
        + group(half, transform="rotate(180 150 240)")
        + medallion
    )
    return _svg_document("Tarot Master", body)


def _card_face(
    name: str, slug: str, background: str, numeral: str, picture: str, flank: str = ""
) -> str:
    id_prefix = _element_id_prefix(slug, background)
    body = (
        _gradients(id_prefix, background)
        + _border(id_prefix)
        + _numeral_cartouche(numeral, flank)
        + _picture_panel(id_prefix)
        + picture
        + _name_ribbon(name, id_prefix)
    )
    return _svg_document(name, body)


def _element_id_prefix(slug: str, background: str) -> str:
    """Element id prefix, so several cards can be inlined in one page without clashing ids.

    The slug plus the background key: equal ids then mean equal gradient definitions.
    """
    clean = re.sub(r"[^a-z0-9-]+", "-", str(slug).lower()).strip("-")
    return f"ta-{clean}-{background}" if clean else f"ta-{background}"


def _gradients(id_prefix: str, background: str) -> str:
    top, bottom, glow = BACKGROUNDS[background]
    return (
        "<defs>"
        f'<linearGradient id="{id_prefix}-bg" x1="0" y1="0" x2="0.35" y2="1">'
        f'<stop offset="0" stop-color="{top}"/><stop offset="1" stop-color="{bottom}"/>'
        "</linearGradient>"
        f'<radialGradient id="{id_prefix}-glow" cx="0.5" cy="0.45" r="0.6">'
        f'<stop offset="0" stop-color="{glow}" stop-opacity="0.95"/>'
        f'<stop offset="1" stop-color="{bottom}" stop-opacity="0.2"/>'
        "</radialGradient>"
        f'<linearGradient id="{id_prefix}-gold" x1="0" y1="0" x2="1" y2="1">'
        f'<stop offset="0" stop-color="{GOLD_LIGHT}"/><stop offset="0.5" stop-color="{GOLD}"/>'
        f'<stop offset="1" stop-color="{GOLD_DARK}"/>'
        "</linearGradient>"
        "</defs>"
    )


def _corner_ornament() -> str:
    """The top-left corner ornament; the others are mirrors of it."""
    return (
        path("M16,58 L16,30 Q16,16 30,16 L58,16", fill="none", stroke=GOLD, stroke_width="2.5")
        + path("M26,26 L38,22 L26,38 Z", fill=GOLD)
        + circle(26, 26, 5.5, fill=GOLD_LIGHT, stroke=GOLD_DARK, stroke_width="1.2")
        + path("M33,40 Q40,40 40,33", fill="none", stroke=GOLD, stroke_width="2")
        + circle(62, 16, 2.6, fill=GOLD)
        + circle(16, 62, 2.6, fill=GOLD)
    )


def _border(id_prefix: str) -> str:
    """The card's background, its double gold border and the four corner ornaments."""
    corner = _corner_ornament()
    return (
        rect(0, 0, CARD_WIDTH, CARD_HEIGHT, rx="18", fill=f"url(#{id_prefix}-bg)")
        + rect(
            7,
            7,
            CARD_WIDTH - 14,
            CARD_HEIGHT - 14,
            rx="13",
            fill="none",
            stroke=f"url(#{id_prefix}-gold)",
            stroke_width="4",
        )
        + rect(
            15,
            15,
            CARD_WIDTH - 30,
            CARD_HEIGHT - 30,
            rx="8",
            fill="none",
            stroke=GOLD,
            stroke_width="1.2",
            stroke_opacity="0.8",
        )
        + group(corner)
        + group(corner, transform=f"matrix(-1 0 0 1 {CARD_WIDTH} 0)")
        + group(corner, transform=f"matrix(1 0 0 -1 0 {CARD_HEIGHT})")
        + group(corner, transform=f"matrix(-1 0 0 -1 {CARD_WIDTH} {CARD_HEIGHT})")
    )


def _picture_panel(id_prefix: str) -> str:
    return path(
        _PANEL_OUTLINE, fill=f"url(#{id_prefix}-glow)", stroke=GOLD, stroke_width="2"
    ) + path(
        "M45,373 L45,150 Q45,106 150,94 Q255,106 255,150 L255,373 Z",
        fill="none",
        stroke=GOLD,
        stroke_width="0.9",
        stroke_opacity="0.55",
    )


def _numeral_cartouche(numeral: str, flank: str) -> str:
    """The rounded plate with the card's number, on a gold rule with ornaments either side.

    ``flank`` replaces the plain gold diamonds either side (the minors show their suit there).
    """
    font_size = 25 if len(numeral) <= 3 else 22
    width = max(54.0, text_width_em(numeral) * font_size + 30)
    left = 150 - width / 2
    flank = flank or (
        path("M78,50 L86,44 L94,50 L86,56 Z", fill=GOLD)
        + path("M206,50 L214,44 L222,50 L214,56 Z", fill=GOLD)
    )
    return (
        line(60, 50, left, 50, stroke=GOLD, stroke_width="1.5")
        + line(left + width, 50, 240, 50, stroke=GOLD, stroke_width="1.5")
        + flank
        + rect(left, 31, width, 38, rx="19", fill=INK, stroke=GOLD, stroke_width="2.2")
        + rect(
            left + 4,
            35,
            width - 8,
            30,
            rx="15",
            fill="none",
            stroke=GOLD,
            stroke_width="0.8",
            stroke_opacity="0.6",
        )
        + f'<text x="150" y="{svg_number(50 + font_size * 0.36)}" text-anchor="middle" '
        f'font-family="{FONT_FAMILY}" font-size="{font_size}" font-weight="700" '
        f'letter-spacing="1" fill="{GOLD_LIGHT}">{escape_xml(numeral)}</text>'
    )


def _balanced_two_lines(name: str) -> tuple[float, str, str] | None:
    """The break between words that makes the wider of the two lines narrowest, as
    (that width in em, first line, second line); None for a single word."""
    words = name.split()
    if len(words) < 2:
        return None
    best = None
    for i in range(1, len(words)):
        first, second = " ".join(words[:i]), " ".join(words[i:])
        widest = max(text_width_em(first), text_width_em(second))
        if best is None or widest < best[0]:
            best = (widest, first, second)
    return best


def _name_ribbon(name: str, id_prefix: str) -> str:
    name = " ".join(strip_invalid_xml(name).split())
    ribbon = (
        path(
            "M20,404 L52,404 L52,452 L20,452 L31,428 Z",
            fill="#070a1c",
            stroke=GOLD,
            stroke_width="1.8",
            stroke_linejoin="round",
        )
        + path(
            "M280,404 L248,404 L248,452 L280,452 L269,428 Z",
            fill="#070a1c",
            stroke=GOLD,
            stroke_width="1.8",
            stroke_linejoin="round",
        )
        + path("M40,444 L52,452 L52,444 Z", fill=GOLD_DARK)
        + path("M260,444 L248,452 L248,444 Z", fill=GOLD_DARK)
        + path(
            "M40,392 Q150,384 260,392 L260,444 Q150,436 40,444 Z",
            fill=NIGHT,
            stroke=f"url(#{id_prefix}-gold)",
            stroke_width="2.4",
            stroke_linejoin="round",
        )
        + path(
            "M46,398 Q150,390 254,398 M46,438 Q150,430 254,438",
            fill="none",
            stroke=GOLD,
            stroke_width="0.8",
            stroke_opacity="0.6",
        )
    )
    available_width, largest_size, largest_two_line_size, centre_y = 190.0, 26.0, 20.0, 415.0
    lines = [name]
    font_size = min(largest_size, available_width / max(text_width_em(name), 0.5))
    # A long name is tried on two lines, which are kept only when they read clearly larger.
    split = _balanced_two_lines(name) if font_size < 22 else None
    if split:
        widest_em, first, second = split
        two_line_size = min(largest_two_line_size, available_width / widest_em)
        if two_line_size > font_size + 1.5:
            lines, font_size = [first, second], two_line_size
    # Below 11 a name would be unreadable: keep 11 and squeeze the letters to fit instead.
    squeezed = font_size < 11
    if squeezed:
        font_size = 11.0
    attributes = (
        f'text-anchor="middle" font-family="{FONT_FAMILY}" font-size="{svg_number(font_size)}" '
        f'font-weight="700" fill="{CREAM}"'
    )
    squeeze = f' textLength="{svg_number(available_width)}" lengthAdjust="spacingAndGlyphs"'
    # the text's y is its baseline; 0.36 em below the centre line centres the capitals on it
    baseline_offset = font_size * 0.36
    if len(lines) == 1:
        if squeezed:
            attributes += squeeze
        text = (
            f'<text x="150" y="{svg_number(centre_y + baseline_offset)}" {attributes}>'
            f"{escape_xml(name)}</text>"
        )
    else:
        line_gap = font_size * 1.08
        spans = []
        for text_line, offset in zip(lines, (-line_gap / 2, line_gap / 2), strict=True):
            fitted = squeeze if text_width_em(text_line) * font_size > available_width else ""
            spans.append(
                f'<tspan x="150" y="{svg_number(centre_y + offset + baseline_offset)}"{fitted}>'
                f"{escape_xml(text_line)}</tspan>"
            )
        text = f"<text {attributes}>{''.join(spans)}</text>"
    return ribbon + text


def _svg_document(title: str, body: str) -> str:
    """The standalone document, titled and labelled for screen readers with ``title``."""
    title = escape_xml(title)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {CARD_WIDTH} {CARD_HEIGHT}" '
        f'role="img" aria-label="{title}" class="tarot-card" '
        f'preserveAspectRatio="xMidYMid meet"><title>{title}</title>{body}</svg>'
    )
