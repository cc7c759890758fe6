"""The minor arcana: suit symbols, the pip layouts of 2-10, the radiant Ace and the court emblems.

Every picture here is drawn inside the arched panel of the frame, whose centre line is x = 150.
"""

from __future__ import annotations

import math

from .primitives import (
    BACKGROUNDS,
    CREAM,
    GOLD,
    GOLD_DARK,
    GOLD_LIGHT,
    GOLD_OUTLINE,
    INK,
    LEAF,
    ROSE,
    WATER,
    circle,
    ellipse,
    group,
    line,
    line_art,
    path,
    pentagram_path,
    rect,
    spikes,
    star,
    svg_number,
    svg_point,
)

SUITS = ("wands", "cups", "swords", "pentacles")

# body, light, outline, accent for the suit symbols
SUIT_PALETTES = {
    "wands": {"body": "#de7434", "light": "#f7c46e", "dark": "#5a1d14", "accent": "#b8412b"},
    "cups": {"body": "#3aa2c6", "light": "#b5e6f2", "dark": "#0d2c48", "accent": GOLD},
    "swords": {"body": "#dbe5f1", "light": "#ffffff", "dark": "#34425f", "accent": "#8fb5dd"},
    "pentacles": {"body": GOLD, "light": "#fbe9b0", "dark": "#173d2b", "accent": "#4f9a5f"},
}
# Suit symbols in the frame's gold, for the majors that show one (the Magician's tools, the
# Temperance cups), so they read as part of the motif rather than as a minor card's pips.
GOLD_PALETTE = {"body": GOLD, "light": CREAM, "dark": INK, "accent": GOLD_LIGHT}

RANK_LABELS = {1: "A", 11: "P", 12: "Kn", 13: "Q", 14: "K"}
COURT_KINDS = {11: "page", 12: "knight", 13: "queen", 14: "king"}

# native (width, height) of each suit symbol drawn around (0, 0)
SYMBOL_SIZE = {"wands": (54, 100), "cups": (70, 100), "swords": (50, 100), "pentacles": (92, 92)}

_PIP_COLUMN_OFFSET = 58  # from the centre line


def suit_symbol(suit: str, palette: dict, stroke_width: float = 3.0) -> str:
    """The suit symbol drawn around (0, 0), about 100 units tall (see SYMBOL_SIZE)."""
    body, light, dark, accent = (
        palette["body"],
        palette["light"],
        palette["dark"],
        palette["accent"],
    )
    outlined = {
        "stroke": dark,
        "stroke_width": svg_number(stroke_width),
        "stroke_linejoin": "round",
    }
    if suit == "wands":
        leaves = (
            "M-6,-20 C-14,-22 -24,-30 -26,-44 C-14,-40 -8,-32 -6,-26 Z "
            "M6,4 C14,2 24,-6 27,-20 C15,-16 9,-8 6,-2 Z "
            "M-7,26 C-15,24 -24,16 -26,4 C-15,8 -9,14 -7,20 Z"
        )
        stave = "M-5,-49 C2,-51 7,-48 6,-42 L8,45 C8,50 -8,50 -8,45 L-7,-42 C-8,-46 -7,-48 -5,-49 Z"
        return (
            path(leaves, fill=light, **outlined)
            + path(stave, fill=body, **outlined)
            + path(
                "M-7.5,-33 L7,-31 M-8,12 L8,14 M-8,34 L8,36",
                fill="none",
                stroke=dark,
                stroke_width=svg_number(stroke_width),
                stroke_linecap="round",
            )
            + path(
                "M-2,-44 L-1.5,40",
                fill="none",
                stroke=light,
                stroke_width=svg_number(stroke_width * 0.9),
                stroke_linecap="round",
                opacity="0.55",
            )
        )
    if suit == "cups":
        cup = (
            "M-33,-42 C-33,-12 -20,4 -6,8 L-6,22 C-6,28 -12,32 -22,38 C-28,41 -31,45 -31,49 "
            "L31,49 C31,45 28,41 22,38 C12,32 6,28 6,22 L6,8 C20,4 33,-12 33,-42 Z"
        )
        return (
            path(cup, fill=body, **outlined)
            + path(
                "M-24,-30 C-24,-12 -14,0 -4,2",
                fill="none",
                stroke=light,
                stroke_width=svg_number(stroke_width * 1.1),
                stroke_linecap="round",
                opacity="0.7",
            )
            + ellipse(0, -42, 33, 8, fill=light, **outlined)
            + ellipse(0, 16, 11, 4.5, fill=accent, **outlined)
            + rect(-31, 44, 62, 5, rx="2.5", fill=accent, **outlined)
        )
    if suit == "swords":
        blade = "M0,-50 L9,-36 L9,20 L-9,20 L-9,-36 Z"
        guard = (
            "M-25,15 C-15,22 -6,21 0,20 C6,21 15,22 25,15 L25,24 C15,31 6,28 0,28 "
            "C-6,28 -15,31 -25,24 Z"
        )
        return (
            path(blade, fill=body, **outlined)
            + line(
                0,
                -36,
                0,
                14,
                stroke=accent,
                stroke_width=svg_number(stroke_width * 0.9),
                stroke_linecap="round",
            )
            + path(guard, fill=accent, **outlined)
            + rect(-4, 28, 8, 13, fill=dark, **outlined)
            + circle(0, 45, 5.5, fill=accent, **outlined)
        )
    if suit == "pentacles":
        return (
            circle(0, 0, 45, fill=body, **outlined)
            + circle(
                0, 0, 37, fill=accent, stroke=dark, stroke_width=svg_number(stroke_width * 0.8)
            )
            + path(
                pentagram_path(0, 0, 34),
                fill="none",
                stroke=light,
                stroke_width=svg_number(max(stroke_width * 1.3, 4)),
                stroke_linejoin="round",
            )
        )
    raise ValueError(f"unknown suit: {suit!r}")


