"""The drawing vocabulary every card shares: colours, stroke styles and SVG element builders.

Numbers are written with at most two decimals and no trailing zeros, so equal drawings give equal
bytes whatever float noise the geometry picked up, and the documents stay small.
"""

from __future__ import annotations

import math
import re

FONT_FAMILY = "'Noto Serif KR', 'Nanum Myeongjo', 'Noto Serif CJK KR', serif"

GOLD = "#d9b86c"
GOLD_LIGHT = "#f4dfa2"
GOLD_DARK = "#9b7a3e"
CREAM = "#f6ecd2"
INK = "#0b0f27"
NIGHT = "#161c48"
WATER = "#8cc6e8"
ROSE = "#c4574b"
LEAF = "#9fc27a"

# background top, background bottom, panel glow per arcana / suit
BACKGROUNDS = {
    "major": ("#232a6b", "#0c1030", "#3a4395"),
    "wands": ("#3a1f45", "#130c24", "#6a3350"),
    "cups": ("#123459", "#081628", "#23608a"),
    "swords": ("#25304f", "#0c1124", "#44577e"),
    "pentacles": ("#173a3a", "#0a1820", "#2e6650"),
}

# The edge drawn around filled shapes so they read as gold-framed on the dark card.
GOLD_OUTLINE = {"stroke": GOLD, "stroke_width": "3.5", "stroke_linejoin": "round"}

_LINE_ART = {
    "fill": "none",
    "stroke": GOLD,
    "stroke_width": "5",
    "stroke_linecap": "round",
    "stroke_linejoin": "round",
}

# Characters XML 1.0 forbids even when escaped; a card name holding one would break the document.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# Hangul jamo, CJK (incl. Hangul compatibility jamo), Hangul syllables, compatibility and fullwidth
_WIDE_RANGES = (
    (0x1100, 0x11FF),
    (0x2E80, 0xA4CF),
    (0xAC00, 0xD7AF),
    (0xF900, 0xFAFF),
    (0xFF00, 0xFFEF),
)


def line_art(**overrides) -> dict:
    """Attributes for an unfilled, round-capped gold stroke, the motifs' line-art look."""
    return {**_LINE_ART, **overrides}