def placed_suit_symbol(
    suit: str,
    palette: dict,
    cx: float,
    cy: float,
    height: float,
    css_class: str | None = None,
    outline_width: float = 2.0,
) -> str:
    """The suit symbol centred on (cx, cy) and ``height`` tall.

    The outline width is divided by the scale so every symbol on a card has the same visible
    outline, however small it is drawn.
    """
    scale = height / 100
    attributes = {
        "transform": f"translate({svg_number(cx)} {svg_number(cy)}) scale({svg_number(scale)})"
    }
    if css_class:
        attributes = {"class_": css_class, **attributes}
    return group(suit_symbol(suit, palette, stroke_width=outline_width / scale), **attributes)


def rank_label(rank: int) -> str:
    """What the cartouche shows: the number, or a letter for the Ace and the court."""
    return RANK_LABELS.get(rank, str(rank))


def cartouche_flank(suit: str) -> str:
    """Two small suit symbols either side of the rank label."""
    palette = SUIT_PALETTES[suit]
    return placed_suit_symbol(suit, palette, 86, 50, 26, outline_width=1.2) + placed_suit_symbol(
        suit, palette, 214, 50, 26, outline_width=1.2
    )


def minor_picture(suit: str, rank: int) -> str:
    """What the panel of a minor card shows: the Ace, the pips of 2-10 or a court emblem."""
    if rank == 1:
        picture = _ace(suit)
    elif rank <= 10:
        picture = _pips(suit, rank)
    else:
        picture = _court_emblem(suit, rank)
    return group(picture, class_=f"motif suit-{suit}")


# --------------------------------------------------------------------------- pips (2-10)


def _pip_rows(*rows: float, centre: tuple[float, ...] = ()) -> tuple[tuple[float, float], ...]:
    """Two columns of pips on ``rows`` plus pips on the centre line at ``centre``."""
    return (
        *((150 + offset, y) for y in rows for offset in (-_PIP_COLUMN_OFFSET, _PIP_COLUMN_OFFSET)),
        *((150, y) for y in centre),
    )


# rank: (largest pip height, pip centres), after the traditional playing-card layouts
PIP_LAYOUTS: dict[int, tuple[float, tuple[tuple[float, float], ...]]] = {
    2: (116, _pip_rows(centre=(164, 304))),
    3: (92, _pip_rows(centre=(138, 232, 326))),
    4: (100, _pip_rows(168, 300)),
    5: (86, _pip_rows(154, 318, centre=(236,))),
    6: (82, _pip_rows(152, 238, 324)),
    7: (82, _pip_rows(152, 238, 324, centre=(195,))),
    8: (80, _pip_rows(152, 238, 324, centre=(195, 281))),
    9: (64, _pip_rows(144, 209, 274, 339, centre=(241,))),
    10: (64, _pip_rows(144, 209, 274, 339, centre=(176, 307))),
}


def _pip_height(suit: str, rank: int) -> float:
    """The largest pip height (capped per rank) at which no two pips' boxes touch."""
    height_cap, positions = PIP_LAYOUTS[rank]
    native_width, native_height = SYMBOL_SIZE[suit]
    # A symbol placed at height h is really h * height_ratio tall (pentacles are not 100 high).
    aspect_ratio, height_ratio = native_width / native_height, native_height / 100
    spacing = 1.1  # boxes at least a tenth of their size apart
    height = height_cap
    for i, (x1, y1) in enumerate(positions):
        for x2, y2 in positions[i + 1 :]:
            dx, dy = abs(x1 - x2), abs(y1 - y2)
            if suit == "pentacles":  # round: only the distance between centres matters
                height = min(height, math.hypot(dx, dy) / (spacing * height_ratio))
            else:
                height = min(
                    height, max(dx / (aspect_ratio * spacing), dy / spacing) / height_ratio
                )
        # stay inside the arched panel and clear of its border
        top = 96 if x1 == 150 else 110
        height = min(height, 2 * (y1 - top) / height_ratio, 2 * (369 - y1) / height_ratio)
        height = min(height, 2 * (102 - abs(x1 - 150)) / (aspect_ratio * height_ratio))
    return height