def svg_number(value: float) -> str:
    """``value`` with at most two decimals and no trailing zeros: ``12``, ``12.5``, ``-3.14``."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def svg_point(x: float, y: float) -> str:
    """A coordinate pair as path data and polygon points write it: ``x,y``."""
    return f"{svg_number(x)},{svg_number(y)}"


def strip_invalid_xml(text: str) -> str:
    return _INVALID_XML.sub("", text)


def escape_xml(text: str) -> str:
    """``text`` safe inside an element or a double- or single-quoted attribute."""
    return (
        strip_invalid_xml(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


def svg_attributes(attributes: dict) -> str:
    """Keyword arguments as SVG attributes: ``stroke_width`` is ``stroke-width``, ``class_`` is
    ``class`` (a trailing underscore lets Python keywords through)."""
    return "".join(
        f' {name.rstrip("_").replace("_", "-")}="{value}"' for name, value in attributes.items()
    )


def _element(tag: str, geometry: dict, attributes: dict) -> str:
    numbers = "".join(f' {name}="{svg_number(value)}"' for name, value in geometry.items())
    return f"<{tag}{numbers}{svg_attributes(attributes)}/>"


def path(data: str, **attributes) -> str:
    return f'<path d="{data}"{svg_attributes(attributes)}/>'


def polygon(points, **attributes) -> str:
    corners = " ".join(svg_point(x, y) for x, y in points)
    return f'<polygon points="{corners}"{svg_attributes(attributes)}/>'


def circle(cx: float, cy: float, r: float, **attributes) -> str:
    return _element("circle", {"cx": cx, "cy": cy, "r": r}, attributes)


def ellipse(cx: float, cy: float, rx: float, ry: float, **attributes) -> str:
    return _element("ellipse", {"cx": cx, "cy": cy, "rx": rx, "ry": ry}, attributes)


def line(x1: float, y1: float, x2: float, y2: float, **attributes) -> str:
    return _element("line", {"x1": x1, "y1": y1, "x2": x2, "y2": y2}, attributes)


def rect(x: float, y: float, width: float, height: float, **attributes) -> str:
    return _element("rect", {"x": x, "y": y, "width": width, "height": height}, attributes)


def group(content: str, **attributes) -> str:
    return f"<g{svg_attributes(attributes)}>{content}</g>"


def polar_point(cx: float, cy: float, radius: float, angle: float) -> tuple[float, float]:
    """The point ``radius`` from (cx, cy) at ``angle`` radians; SVG's y axis points down, so
    angles turn clockwise on the card."""
    return cx + radius * math.cos(angle), cy + radius * math.sin(angle)


def star(
    cx: float,
    cy: float,
    outer_radius: float,
    inner_radius: float,
    tips: int,
    rotation: float = -90,
    **attributes,
) -> str:
    """A star polygon; the default rotation points the first tip straight up."""
    corners = []
    for i in range(tips * 2):
        radius = outer_radius if i % 2 == 0 else inner_radius
        corners.append(polar_point(cx, cy, radius, math.radians(rotation + i * 180 / tips)))
    return polygon(corners, **attributes)


def pentagram_path(cx: float, cy: float, radius: float, rotation: float = -90) -> str:
    """Path data for a five-pointed star drawn in one stroke, every second corner in turn."""
    corners = [
        polar_point(cx, cy, radius, math.radians(rotation + (i * 2 % 5) * 72)) for i in range(5)
    ]
    return "M" + " L".join(svg_point(x, y) for x, y in corners) + " Z"


def rays(cx, cy, inner_radius, outer_radius, count, rotation, **attributes) -> str:
    """``count`` evenly spaced straight strokes between two radii, as one path."""
    strokes = []
    for i in range(count):
        angle = math.radians(rotation + i * 360 / count)
        start = svg_point(*polar_point(cx, cy, inner_radius, angle))
        end = svg_point(*polar_point(cx, cy, outer_radius, angle))
        strokes.append(f"M{start} L{end}")
    return path(" ".join(strokes), **attributes)


def spikes(
    cx,
    cy,
    inner_radius,
    outer_radius,
    count,
    half_angle,
    rotation=0.0,
    span=360.0,
    **attributes,
) -> str:
    """Triangular rays (a sunburst) as one path; ``span`` degrees are shared out from ``rotation``.

    Each spike's base spans ``half_angle`` degrees either side of its tip.
    """
    triangles = []
    for i in range(count):
        tip_degrees = rotation + i * span / count
        left, right, tip = (
            math.radians(degrees)
            for degrees in (tip_degrees - half_angle, tip_degrees + half_angle, tip_degrees)
        )
        triangles.append(
            f"M{svg_point(*polar_point(cx, cy, inner_radius, left))}"
            f" L{svg_point(*polar_point(cx, cy, outer_radius, tip))}"
            f" L{svg_point(*polar_point(cx, cy, inner_radius, right))} Z"
        )
    return path(" ".join(triangles), **attributes)


def text_width_em(text: str) -> float:
    """Estimated advance width of ``text`` in em for the serif stack.

    The SVG has no font metrics to ask (it must not load a font), so names are fitted to the
    ribbon and the cartouche with these per-character estimates.
    """
    width = 0.0
    for char in text:
        code = ord(char)
        if char == " ":
            width += 0.28
        elif any(low <= code <= high for low, high in _WIDE_RANGES):
            width += 0.98
        elif char in "ilIj.,:;'!|()[]`":
            width += 0.34
        elif char in "mwMW":
            width += 0.92
        elif char.isupper():
            width += 0.76
        else:
            width += 0.6
    return width