def _pips(suit: str, rank: int) -> str:
    _, positions = PIP_LAYOUTS[rank]
    palette = SUIT_PALETTES[suit]
    height = _pip_height(suit, rank)
    return "".join(
        placed_suit_symbol(suit, palette, x, y, height, css_class=f"pip pip-{suit}")
        for x, y in positions
    )


# --------------------------------------------------------------------------- Ace


def _ace(suit: str) -> str:
    palette = SUIT_PALETTES[suit]
    height = 150 if suit != "pentacles" else 132
    return (
        circle(150, 236, 104, fill=palette["light"], opacity="0.1")
        + spikes(150, 236, 40, 118, 24, 3.2, fill=palette["light"], opacity="0.55")
        + spikes(150, 236, 40, 96, 24, 2.2, rotation=7.5, fill=GOLD, opacity="0.75")
        + circle(150, 236, 70, fill="none", stroke=GOLD, stroke_width="1.5", stroke_opacity="0.7")
        + "".join(
            star(x, y, 7, 2.5, 4, fill=GOLD_LIGHT)
            for x, y in ((72, 130), (228, 130), (68, 348), (232, 348))
        )
        + placed_suit_symbol(
            suit, palette, 150, 236, height, css_class=f"ace pip-{suit}", outline_width=3
        )
    )


# --------------------------------------------------------------------------- court cards


def _court_headgear(kind: str) -> str:
    """Headgear for the court cards, drawn around (150, 150)."""
    if kind == "page":  # a soft cap with a long feather
        return (
            path(
                "M176,138 C196,108 226,102 240,108 C222,114 204,126 186,146 Z",
                fill=CREAM,
                **GOLD_OUTLINE,
            )
            + path("M188,140 L228,110", stroke=GOLD_DARK, stroke_width="1.5")
            + path(
                "M104,172 C100,138 124,120 150,120 C182,120 202,138 196,172 Z",
                fill=ROSE,
                **GOLD_OUTLINE,
            )
            + rect(100, 166, 100, 16, rx="8", fill=GOLD, **GOLD_OUTLINE)
            + circle(150, 174, 4.5, fill=CREAM)
        )
    if kind == "knight":  # a helm with visor slits and a plume
        helm = "M112,186 L112,150 C112,124 128,110 150,110 C172,110 188,124 188,150 L188,186 Z"
        return (
            path(
                "M150,114 C160,88 188,80 206,90 C190,92 178,102 170,116 Z",
                fill=ROSE,
                **GOLD_OUTLINE,
            )
            + path(helm, fill="#c8d3e2", **GOLD_OUTLINE)
            + path("M150,112 L150,186", stroke=GOLD, stroke_width="3")
            + path("M120,150 L180,150 M122,162 L178,162", **line_art(stroke=INK, stroke_width="4"))
            + rect(108, 180, 84, 10, rx="4", fill=GOLD, **GOLD_OUTLINE)
        )
    if kind == "queen":  # a rounded crown topped with pearls
        crown = (
            "M104,184 L100,132 C116,152 126,146 128,128 C136,146 144,146 150,122 "
            "C156,146 164,146 172,128 C174,146 184,152 200,132 L196,184 Z"
        )
        return (
            path(crown, fill=GOLD, **GOLD_OUTLINE)
            + "".join(
                circle(x, y, 6, fill=CREAM, **GOLD_OUTLINE)
                for x, y in ((100, 128), (128, 122), (150, 115), (172, 122), (200, 128))
            )
            + rect(102, 170, 96, 14, rx="4", fill=GOLD_LIGHT, **GOLD_OUTLINE)
            + circle(150, 158, 7, fill=WATER, **GOLD_OUTLINE)
        )
    # king: a tall spiked crown with a cross
    crown = "M100,186 L96,120 L118,148 L132,108 L150,140 L168,108 L182,148 L204,120 L200,186 Z"
    return (
        path("M150,108 L150,80 M140,90 L160,90", **line_art(stroke=GOLD_LIGHT, stroke_width="6"))
        + path(crown, fill=GOLD, **GOLD_OUTLINE)
        + rect(98, 168, 104, 18, rx="4", fill=GOLD_LIGHT, **GOLD_OUTLINE)
        + circle(124, 177, 4.5, fill=ROSE)
        + circle(150, 177, 4.5, fill=WATER)
        + circle(176, 177, 4.5, fill=ROSE)
        + path("M150,134 L158,150 L150,164 L142,150 Z", fill=ROSE, **GOLD_OUTLINE)
    )


def _laurel_branch(side: int) -> str:
    """A laurel branch curving up one side (-1 left, 1 right) of the court shield."""
    start, control, end = (150 + side * 10, 368), (150 + side * 104, 352), (150 + side * 86, 214)
    branch = [
        path(
            f"M{svg_point(*start)} Q{svg_point(*control)} {svg_point(*end)}",
            fill="none",
            stroke="#6f9f58",
            stroke_width="3",
            stroke_linecap="round",
        )
    ]
    # pairs of leaves along the quadratic curve, each pair angled off the curve's direction
    for i in range(7):
        t = 0.16 + i * 0.13
        x = (1 - t) ** 2 * start[0] + 2 * (1 - t) * t * control[0] + t**2 * end[0]
        y = (1 - t) ** 2 * start[1] + 2 * (1 - t) * t * control[1] + t**2 * end[1]
        direction_x = 2 * (1 - t) * (control[0] - start[0]) + 2 * t * (end[0] - control[0])
        direction_y = 2 * (1 - t) * (control[1] - start[1]) + 2 * t * (end[1] - control[1])
        direction = math.degrees(math.atan2(direction_y, direction_x))
        for spread in (-38, 38):
            leaf_angle = math.radians(direction + spread)
            leaf_x, leaf_y = x + 9 * math.cos(leaf_angle), y + 9 * math.sin(leaf_angle)
            branch.append(
                ellipse(
                    leaf_x,
                    leaf_y,
                    9,
                    3.8,
                    fill=LEAF,
                    transform=(
                        f"rotate({svg_number(direction + spread)} "
                        f"{svg_number(leaf_x)} {svg_number(leaf_y)})"
                    ),
                )
            )
    branch.append(ellipse(end[0], end[1] - 6, 4, 8, fill=LEAF))
    return "".join(branch)


def _lance(side: int) -> str:
    """A lance with a pennant, crossed behind the knight's shield."""
    butt_x, butt_y, tip_x, tip_y = 150 - side * 84, 364, 150 + side * 78, 150
    pennant = (
        f"M{svg_point(tip_x - side * 4, tip_y + 10)} L{svg_point(tip_x + side * 30, tip_y + 18)} "
        f"L{svg_point(tip_x + side * 16, tip_y + 26)} L{svg_point(tip_x + side * 28, tip_y + 36)} "
        f"L{svg_point(tip_x - side * 9, tip_y + 30)} Z"
    )
    return (
        line(
            butt_x,
            butt_y,
            tip_x,
            tip_y,
            stroke=GOLD_LIGHT,
            stroke_width="5",
            stroke_linecap="round",
        )
        + path(pennant, fill=ROSE, stroke=GOLD, stroke_width="1.5", stroke_linejoin="round")
        + path(
            f"M{svg_point(tip_x, tip_y - 14)} L{svg_point(tip_x + side * 6, tip_y + 4)} "
            f"L{svg_point(tip_x - side * 5, tip_y + 2)} Z",
            fill=CREAM,
        )
    )


def _court_emblem(suit: str, rank: int) -> str:
    """A heraldic shield bearing the suit symbol, under the rank's headgear."""
    kind = COURT_KINDS[rank]
    shield = "M92,196 L208,196 L208,270 C208,316 180,340 150,360 C120,340 92,316 92,270 Z"
    surround = ""
    if kind in ("queen", "king"):
        surround = _laurel_branch(-1) + _laurel_branch(1)
    if kind == "knight":
        surround = _lance(1) + _lance(-1)
    if kind == "page":
        surround = "".join(
            star(x, y, 9, 3.2, 4, fill=GOLD_LIGHT)
            for x, y in ((70, 240), (230, 240), (82, 330), (218, 330))
        )
    return (
        surround
        + path(
            shield,
            fill=BACKGROUNDS[suit][2],
            stroke=GOLD,
            stroke_width="4.5",
            stroke_linejoin="round",
        )
        + path(
            "M101,205 L199,205 L199,270 C199,310 175,331 150,348 C125,331 101,310 101,270 Z",
            fill="none",
            stroke=GOLD,
            stroke_width="1.5",
            stroke_opacity="0.7",
        )
        + placed_suit_symbol(
            suit,
            SUIT_PALETTES[suit],
            150,
            268,
            96 if suit != "pentacles" else 84,
            css_class=f"emblem pip-{suit}",
            outline_width=2.2,
        )
        + _court_headgear(kind)
    )
