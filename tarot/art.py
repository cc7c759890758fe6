"""Generated tarot card art: every card face and the card back as a self-contained SVG string.

One visual style for the whole 78-card deck: a deep indigo card with a gold line-art frame and
corner ornaments, a numeral cartouche at the top, an arched picture panel and a name ribbon at the
bottom. Each major arcanum has its own geometric motif; the minors use a suit palette and suit
symbols drawn as SVG paths (pip layouts for 2-10, a radiant Ace, heraldic court emblems).

Standard library only, no Django: the output depends on the arguments alone (same input, same
bytes), references nothing outside itself (no images, fonts or scripts) and is well-formed XML.
Element ids are prefixed with the card's slug so several cards can be inlined in one page.
"""

from __future__ import annotations

import math
import re

__all__ = ["card_back_svg", "card_face_svg"]

W, H = 300, 480
FONT = "'Noto Serif KR', 'Nanum Myeongjo', 'Noto Serif CJK KR', serif"

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

# body, light, outline, accent for the suit symbols
SUIT_PALETTES = {
    "wands": {"body": "#de7434", "light": "#f7c46e", "dark": "#5a1d14", "accent": "#b8412b"},
    "cups": {"body": "#3aa2c6", "light": "#b5e6f2", "dark": "#0d2c48", "accent": GOLD},
    "swords": {"body": "#dbe5f1", "light": "#ffffff", "dark": "#34425f", "accent": "#8fb5dd"},
    "pentacles": {"body": GOLD, "light": "#fbe9b0", "dark": "#173d2b", "accent": "#4f9a5f"},
}
GOLD_PALETTE = {"body": GOLD, "light": CREAM, "dark": INK, "accent": GOLD_LIGHT}

SUITS = ("wands", "cups", "swords", "pentacles")
ROMAN = [
    "0", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X",
    "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX", "XXI",
]  # fmt: skip
RANK_LABELS = {1: "A", 11: "P", 12: "Kn", 13: "Q", 14: "K"}

# native (width, height) of each suit symbol drawn around (0, 0)
SYMBOL_SIZE = {"wands": (54, 100), "cups": (70, 100), "swords": (50, 100), "pentacles": (92, 92)}

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# --------------------------------------------------------------------------- helpers


def _n(value: float) -> str:
    """A compact, deterministic number for SVG attributes."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _esc(text: str) -> str:
    text = _INVALID_XML.sub("", text)
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


def _pts(points) -> str:
    return " ".join(f"{_n(x)},{_n(y)}" for x, y in points)


def _poly(points, **attrs) -> str:
    return f'<polygon points="{_pts(points)}"{_attrs(attrs)}/>'


def _attrs(attrs: dict) -> str:
    return "".join(f' {k.rstrip("_").replace("_", "-")}="{v}"' for k, v in attrs.items())


def _path(d: str, **attrs) -> str:
    return f'<path d="{d}"{_attrs(attrs)}/>'


def _circle(cx: float, cy: float, r: float, **attrs) -> str:
    return f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(r)}"{_attrs(attrs)}/>'


def _ellipse(cx: float, cy: float, rx: float, ry: float, **attrs) -> str:
    return f'<ellipse cx="{_n(cx)}" cy="{_n(cy)}" rx="{_n(rx)}" ry="{_n(ry)}"{_attrs(attrs)}/>'


def _line(x1: float, y1: float, x2: float, y2: float, **attrs) -> str:
    return f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}"{_attrs(attrs)}/>'


def _rect(x: float, y: float, w: float, h: float, **attrs) -> str:
    return f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}"{_attrs(attrs)}/>'


def _g(content: str, **attrs) -> str:
    return f"<g{_attrs(attrs)}>{content}</g>"


def _star_points(cx: float, cy: float, r_out: float, r_in: float, points: int, rot: float = -90):
    pts = []
    for i in range(points * 2):
        r = r_out if i % 2 == 0 else r_in
        a = math.radians(rot + i * 180 / points)
        pts.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    return pts


def _star(cx, cy, r_out, r_in, points=5, rot=-90, **attrs) -> str:
    return _poly(_star_points(cx, cy, r_out, r_in, points, rot), **attrs)


def _pentagram_path(cx: float, cy: float, r: float, rot: float = -90) -> str:
    pts = []
    for i in range(5):
        a = math.radians(rot + (i * 2 % 5) * 72)
        pts.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    return "M" + " L".join(f"{_n(x)},{_n(y)}" for x, y in pts) + " Z"


def _rays(cx, cy, r1, r2, count, rot=0.0, **attrs) -> str:
    out = []
    for i in range(count):
        a = math.radians(rot + i * 360 / count)
        ca, sa = math.cos(a), math.sin(a)
        out.append(f"M{_n(cx + r1 * ca)},{_n(cy + r1 * sa)} L{_n(cx + r2 * ca)},{_n(cy + r2 * sa)}")
    return _path(" ".join(out), **attrs)


def _spikes(cx, cy, r_in, r_out, count, width_deg, rot=0.0, span=360.0, **attrs) -> str:
    """Triangular rays (a sunburst) as one path; ``span`` degrees are shared out from ``rot``."""
    out = []
    for i in range(count):
        a = rot + i * span / count
        a1, a2, a0 = (math.radians(v) for v in (a - width_deg, a + width_deg, a))
        out.append(
            f"M{_n(cx + r_in * math.cos(a1))},{_n(cy + r_in * math.sin(a1))}"
            f" L{_n(cx + r_out * math.cos(a0))},{_n(cy + r_out * math.sin(a0))}"
            f" L{_n(cx + r_in * math.cos(a2))},{_n(cy + r_in * math.sin(a2))} Z"
        )
    return _path(" ".join(out), **attrs)


# Hangul jamo, CJK (incl. Hangul compatibility jamo), Hangul syllables, compatibility and fullwidth
_WIDE_RANGES = (
    (0x1100, 0x11FF),
    (0x2E80, 0xA4CF),
    (0xAC00, 0xD7AF),
    (0xF900, 0xFAFF),
    (0xFF00, 0xFFEF),
)


def _text_em(text: str) -> float:
    """Estimated advance width of ``text`` in em for the serif stack."""
    width = 0.0
    for ch in text:
        code = ord(ch)
        if ch == " ":
            width += 0.28
        elif any(lo <= code <= hi for lo, hi in _WIDE_RANGES):
            width += 0.98
        elif ch in "ilIj.,:;'!|()[]`":
            width += 0.34
        elif ch in "mwMW":
            width += 0.92
        elif ch.isupper():
            width += 0.76
        elif ch.isdigit():
            width += 0.6
        else:
            width += 0.6
    return width


def _ident(slug: str, key: str) -> str:
    """Element id prefix: the slug plus the palette key, so equal ids mean equal definitions."""
    clean = re.sub(r"[^a-z0-9-]+", "-", str(slug).lower()).strip("-")
    return f"ta-{clean}-{key}" if clean else f"ta-{key}"


# --------------------------------------------------------------------------- suit symbols


def _suit_symbol(suit: str, pal: dict, sw: float = 3.0) -> str:
    """The suit symbol drawn around (0, 0), about 100 units tall (see SYMBOL_SIZE)."""
    body, light, dark, accent = pal["body"], pal["light"], pal["dark"], pal["accent"]
    stroke = {"stroke": dark, "stroke_width": _n(sw), "stroke_linejoin": "round"}
    if suit == "wands":
        leaves = (
            "M-6,-20 C-14,-22 -24,-30 -26,-44 C-14,-40 -8,-32 -6,-26 Z "
            "M6,4 C14,2 24,-6 27,-20 C15,-16 9,-8 6,-2 Z "
            "M-7,26 C-15,24 -24,16 -26,4 C-15,8 -9,14 -7,20 Z"
        )
        stave = "M-5,-49 C2,-51 7,-48 6,-42 L8,45 C8,50 -8,50 -8,45 L-7,-42 C-8,-46 -7,-48 -5,-49 Z"
        return (
            _path(leaves, fill=light, **stroke)
            + _path(stave, fill=body, **stroke)
            + _path(
                "M-7.5,-33 L7,-31 M-8,12 L8,14 M-8,34 L8,36",
                fill="none",
                stroke=dark,
                stroke_width=_n(sw),
                stroke_linecap="round",
            )
            + _path(
                "M-2,-44 L-1.5,40",
                fill="none",
                stroke=light,
                stroke_width=_n(sw * 0.9),
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
            _path(cup, fill=body, **stroke)
            + _path(
                "M-24,-30 C-24,-12 -14,0 -4,2",
                fill="none",
                stroke=light,
                stroke_width=_n(sw * 1.1),
                stroke_linecap="round",
                opacity="0.7",
            )
            + _ellipse(0, -42, 33, 8, fill=light, **stroke)
            + _ellipse(0, 16, 11, 4.5, fill=accent, **stroke)
            + _rect(-31, 44, 62, 5, rx="2.5", fill=accent, **stroke)
        )
    if suit == "swords":
        blade = "M0,-50 L9,-36 L9,20 L-9,20 L-9,-36 Z"
        guard = (
            "M-25,15 C-15,22 -6,21 0,20 C6,21 15,22 25,15 L25,24 C15,31 6,28 0,28 "
            "C-6,28 -15,31 -25,24 Z"
        )
        return (
            _path(blade, fill=body, **stroke)
            + _line(0, -36, 0, 14, stroke=accent, stroke_width=_n(sw * 0.9), stroke_linecap="round")
            + _path(guard, fill=accent, **stroke)
            + _rect(-4, 28, 8, 13, fill=dark, **stroke)
            + _circle(0, 45, 5.5, fill=accent, **stroke)
        )
    if suit == "pentacles":
        return (
            _circle(0, 0, 45, fill=body, **stroke)
            + _circle(0, 0, 37, fill=accent, stroke=dark, stroke_width=_n(sw * 0.8))
            + _path(
                _pentagram_path(0, 0, 34),
                fill="none",
                stroke=light,
                stroke_width=_n(max(sw * 1.3, 4)),
                stroke_linejoin="round",
            )
        )
    raise ValueError(f"unknown suit: {suit!r}")


def _placed_symbol(suit, pal, cx, cy, height, cls=None, rot=0.0, outline=2.0) -> str:
    scale = height / 100
    transform = f"translate({_n(cx)} {_n(cy)})"
    if rot:
        transform += f" rotate({_n(rot)})"
    transform += f" scale({_n(scale)})"
    attrs = {"transform": transform}
    if cls:
        attrs = {"class_": cls, **attrs}
    return _g(_suit_symbol(suit, pal, sw=outline / scale), **attrs)


# --------------------------------------------------------------------------- card furniture


def _defs(ident: str, key: str) -> str:
    top, bottom, glow = BACKGROUNDS[key]
    return (
        "<defs>"
        f'<linearGradient id="{ident}-bg" x1="0" y1="0" x2="0.35" y2="1">'
        f'<stop offset="0" stop-color="{top}"/><stop offset="1" stop-color="{bottom}"/>'
        "</linearGradient>"
        f'<radialGradient id="{ident}-glow" cx="0.5" cy="0.45" r="0.6">'
        f'<stop offset="0" stop-color="{glow}" stop-opacity="0.95"/>'
        f'<stop offset="1" stop-color="{bottom}" stop-opacity="0.2"/>'
        "</radialGradient>"
        f'<linearGradient id="{ident}-gold" x1="0" y1="0" x2="1" y2="1">'
        f'<stop offset="0" stop-color="{GOLD_LIGHT}"/><stop offset="0.5" stop-color="{GOLD}"/>'
        f'<stop offset="1" stop-color="{GOLD_DARK}"/>'
        "</linearGradient>"
        "</defs>"
    )


def _corner() -> str:
    """The top-left corner ornament; the others are mirrors of it."""
    return (
        _path("M16,58 L16,30 Q16,16 30,16 L58,16", fill="none", stroke=GOLD, stroke_width="2.5")
        + _path("M26,26 L38,22 L26,38 Z", fill=GOLD)
        + _circle(26, 26, 5.5, fill=GOLD_LIGHT, stroke=GOLD_DARK, stroke_width="1.2")
        + _path("M33,40 Q40,40 40,33", fill="none", stroke=GOLD, stroke_width="2")
        + _circle(62, 16, 2.6, fill=GOLD)
        + _circle(16, 62, 2.6, fill=GOLD)
    )


def _frame(ident: str) -> str:
    corner = _corner()
    return (
        _rect(0, 0, W, H, rx="18", fill=f"url(#{ident}-bg)")
        + _rect(
            7,
            7,
            W - 14,
            H - 14,
            rx="13",
            fill="none",
            stroke=f"url(#{ident}-gold)",
            stroke_width="4",
        )
        + _rect(
            15,
            15,
            W - 30,
            H - 30,
            rx="8",
            fill="none",
            stroke=GOLD,
            stroke_width="1.2",
            stroke_opacity="0.8",
        )
        + _g(corner)
        + _g(corner, transform=f"matrix(-1 0 0 1 {W} 0)")
        + _g(corner, transform=f"matrix(1 0 0 -1 0 {H})")
        + _g(corner, transform=f"matrix(-1 0 0 -1 {W} {H})")
    )


PANEL = "M38,380 L38,148 Q38,98 150,86 Q262,98 262,148 L262,380 Z"


def _panel(ident: str) -> str:
    return _path(PANEL, fill=f"url(#{ident}-glow)", stroke=GOLD, stroke_width="2") + _path(
        "M45,373 L45,150 Q45,106 150,94 Q255,106 255,150 L255,373 Z",
        fill="none",
        stroke=GOLD,
        stroke_width="0.9",
        stroke_opacity="0.55",
    )


def _sky(seed: int, color: str = CREAM) -> str:
    """A few faint background stars inside the panel, placed deterministically."""
    out = []
    state = 1103 + seed * 7919
    for _ in range(14):
        state = (state * 1103515245 + 12345) % 2147483648
        x = 52 + (state % 1960) / 10
        state = (state * 1103515245 + 12345) % 2147483648
        y = 112 + (state % 2500) / 10
        r = 0.9 + (state % 7) / 6
        out.append(_circle(x, y, r, fill=color, opacity="0.45"))
    return "".join(out)


def _cartouche(label: str, flank: str = "") -> str:
    fs = 25 if len(label) <= 3 else 22
    width = max(54.0, _text_em(label) * fs + 30)
    x0 = 150 - width / 2
    flank = flank or (
        _path("M78,50 L86,44 L94,50 L86,56 Z", fill=GOLD)
        + _path("M206,50 L214,44 L222,50 L214,56 Z", fill=GOLD)
    )
    return (
        _line(60, 50, x0, 50, stroke=GOLD, stroke_width="1.5")
        + _line(x0 + width, 50, 240, 50, stroke=GOLD, stroke_width="1.5")
        + flank
        + _rect(x0, 31, width, 38, rx="19", fill=INK, stroke=GOLD, stroke_width="2.2")
        + _rect(
            x0 + 4,
            35,
            width - 8,
            30,
            rx="15",
            fill="none",
            stroke=GOLD,
            stroke_width="0.8",
            stroke_opacity="0.6",
        )
        + f'<text x="150" y="{_n(50 + fs * 0.36)}" text-anchor="middle" font-family="{FONT}" '
        f'font-size="{fs}" font-weight="700" letter-spacing="1" fill="{GOLD_LIGHT}">'
        f"{_esc(label)}</text>"
    )


def _split_two(name: str):
    words = name.split()
    if len(words) < 2:
        return None
    best = None
    for i in range(1, len(words)):
        first, second = " ".join(words[:i]), " ".join(words[i:])
        widest = max(_text_em(first), _text_em(second))
        if best is None or widest < best[0]:
            best = (widest, first, second)
    return best


def _banner(name: str, ident: str) -> str:
    name = " ".join(_INVALID_XML.sub("", name).split())
    ribbon = (
        _path(
            "M20,404 L52,404 L52,452 L20,452 L31,428 Z",
            fill="#070a1c",
            stroke=GOLD,
            stroke_width="1.8",
            stroke_linejoin="round",
        )
        + _path(
            "M280,404 L248,404 L248,452 L280,452 L269,428 Z",
            fill="#070a1c",
            stroke=GOLD,
            stroke_width="1.8",
            stroke_linejoin="round",
        )
        + _path("M40,444 L52,452 L52,444 Z", fill=GOLD_DARK)
        + _path("M260,444 L248,452 L248,444 Z", fill=GOLD_DARK)
        + _path(
            "M40,392 Q150,384 260,392 L260,444 Q150,436 40,444 Z",
            fill=NIGHT,
            stroke=f"url(#{ident}-gold)",
            stroke_width="2.4",
            stroke_linejoin="round",
        )
        + _path(
            "M46,398 Q150,390 254,398 M46,438 Q150,430 254,438",
            fill="none",
            stroke=GOLD,
            stroke_width="0.8",
            stroke_opacity="0.6",
        )
    )
    avail, max_fs, max_fs2, centre = 190.0, 26.0, 20.0, 415.0
    em = max(_text_em(name), 0.5)
    lines = [name]
    fs = min(max_fs, avail / em)
    fit = None
    split = _split_two(name) if fs < 22 else None
    if split and min(max_fs2, avail / split[0]) > fs + 1.5:
        lines, fs = [split[1], split[2]], min(max_fs2, avail / split[0])
    if fs < 11:
        fs, fit = 11.0, avail
    attrs = (
        f'text-anchor="middle" font-family="{FONT}" font-size="{_n(fs)}" font-weight="700" '
        f'fill="{CREAM}"'
    )
    if fit and len(lines) == 1:
        attrs += f' textLength="{_n(fit)}" lengthAdjust="spacingAndGlyphs"'
    if len(lines) == 1:
        text = f'<text x="150" y="{_n(centre + fs * 0.36)}" {attrs}>{_esc(name)}</text>'
    else:
        gap = fs * 1.08
        spans = []
        for line, dy in zip(lines, (-gap / 2, gap / 2), strict=True):
            squeeze = ""
            if _text_em(line) * fs > avail:
                squeeze = f' textLength="{_n(avail)}" lengthAdjust="spacingAndGlyphs"'
            spans.append(
                f'<tspan x="150" y="{_n(centre + dy + fs * 0.36)}"{squeeze}>{_esc(line)}</tspan>'
            )
        text = f"<text {attrs}>{''.join(spans)}</text>"
    return ribbon + text


def _svg(name: str, ident: str, body: str, label: str | None = None) -> str:
    aria = _esc(label if label is not None else name)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" role="img" '
        f'aria-label="{aria}" class="tarot-card" preserveAspectRatio="xMidYMid meet">'
        f"<title>{_esc(name)}</title>{body}</svg>"
    )


# --------------------------------------------------------------------------- major arcana motifs

LINE = {
    "fill": "none",
    "stroke": GOLD,
    "stroke_width": "5",
    "stroke_linecap": "round",
    "stroke_linejoin": "round",
}
SOLID = {"stroke": GOLD, "stroke_width": "3.5", "stroke_linejoin": "round"}


def _sun(cx, cy, r, ray_in, ray_out, count=12, fill=CREAM) -> str:
    return _spikes(cx, cy, ray_in, ray_out, count, 360 / count / 4.2, fill=GOLD) + _circle(
        cx, cy, r, fill=fill, stroke=GOLD, stroke_width="3"
    )


def _tower(x, top, bottom, width, fill=INK) -> str:
    """A crenellated tower with a lit window."""
    half = width / 2
    merlon = width / 5
    d = f"M{_n(x - half)},{_n(bottom)} L{_n(x - half)},{_n(top)}"
    for i in range(5):
        left, right = _n(x - half + i * merlon), _n(x - half + (i + 1) * merlon)
        if i % 2 == 0:
            d += f" L{right},{_n(top)}"
        else:
            notch = _n(top + 7)
            d += f" L{left},{notch} L{right},{notch} L{right},{_n(top)}"
    d += f" L{_n(x + half)},{_n(bottom)} Z"
    return _path(d, fill=fill, **SOLID) + _rect(x - 3.5, top + 18, 7, 12, rx="3.5", fill=GOLD_LIGHT)


def _waves(x0, x1, y, amp=5, period=28, **attrs) -> str:
    d = f"M{_n(x0)},{_n(y)}"
    x = x0
    while x < x1 - 0.1:
        step = min(period, x1 - x)
        d += f" q{_n(step / 4)},{_n(-amp)} {_n(step / 2)},0 t{_n(step / 2)},0"
        x += step
    return _path(d, **{**LINE, **attrs})


def _m_fool() -> str:
    cliff = "M38,380 L38,292 L120,282 L168,290 L176,300 L164,316 L172,334 L160,352 L166,380 Z"
    return (
        _sun(202, 150, 24, 31, 50, 12)
        + _path("M178,372 L204,324 L222,344 L238,310 L254,340", **{**LINE, "stroke_width": "3"})
        + _path(cliff, fill="#1e2660", **SOLID)
        + _path(
            "M60,300 L96,294 M124,292 L150,296",
            **{**LINE, "stroke_width": "2.5", "stroke_opacity": "0.6"},
        )
        # staff with bundle leaning out over the edge
        + _line(132, 282, 178, 200, **LINE)
        + _circle(184, 194, 13, fill=ROSE, **SOLID)
        + _path("M178,190 Q186,184 192,190", fill="none", stroke=GOLD_LIGHT, stroke_width="2")
        # the little dog
        + _circle(96, 262, 13, fill=CREAM, **SOLID)
        + _path("M86,254 L84,240 L94,250 Z M106,254 L108,240 L98,250 Z", fill=CREAM, **SOLID)
        + _circle(91, 262, 1.8, fill=INK)
        + _circle(101, 262, 1.8, fill=INK)
        + _path(
            "M82,276 Q74,284 78,292 M110,276 Q116,284 112,290", **{**LINE, "stroke_width": "3.5"}
        )
        # a white rose
        + _star(84, 140, 12, 7, 5, fill=CREAM, **SOLID)
        + _circle(84, 140, 3.5, fill=GOLD)
    )


def _m_magician() -> str:
    inf = (
        "M150,130 C164,110 196,110 196,130 C196,150 164,150 150,130 C136,110 104,110 104,130 "
        "C104,150 136,150 150,130 Z"
    )
    tools = "".join(
        _placed_symbol(suit, GOLD_PALETTE, x, 292, 44, outline=1.6)
        for suit, x in zip(SUITS, (76, 124, 176, 224), strict=True)
    )
    return (
        _path(inf, **{**LINE, "stroke_width": "6"})
        + _line(150, 170, 150, 244, **{**LINE, "stroke_width": "7"})
        + _circle(150, 168, 7, fill=CREAM, **SOLID)
        + _circle(150, 246, 7, fill=CREAM, **SOLID)
        + _rays(150, 168, 14, 24, 8, 22.5, **{**LINE, "stroke_width": "2.5"})
        + tools
        + _rect(52, 318, 196, 14, rx="3", fill="#2a3272", **SOLID)
        + _line(66, 332, 66, 366, **LINE)
        + _line(234, 332, 234, 366, **LINE)
    )


def _pillar(x, fill, letter_fill, letter) -> str:
    return (
        _rect(x - 13, 150, 26, 204, fill=fill, **SOLID)
        + _rect(x - 20, 138, 40, 14, rx="3", fill=fill, **SOLID)
        + _rect(x - 20, 352, 40, 14, rx="3", fill=fill, **SOLID)
        + f'<text x="{_n(x)}" y="182" text-anchor="middle" font-family="{FONT}" '
        f'font-size="20" font-weight="700" fill="{letter_fill}">{letter}</text>'
    )


def _m_priestess() -> str:
    return (
        _pillar(82, INK, GOLD_LIGHT, "B")
        + _pillar(218, CREAM, INK, "J")
        # crown of Isis: full moon between two crescents
        + _circle(150, 160, 13, fill=CREAM, **SOLID)
        + _path("M130,144 A18,18 0 1 0 130,176 A14,14 0 1 1 130,144 Z", fill=GOLD)
        + _path("M170,144 A18,18 0 1 1 170,176 A14,14 0 1 0 170,144 Z", fill=GOLD)
        # solar cross
        + _path("M150,216 L150,284 M116,250 L184,250", **{**LINE, "stroke_width": "7"})
        + _circle(150, 250, 9, fill=NIGHT, **SOLID)
        # crescent moon at her feet
        + _path("M112,310 A38,38 0 0 0 188,310 A40,24 0 0 1 112,310 Z", fill=CREAM, **SOLID)
    )


def _m_empress() -> str:
    heart = (
        "M150,330 C112,300 82,266 82,232 C82,204 104,186 126,186 C138,186 146,194 150,202 "
        "C154,194 162,186 174,186 C196,186 218,204 218,232 C218,266 188,300 150,330 Z"
    )
    stars = "".join(
        _star(
            150 + 76 * math.cos(math.radians(a)),
            176 + 62 * math.sin(math.radians(a)),
            7,
            3,
            6,
            fill=GOLD_LIGHT,
        )
        for a in range(-168, -11, 14)
    )
    wheat = ""
    for x, side in ((62, 1), (238, -1)):
        wheat += _line(x, 370, x + side * 10, 300, **{**LINE, "stroke_width": "3"})
        for i in range(4):
            yy = 312 + i * 14
            xx = x + side * (10 - (yy - 300) / 7)
            wheat += _ellipse(
                xx - 5, yy, 4, 7, fill=GOLD, transform=f"rotate(-25 {_n(xx - 5)} {_n(yy)})"
            )
            wheat += _ellipse(
                xx + 5, yy, 4, 7, fill=GOLD, transform=f"rotate(25 {_n(xx + 5)} {_n(yy)})"
            )
        wheat += _ellipse(x + side * 10, 296, 3.5, 7, fill=GOLD_LIGHT)
    return (
        stars
        + _path(heart, fill=NIGHT, stroke=GOLD, stroke_width="5", stroke_linejoin="round")
        + _circle(150, 236, 20, **{**LINE, "stroke": CREAM, "stroke_width": "6"})
        + _path(
            "M150,256 L150,306 M132,284 L168,284", **{**LINE, "stroke": CREAM, "stroke_width": "6"}
        )
        + wheat
    )


def _m_emperor() -> str:
    mountains = "M38,330 L70,262 L92,290 L118,236 L150,300 L182,236 L208,290 L230,262 L262,330 Z"
    horns = (
        "M100,232 C78,232 70,212 80,200 C90,190 106,198 100,210 C96,218 86,212 90,206 "
        "M200,232 C222,232 230,212 220,200 C210,190 194,198 200,210 C204,218 214,212 210,206"
    )
    return (
        _path(mountains, fill="#1c245e", stroke=GOLD, stroke_width="2.5", stroke_linejoin="round")
        + _rect(96, 230, 108, 120, rx="4", fill=INK, **SOLID)
        + _rect(108, 244, 84, 92, fill="none", stroke=GOLD, stroke_width="2", stroke_opacity="0.7")
        + _path(horns, **{**LINE, "stroke_width": "6"})
        # ankh sceptre
        + _ellipse(150, 146, 13, 17, **{**LINE, "stroke": CREAM, "stroke_width": "6"})
        + _path(
            "M150,163 L150,300 M128,176 L172,176", **{**LINE, "stroke": CREAM, "stroke_width": "6"}
        )
        + _circle(150, 306, 10, fill=GOLD, **SOLID)
    )


def _key(rot: float, color: str) -> str:
    shape = (
        _circle(0, -58, 13, fill="none", stroke=color, stroke_width="6")
        + _line(0, -45, 0, 58, stroke=color, stroke_width="6", stroke_linecap="round")
        + _path(
            "M0,38 L16,38 L16,46 M0,52 L12,52",
            fill="none",
            stroke=color,
            stroke_width="5",
            stroke_linejoin="round",
        )
    )
    return _g(shape, transform=f"translate(150 300) rotate({_n(rot)})")


def _m_hierophant() -> str:
    return (
        _line(150, 112, 150, 250, **{**LINE, "stroke_width": "7"})
        + _path(
            "M136,134 L164,134 M126,156 L174,156 M116,178 L184,178", **{**LINE, "stroke_width": "7"}
        )
        + _circle(150, 112, 6, fill=GOLD_LIGHT)
        + _path(
            "M76,110 L76,232 M224,110 L224,232",
            **{**LINE, "stroke_width": "3", "stroke_opacity": "0.7"},
        )
        + _key(-38, GOLD)
        + _key(38, CREAM)
    )


def _figure(x: float, y: float, fill: str) -> str:
    body = (
        f"M{_n(x)},{_n(y + 14)} C{_n(x + 24)},{_n(y + 24)} {_n(x + 26)},{_n(y + 80)} "
        f"{_n(x + 22)},{_n(y + 98)} L{_n(x - 22)},{_n(y + 98)} C{_n(x - 26)},{_n(y + 80)} "
        f"{_n(x - 24)},{_n(y + 24)} {_n(x)},{_n(y + 14)} Z"
    )
    return _path(body, fill=fill, **SOLID) + _circle(x, y, 14, fill=fill, **SOLID)


def _m_lovers() -> str:
    wing = (
        "M132,160 C108,138 84,130 58,136 C74,146 80,152 86,160 C76,160 68,164 62,172 "
        "C86,170 106,176 128,178 Z"
    )
    return (
        _sun(150, 156, 20, 24, 40, 12)
        + _path(wing, fill=GOLD_LIGHT, **SOLID)
        + _g(_path(wing, fill=GOLD_LIGHT, **SOLID), transform="matrix(-1 0 0 1 300 0)")
        + _path("M150,218 L188,320 L112,320 Z", fill="#1c245e", **SOLID)
        + _figure(96, 244, CREAM)
        + _figure(204, 244, GOLD)
        + _line(60, 344, 240, 344, **{**LINE, "stroke_width": "3"})
    )


def _wheel(cx, cy, r, spokes=8) -> str:
    return (
        _circle(cx, cy, r, fill=INK, **SOLID)
        + _rays(cx, cy, 0, r, spokes, 0, **{**LINE, "stroke_width": "3"})
        + _circle(cx, cy, 4, fill=GOLD)
    )


def _m_chariot() -> str:
    canopy_stars = "".join(_star(x, 134, 6, 2.5, 6, fill=GOLD_LIGHT) for x in range(86, 220, 32))
    sphinx = "M-26,0 L-26,-14 C-26,-22 -16,-22 -12,-18 L14,-18 C22,-18 26,-12 26,0 Z"  # body
    return (
        _path("M70,150 Q150,112 230,150", **{**LINE, "stroke_width": "6"})
        + canopy_stars
        + _path("M84,146 L96,196 M216,146 L204,196", **{**LINE, "stroke_width": "4"})
        + _rect(90, 196, 120, 92, rx="4", fill=INK, **SOLID)
        # winged disc
        + _path(
            "M120,236 C108,226 98,226 90,230 C102,236 110,240 122,244 Z M180,236 C192,226 "
            "202,226 210,230 C198,236 190,240 178,244 Z",
            fill=GOLD_LIGHT,
        )
        + _circle(150, 238, 12, fill=CREAM, **SOLID)
        + _wheel(92, 292, 24)
        + _wheel(208, 292, 24)
        + _g(
            _path(sphinx, fill=INK, **SOLID) + _circle(-17, -25, 9, fill=INK, **SOLID),
            transform="translate(112 356)",
        )
        + _g(
            _path(sphinx, fill=CREAM, **SOLID) + _circle(-17, -25, 9, fill=CREAM, **SOLID),
            transform="translate(188 356) scale(-1 1)",
        )
    )


def _m_strength() -> str:
    inf = (
        "M150,130 C160,116 184,116 184,130 C184,144 160,144 150,130 C140,116 116,116 116,130 "
        "C116,144 140,144 150,130 Z"
    )
    return (
        _path(inf, **{**LINE, "stroke_width": "5"})
        + _spikes(150, 250, 42, 72, 18, 9, fill=GOLD, stroke=GOLD_DARK, stroke_width="1.5")
        + _spikes(150, 250, 40, 58, 18, 8, rot=10, fill=GOLD_LIGHT)
        + _circle(150, 250, 44, fill="#c79a4a", **SOLID)
        + _path(
            "M124,240 Q132,232 140,240 M160,240 Q168,232 176,240",
            **{**LINE, "stroke": INK, "stroke_width": "4"},
        )
        + _path("M142,258 L158,258 L150,270 Z", fill=INK)
        + _path(
            "M150,270 L150,278 M136,284 Q150,292 164,284",
            **{**LINE, "stroke": INK, "stroke_width": "3.5"},
        )
        # garland of flowers
        + "".join(
            _circle(
                150 + 64 * math.cos(math.radians(a)),
                250 + 64 * math.sin(math.radians(a)),
                5,
                fill=ROSE,
                stroke=CREAM,
                stroke_width="1.5",
            )
            for a in range(30, 151, 24)
        )
    )


def _m_hermit() -> str:
    lantern = "M100,196 L130,196 L136,212 L136,248 L130,262 L100,262 L94,248 L94,212 Z"
    return (
        _path(
            "M38,380 L38,340 L100,300 L130,318 L170,272 L262,348 L262,380 Z",
            fill="#1c245e",
            stroke=GOLD,
            stroke_width="2.5",
            stroke_linejoin="round",
        )
        + _path("M152,292 L170,272 L190,290 L178,286 L168,296 L160,288 Z", fill=CREAM)
        + _line(196, 120, 180, 366, **{**LINE, "stroke_width": "7"})
        + _circle(115, 230, 46, fill=GOLD_LIGHT, opacity="0.18")
        + _path("M115,160 L115,196 M115,160 Q150,150 192,170", **{**LINE, "stroke_width": "4"})
        + _path(lantern, fill=INK, **SOLID)
        + _star(115, 229, 20, 11.5, 6, fill=CREAM)
        + _path("M104,190 L126,190 L120,182 L110,182 Z", fill=GOLD)
    )


CLOUD = "M-18,7 C-26,7 -26,-5 -16,-5 C-16,-14 -3,-16 0,-7 C4,-14 17,-12 15,-3 C24,-3 24,7 17,7 Z"


def _m_wheel() -> str:
    letters = "".join(
        f'<text x="{_n(150 + 66 * math.cos(math.radians(a)))}" '
        f'y="{_n(236 + 66 * math.sin(math.radians(a)) + 6)}" text-anchor="middle" '
        f'font-family="{FONT}" font-size="17" font-weight="700" fill="{GOLD_LIGHT}">{ch}</text>'
        for ch, a in zip("TARO", (-90, 0, 90, 180), strict=True)
    )
    return (
        _circle(150, 236, 82, fill=INK, stroke=GOLD, stroke_width="6")
        + _circle(150, 236, 52, fill=NIGHT, stroke=GOLD, stroke_width="4")
        + _rays(150, 236, 52, 82, 8, 22.5, **{**LINE, "stroke_width": "3"})
        + letters
        + _rays(150, 236, 12, 52, 8, 0, **{**LINE, "stroke_width": "4"})
        + _circle(150, 236, 14, fill=CREAM, **SOLID)
        + _path("M126,150 L150,128 L174,150 Z", fill=GOLD_LIGHT, **SOLID)
        + _path("M58,176 Q74,194 58,214 T60,254 T56,298", **{**LINE, "stroke": LEAF})
        + "".join(
            _path(CLOUD, fill=CREAM, stroke=GOLD, stroke_width="2", transform=f"translate({x} {y})")
            for x, y in ((70, 122), (230, 122), (70, 352), (230, 352))
        )
    )


def _m_justice() -> str:
    pan = "M-26,0 Q0,26 26,0 Z"
    return (
        _path("M150,108 L160,126 L160,290 L140,290 L140,126 Z", fill=CREAM, **SOLID)
        + _path("M116,290 L184,290 L184,302 L116,302 Z", fill=GOLD, **SOLID)
        + _rect(143, 302, 14, 34, fill=INK, **SOLID)
        + _circle(150, 344, 9, fill=GOLD, **SOLID)
        + _path("M76,188 Q150,170 224,188", **{**LINE, "stroke_width": "6"})
        + _circle(150, 180, 7, fill=GOLD_LIGHT, **SOLID)
        + _path(
            "M76,188 L56,248 M76,188 L96,248 M224,188 L204,248 M224,188 L244,248",
            **{**LINE, "stroke_width": "2.5"},
        )
        + _g(_path(pan, fill=GOLD, **SOLID), transform="translate(76 248)")
        + _g(_path(pan, fill=GOLD, **SOLID), transform="translate(224 248)")
        + _path("M64,372 L236,372", **{**LINE, "stroke_width": "3"})
    )


def _m_hanged() -> str:
    return (
        _path("M70,372 L70,124 M230,372 L230,124", **{**LINE, "stroke": LEAF, "stroke_width": "8"})
        + _rect(58, 112, 184, 16, rx="6", fill="#4f7a3e", **SOLID)
        + _line(150, 128, 150, 152, **{**LINE, "stroke_width": "3"})
        # legs: one straight, one bent to make the figure four
        + _path(
            "M150,152 L150,226 M150,176 L180,200 L152,214",
            **{**LINE, "stroke": CREAM, "stroke_width": "8"},
        )
        + _path(
            "M132,288 L116,262 L138,240 M168,288 L184,262 L162,240",
            **{**LINE, "stroke": CREAM, "stroke_width": "6"},
        )
        + _path("M128,224 L172,224 L164,294 L136,294 Z", fill=ROSE, **SOLID)
        + _spikes(150, 312, 24, 40, 16, 5, fill=GOLD_LIGHT)
        + _circle(150, 312, 24, fill="none", stroke=GOLD, stroke_width="3")
        + _circle(150, 312, 15, fill=CREAM, **SOLID)
    )


def _m_death() -> str:
    rose = "".join(
        _circle(
            150 + 15 * math.cos(math.radians(a)),
            178 + 15 * math.sin(math.radians(a)),
            11,
            fill=CREAM,
            stroke=GOLD_DARK,
            stroke_width="2",
        )
        for a in range(-90, 270, 72)
    ) + _circle(150, 178, 8, fill=GOLD, stroke=GOLD_DARK, stroke_width="1.5")
    return (
        _line(84, 110, 84, 372, **{**LINE, "stroke_width": "6"})
        + _path("M84,124 L218,124 L218,236 L84,236 Z", fill="#05071a", **SOLID)
        + rose
        + _spikes(150, 334, 34, 50, 11, 4, rot=-165, span=165, fill=GOLD)
        + _path("M120,334 A30,30 0 0 1 180,334 Z", fill=CREAM)
        + _tower(122, 280, 334, 26)
        + _tower(216, 272, 334, 30)
        + _line(40, 334, 260, 334, **{**LINE, "stroke_width": "3.5"})
        + _waves(70, 240, 354, 4, 34, stroke_width="3", stroke=WATER)
    )


def _m_temperance() -> str:
    cup = _suit_symbol("cups", GOLD_PALETTE, 2.4)
    return (
        _rect(124, 112, 52, 52, fill="none", stroke=GOLD, stroke_width="4")
        + _path("M150,120 L168,154 L132,154 Z", fill=GOLD_LIGHT)
        + _g(cup, transform="translate(92 214) rotate(45) scale(0.74)")
        + _path(
            "M126,204 C160,204 186,226 190,258", **{**LINE, "stroke": WATER, "stroke_width": "7"}
        )
        + _g(cup, transform="translate(190 292) scale(0.74)")
        + _path("M40,360 Q100,340 150,360 T262,356", **{**LINE, "stroke_width": "3"})
        + _waves(54, 122, 344, 4, 22, stroke=WATER, stroke_width="3")
        + _path(
            "M86,318 L86,292 M86,300 Q72,286 78,276 Q88,284 86,300 M86,296 Q100,284 94,274 "
            "Q84,282 86,296",
            **{**LINE, "stroke": LEAF, "stroke_width": "2.5"},
        )
        + _sun(236, 344, 8, 11, 18, 10)
    )


def _m_devil() -> str:
    chain = "".join(
        _ellipse(
            x,
            y,
            6,
            4,
            fill="none",
            stroke=GOLD,
            stroke_width="2.5",
            transform=f"rotate({_n(r)} {_n(x)} {_n(y)})",
        )
        for x, y, r in (
            (118, 316, 50),
            (110, 326, 50),
            (102, 336, 50),
            (94, 346, 50),
            (182, 316, -50),
            (190, 326, -50),
            (198, 336, -50),
            (206, 346, -50),
        )
    )
    horns = (
        "M108,148 C88,130 86,106 100,94 C100,114 110,128 124,136 Z "
        "M192,148 C212,130 214,106 200,94 C200,114 190,128 176,136 Z"
    )
    return (
        _path(horns, fill=CREAM, **SOLID)
        + _circle(150, 178, 46, fill=INK, stroke=GOLD, stroke_width="5")
        + _path(_pentagram_path(150, 178, 40, rot=90), **{**LINE, "stroke": ROSE})
        + _path("M104,250 L196,250 L186,306 L114,306 Z", fill=INK, **SOLID)
        + _path("M104,262 L196,262", stroke=GOLD, stroke_width="2")
        + chain
        + _circle(88, 356, 12, fill=CREAM, **SOLID)
        + _circle(212, 356, 12, fill=GOLD, **SOLID)
        + _path("M120,240 L150,226 L180,240", **{**LINE, "stroke_width": "4"})
    )


def _m_tower() -> str:
    bolt = "M62,100 L128,150 L112,156 L168,196 L118,178 L132,170 Z"
    crown = "M-22,10 L-22,-8 L-12,2 L0,-14 L12,2 L22,-8 L22,10 Z"
    flames = "".join(
        _path(f"M{_n(x)},{_n(y)} q-6,-10 0,-18 q6,8 0,18 Z", fill=c)
        for x, y, c in (
            (70, 230, ROSE),
            (84, 290, GOLD_LIGHT),
            (224, 220, GOLD_LIGHT),
            (236, 296, ROSE),
            (212, 340, GOLD),
            (62, 346, GOLD),
        )
    )
    return (
        _path("M108,196 L192,196 L204,368 L96,368 Z", fill=INK, **SOLID)
        + _path("M104,196 L196,196 L196,210 L104,210 Z", fill=INK, **SOLID)
        + _rect(140, 236, 20, 30, rx="10", fill=ROSE, stroke=GOLD_LIGHT, stroke_width="2")
        + _rect(120, 292, 16, 24, rx="8", fill=GOLD_LIGHT)
        + _rect(164, 292, 16, 24, rx="8", fill=GOLD_LIGHT)
        + _path("M40,376 Q70,360 96,368 L204,368 Q232,360 260,376", **{**LINE, "stroke_width": "3"})
        + _path(bolt, fill=CREAM, **SOLID)
        + _g(_path(crown, fill=GOLD, **SOLID), transform="translate(208 160) rotate(28)")
        + flames
    )


def _m_star() -> str:
    small = "".join(
        _star(x, y, 11, 4, 8, fill=GOLD_LIGHT)
        for x, y in (
            (70, 130),
            (230, 130),
            (62, 200),
            (238, 200),
            (84, 262),
            (216, 262),
            (150, 254),
        )
    )
    return (
        _star(150, 166, 56, 18, 8, fill=CREAM, stroke=GOLD, stroke_width="3")
        + _star(150, 166, 32, 12, 8, rot=-67.5, fill=GOLD)
        + small
        + _path("M120,300 L126,290 L142,290 L148,300 L144,318 L124,318 Z", fill=GOLD, **SOLID)
        + _path(
            "M142,296 C160,300 172,316 176,334", **{**LINE, "stroke": WATER, "stroke_width": "4"}
        )
        + _waves(50, 250, 344, 5, 40, stroke=WATER, stroke_width="4")
        + _waves(70, 230, 362, 4, 40, stroke=WATER, stroke_width="3", stroke_opacity="0.7")
    )


def _m_moon() -> str:
    drops = "".join(
        _path(f"M{_n(x)},{_n(y)} q-5,8 0,12 q5,-4 0,-12 Z", fill=GOLD_LIGHT)
        for x, y in ((124, 214), (150, 222), (176, 214))
    )
    return (
        _spikes(150, 150, 40, 60, 16, 5, fill=GOLD)
        + _circle(150, 150, 38, fill=CREAM, **SOLID)
        + _path("M156,118 A32,32 0 1 0 156,182 A26,32 0 1 1 156,118 Z", fill="#c9b98a")
        + drops
        + _tower(70, 236, 328, 28)
        + _tower(230, 236, 328, 28)
        + _path(
            "M150,250 C128,272 176,292 146,312 C120,330 170,344 150,362",
            **{**LINE, "stroke": GOLD_LIGHT, "stroke_width": "6"},
        )
        + _path(
            "M40,346 Q90,330 118,352 M182,352 Q210,330 262,346", **{**LINE, "stroke_width": "3"}
        )
        + _ellipse(100, 366, 38, 9, fill="none", stroke=WATER, stroke_width="3")
    )


def _m_sun() -> str:
    wavy = []
    for i in range(8):
        a = math.radians(22.5 + i * 45)
        ca, sa = math.cos(a), math.sin(a)
        px, py = -sa, ca
        pts = []
        for k in range(5):
            r = 58 + k * 9
            off = 6 * (1 if k % 2 else -1) if 0 < k < 4 else 0
            pts.append((150 + r * ca + off * px, 184 + r * sa + off * py))
        wavy.append("M" + " L".join(f"{_n(x)},{_n(y)}" for x, y in pts))
    flowers = "".join(
        _star(x, 296, 13, 6, 10, fill=GOLD_LIGHT) + _circle(x, 296, 6, fill=GOLD_DARK)
        for x in (72, 116, 184, 228)
    )
    bricks = (
        "M40,322 L260,322 M40,342 L260,342 M70,306 L70,322 M120,306 L120,322 M170,306 "
        "L170,322 M220,306 L220,322 M95,322 L95,342 M145,322 L145,342 M195,322 L195,342 "
        "M245,322 L245,342"
    )
    return (
        _spikes(150, 184, 50, 100, 8, 7, fill=GOLD)
        + _path(" ".join(wavy), **{**LINE, "stroke": GOLD_LIGHT, "stroke_width": "4"})
        + _circle(150, 184, 50, fill=CREAM, stroke=GOLD, stroke_width="4")
        + _circle(150, 184, 38, fill="none", stroke=GOLD, stroke_width="2", stroke_opacity="0.6")
        + _rect(38, 306, 224, 54, fill="#1c245e")
        + _path(bricks, **{**LINE, "stroke_width": "2.5"})
        + _line(38, 306, 262, 306, **{**LINE, "stroke_width": "4"})
        + flowers
    )


def _m_judgement() -> str:
    cloud = (
        "M56,150 C50,132 70,120 84,130 C90,110 118,110 124,128 C132,116 152,118 154,134 "
        "C168,128 184,138 176,152 Z"
    )
    tombs = "".join(
        _rect(x - 18, 330, 36, 22, rx="3", fill=INK, **SOLID)
        + _circle(x, 318, 9, fill=CREAM, **SOLID)
        + _path(
            f"M{_n(x - 9)},330 L{_n(x - 20)},{_n(302)} M{_n(x + 9)},330 L{_n(x + 20)},302",
            **{**LINE, "stroke": CREAM, "stroke_width": "4"},
        )
        for x in (84, 150, 216)
    )
    return (
        _path(cloud, fill=CREAM, **SOLID)
        + _path(
            "M228,236 A24,24 0 0 1 212,254 M238,238 A34,34 0 0 1 214,264 "
            "M248,240 A44,44 0 0 1 216,274",
            **{**LINE, "stroke_width": "3"},
        )
        + _path("M124,152 L198,226", **{**LINE, "stroke_width": "7"})
        + _path("M190,222 L218,204 L208,250 Z", fill=GOLD, **SOLID)
        + _path("M144,174 L190,174 L190,224 L144,224 Z", fill=CREAM, **SOLID)
        + _path("M167,180 L167,218 M150,199 L184,199", **{**LINE, "stroke": ROSE})
        + _waves(40, 262, 360, 5, 37, stroke=WATER, stroke_width="3.5")
        + tombs
    )


def _m_world() -> str:
    leaves = []
    for i in range(28):
        t = math.radians(i * 360 / 28)
        x, y = 150 + 62 * math.cos(t), 234 + 104 * math.sin(t)
        ang = math.degrees(math.atan2(104 * math.cos(t), -62 * math.sin(t)))
        leaves.append(
            _ellipse(
                x,
                y,
                9,
                4,
                fill=LEAF if i % 2 else "#6f9f58",
                transform=f"rotate({_n(ang + 30)} {_n(x)} {_n(y)})",
            )
        )
    ribbons = "M134,120 L166,140 M166,120 L134,140 M134,328 L166,348 M166,328 L134,348"
    corners = "".join(
        _circle(x, y, 14, fill=INK, stroke=GOLD, stroke_width="3")
        + _star(x, y, 9, 3.5, 4, rot=-90, fill=GOLD_LIGHT)
        for x, y in ((72, 126), (228, 126), (72, 344), (228, 344))
    )
    robe = (
        "M150,196 C162,200 166,222 161,248 C158,264 157,276 156,290 L144,290 "
        "C143,276 142,262 139,248 C134,222 138,200 150,196 Z"
    )
    dancer = (
        _path(
            "M142,212 L122,194 M158,214 L180,236 M152,288 L154,326 M148,288 L130,302 L150,310",
            **{**LINE, "stroke": CREAM, "stroke_width": "5"},
        )
        + _path("M116,184 L128,204 M176,228 L186,246", **{**LINE, "stroke_width": "4"})
        + _path(robe, fill=CREAM, **SOLID)
        + _circle(150, 184, 11, fill=CREAM, **SOLID)
        + _path(
            "M128,214 C166,212 128,250 166,262 C178,266 170,282 158,290",
            **{**LINE, "stroke": ROSE, "stroke_width": "6"},
        )
    )
    return (
        _ellipse(150, 234, 62, 104, fill="none", stroke="#5a8a4a", stroke_width="6")
        + "".join(leaves)
        + _path(ribbons, **{**LINE, "stroke": ROSE, "stroke_width": "6"})
        + corners
        + dancer
    )


MAJOR_MOTIFS = (
    _m_fool, _m_magician, _m_priestess, _m_empress, _m_emperor, _m_hierophant, _m_lovers,
    _m_chariot, _m_strength, _m_hermit, _m_wheel, _m_justice, _m_hanged, _m_death,
    _m_temperance, _m_devil, _m_tower, _m_star, _m_moon, _m_sun, _m_judgement, _m_world,
)  # fmt: skip


# --------------------------------------------------------------------------- minor arcana

_COL = 58  # column offset from the centre line for pip layouts


def _columns(*rows: float, centre: tuple[float, ...] = ()) -> tuple[tuple[float, float], ...]:
    """Two columns of pips on ``rows`` plus pips on the centre line at ``centre``."""
    return (
        *((150 + dx, y) for y in rows for dx in (-_COL, _COL)),
        *((150, y) for y in centre),
    )


# rank: (largest pip height, pip centres), after the traditional playing-card layouts
PIP_LAYOUTS: dict[int, tuple[float, tuple[tuple[float, float], ...]]] = {
    2: (116, _columns(centre=(164, 304))),
    3: (92, _columns(centre=(138, 232, 326))),
    4: (100, _columns(168, 300)),
    5: (86, _columns(154, 318, centre=(236,))),
    6: (82, _columns(152, 238, 324)),
    7: (82, _columns(152, 238, 324, centre=(195,))),
    8: (80, _columns(152, 238, 324, centre=(195, 281))),
    9: (64, _columns(144, 209, 274, 339, centre=(241,))),
    10: (64, _columns(144, 209, 274, 339, centre=(176, 307))),
}


def _pip_height(suit: str, rank: int) -> float:
    """The largest pip height (capped per rank) at which no two pips' boxes touch."""
    cap, positions = PIP_LAYOUTS[rank]
    native_w, native_h = SYMBOL_SIZE[suit]
    aspect, tall = native_w / native_h, native_h / 100
    gap = 1.1
    height = cap
    for i, (x1, y1) in enumerate(positions):
        for x2, y2 in positions[i + 1 :]:
            dx, dy = abs(x1 - x2), abs(y1 - y2)
            if suit == "pentacles":  # round: only the distance between centres matters
                height = min(height, math.hypot(dx, dy) / (1.1 * tall))
            else:
                height = min(height, max(dx / (aspect * gap), dy / gap) / tall)
        # stay inside the arched panel and clear of its border
        top = 96 if x1 == 150 else 110
        height = min(height, 2 * (y1 - top) / tall, 2 * (369 - y1) / tall)
        height = min(height, 2 * (102 - abs(x1 - 150)) / (aspect * tall))
    return height


def _pips(suit: str, rank: int) -> str:
    _, positions = PIP_LAYOUTS[rank]
    pal = SUIT_PALETTES[suit]
    height = _pip_height(suit, rank)
    return "".join(
        _placed_symbol(suit, pal, x, y, height, cls=f"pip pip-{suit}") for x, y in positions
    )


def _ace(suit: str) -> str:
    pal = SUIT_PALETTES[suit]
    height = 150 if suit != "pentacles" else 132
    return (
        _circle(150, 236, 104, fill=pal["light"], opacity="0.1")
        + _spikes(150, 236, 40, 118, 24, 3.2, fill=pal["light"], opacity="0.55")
        + _spikes(150, 236, 40, 96, 24, 2.2, rot=7.5, fill=GOLD, opacity="0.75")
        + _circle(150, 236, 70, fill="none", stroke=GOLD, stroke_width="1.5", stroke_opacity="0.7")
        + "".join(
            _star(x, y, 7, 2.5, 4, fill=GOLD_LIGHT)
            for x, y in ((72, 130), (228, 130), (68, 348), (232, 348))
        )
        + _placed_symbol(suit, pal, 150, 236, height, cls=f"ace pip-{suit}", outline=3)
    )


def _crown(kind: str) -> str:
    """Headgear for the court cards, drawn around (150, 150)."""
    if kind == "page":  # a soft cap with a long feather
        return (
            _path(
                "M176,138 C196,108 226,102 240,108 C222,114 204,126 186,146 Z", fill=CREAM, **SOLID
            )
            + _path("M188,140 L228,110", stroke=GOLD_DARK, stroke_width="1.5")
            + _path(
                "M104,172 C100,138 124,120 150,120 C182,120 202,138 196,172 Z", fill=ROSE, **SOLID
            )
            + _rect(100, 166, 100, 16, rx="8", fill=GOLD, **SOLID)
            + _circle(150, 174, 4.5, fill=CREAM)
        )
    if kind == "knight":  # a helm with visor slits and a plume
        helm = "M112,186 L112,150 C112,124 128,110 150,110 C172,110 188,124 188,150 L188,186 Z"
        return (
            _path("M150,114 C160,88 188,80 206,90 C190,92 178,102 170,116 Z", fill=ROSE, **SOLID)
            + _path(helm, fill="#c8d3e2", **SOLID)
            + _path("M150,112 L150,186", stroke=GOLD, stroke_width="3")
            + _path(
                "M120,150 L180,150 M122,162 L178,162",
                **{**LINE, "stroke": INK, "stroke_width": "4"},
            )
            + _rect(108, 180, 84, 10, rx="4", fill=GOLD, **SOLID)
        )
    if kind == "queen":  # a rounded crown topped with pearls
        crown = (
            "M104,184 L100,132 C116,152 126,146 128,128 C136,146 144,146 150,122 "
            "C156,146 164,146 172,128 C174,146 184,152 200,132 L196,184 Z"
        )
        return (
            _path(crown, fill=GOLD, **SOLID)
            + "".join(
                _circle(x, y, 6, fill=CREAM, **SOLID)
                for x, y in ((100, 128), (128, 122), (150, 115), (172, 122), (200, 128))
            )
            + _rect(102, 170, 96, 14, rx="4", fill=GOLD_LIGHT, **SOLID)
            + _circle(150, 158, 7, fill=WATER, **SOLID)
        )
    # king: a tall spiked crown with a cross
    crown = "M100,186 L96,120 L118,148 L132,108 L150,140 L168,108 L182,148 L204,120 L200,186 Z"
    return (
        _path(
            "M150,108 L150,80 M140,90 L160,90",
            **{**LINE, "stroke": GOLD_LIGHT, "stroke_width": "6"},
        )
        + _path(crown, fill=GOLD, **SOLID)
        + _rect(98, 168, 104, 18, rx="4", fill=GOLD_LIGHT, **SOLID)
        + _circle(124, 177, 4.5, fill=ROSE)
        + _circle(150, 177, 4.5, fill=WATER)
        + _circle(176, 177, 4.5, fill=ROSE)
        + _path("M150,134 L158,150 L150,164 L142,150 Z", fill=ROSE, **SOLID)
    )


COURT_KINDS = {11: "page", 12: "knight", 13: "queen", 14: "king"}


def _laurel(side: int) -> str:
    """A laurel branch curving up one side of the court shield."""
    p0, p1, p2 = (150 + side * 10, 368), (150 + side * 104, 352), (150 + side * 86, 214)
    out = [
        _path(
            f"M{_n(p0[0])},{_n(p0[1])} Q{_n(p1[0])},{_n(p1[1])} {_n(p2[0])},{_n(p2[1])}",
            fill="none",
            stroke="#6f9f58",
            stroke_width="3",
            stroke_linecap="round",
        )
    ]
    for i in range(7):
        t = 0.16 + i * 0.13
        x = (1 - t) ** 2 * p0[0] + 2 * (1 - t) * t * p1[0] + t**2 * p2[0]
        y = (1 - t) ** 2 * p0[1] + 2 * (1 - t) * t * p1[1] + t**2 * p2[1]
        tx = 2 * (1 - t) * (p1[0] - p0[0]) + 2 * t * (p2[0] - p1[0])
        ty = 2 * (1 - t) * (p1[1] - p0[1]) + 2 * t * (p2[1] - p1[1])
        ang = math.degrees(math.atan2(ty, tx))
        for off in (-38, 38):
            a = math.radians(ang + off)
            lx, ly = x + 9 * math.cos(a), y + 9 * math.sin(a)
            out.append(
                _ellipse(
                    lx,
                    ly,
                    9,
                    3.8,
                    fill=LEAF,
                    transform=f"rotate({_n(ang + off)} {_n(lx)} {_n(ly)})",
                )
            )
    out.append(_ellipse(p2[0], p2[1] - 6, 4, 8, fill=LEAF))
    return "".join(out)


def _lance(side: int) -> str:
    """A lance with a pennant, crossed behind the knight's shield."""
    x0, y0, x1, y1 = 150 - side * 84, 364, 150 + side * 78, 150
    pennant = (
        f"M{_n(x1 - side * 4)},{_n(y1 + 10)} L{_n(x1 + side * 30)},{_n(y1 + 18)} "
        f"L{_n(x1 + side * 16)},{_n(y1 + 26)} L{_n(x1 + side * 28)},{_n(y1 + 36)} "
        f"L{_n(x1 - side * 9)},{_n(y1 + 30)} Z"
    )
    return (
        _line(x0, y0, x1, y1, stroke=GOLD_LIGHT, stroke_width="5", stroke_linecap="round")
        + _path(pennant, fill=ROSE, stroke=GOLD, stroke_width="1.5", stroke_linejoin="round")
        + _path(
            f"M{_n(x1)},{_n(y1 - 14)} L{_n(x1 + side * 6)},{_n(y1 + 4)} "
            f"L{_n(x1 - side * 5)},{_n(y1 + 2)} Z",
            fill=CREAM,
        )
    )


def _court(suit: str, rank: int) -> str:
    pal = SUIT_PALETTES[suit]
    kind = COURT_KINDS[rank]
    shield = "M92,196 L208,196 L208,270 C208,316 180,340 150,360 C120,340 92,316 92,270 Z"
    laurel = ""
    if kind in ("queen", "king"):
        laurel = _laurel(-1) + _laurel(1)
    if kind == "knight":
        laurel = _lance(1) + _lance(-1)
    if kind == "page":
        laurel = "".join(
            _star(x, y, 9, 3.2, 4, fill=GOLD_LIGHT)
            for x, y in ((70, 240), (230, 240), (82, 330), (218, 330))
        )
    return (
        laurel
        + _path(
            shield,
            fill=BACKGROUNDS[suit][2],
            stroke=GOLD,
            stroke_width="4.5",
            stroke_linejoin="round",
        )
        + _path(
            "M101,205 L199,205 L199,270 C199,310 175,331 150,348 C125,331 101,310 101,270 Z",
            fill="none",
            stroke=GOLD,
            stroke_width="1.5",
            stroke_opacity="0.7",
        )
        + _placed_symbol(
            suit,
            pal,
            150,
            268,
            96 if suit != "pentacles" else 84,
            cls=f"emblem pip-{suit}",
            outline=2.2,
        )
        + _crown(kind)
    )


# --------------------------------------------------------------------------- public API


def card_face_svg(
    *, arcana: str, number: int, suit: str | None, rank: int | None, name: str, slug: str
) -> str:
    """The face of one card as a standalone SVG document (viewBox 0 0 300 480)."""
    name = str(name)
    if arcana == "major":
        if not 0 <= number <= 21:
            raise ValueError(f"major arcana number out of range: {number!r}")
        ident = _ident(slug, "major")
        body = (
            _defs(ident, "major")
            + _frame(ident)
            + _cartouche(ROMAN[number])
            + _panel(ident)
            + _g(_sky(number), class_="sky")
            + _g(MAJOR_MOTIFS[number](), class_=f"motif motif-{number}")
            + _banner(name, ident)
        )
        return _svg(name, ident, body)
    if arcana != "minor":
        raise ValueError(f"unknown arcana: {arcana!r}")
    if suit not in SUITS:
        raise ValueError(f"unknown suit: {suit!r}")
    rank = number if rank is None else rank
    if not 1 <= rank <= 14:
        raise ValueError(f"minor arcana rank out of range: {rank!r}")
    ident = _ident(slug, suit)
    pal = SUIT_PALETTES[suit]
    flank = _placed_symbol(suit, pal, 86, 50, 26, outline=1.2) + _placed_symbol(
        suit, pal, 214, 50, 26, outline=1.2
    )
    if rank == 1:
        art = _ace(suit)
    elif rank <= 10:
        art = _pips(suit, rank)
    else:
        art = _court(suit, rank)
    body = (
        _defs(ident, suit)
        + _frame(ident)
        + _cartouche(RANK_LABELS.get(rank, str(rank)), flank)
        + _panel(ident)
        + _g(art, class_=f"motif suit-{suit}")
        + _banner(name, ident)
    )
    return _svg(name, ident, body)


def card_back_svg() -> str:
    """The card back: symmetric under a half turn so reversed cards cannot be told apart."""
    ident = "ta-card-back"
    half = (
        # crescent and small stars on one half; the other half is the same turned 180 degrees
        _path("M128,104 A26,26 0 1 0 172,104 A22,20 0 1 1 128,104 Z", fill=GOLD)
        + _star(150, 140, 7, 2.6, 4, fill=GOLD_LIGHT)
        + _star(80, 110, 6, 2.2, 4, fill=GOLD_LIGHT)
        + _star(220, 110, 6, 2.2, 4, fill=GOLD_LIGHT)
        + _circle(64, 170, 2.4, fill=GOLD_LIGHT)
        + _circle(236, 170, 2.4, fill=GOLD_LIGHT)
        + _path(
            "M150,52 L160,66 L150,80 L140,66 Z", fill=GOLD, stroke=GOLD_DARK, stroke_width="1.2"
        )
        + _path("M92,66 L208,66", stroke=GOLD, stroke_width="1.5")
        + _circle(92, 66, 3, fill=GOLD)
        + _circle(208, 66, 3, fill=GOLD)
    )
    lattice = "".join(
        _line(x, 30, x + 240, 450, stroke=GOLD, stroke_width="0.8", stroke_opacity="0.16")
        + _line(300 - x, 30, 60 - x, 450, stroke=GOLD, stroke_width="0.8", stroke_opacity="0.16")
        for x in range(-240, 300, 30)
    )
    medallion = (
        _circle(150, 240, 96, fill=INK, stroke=GOLD, stroke_width="4")
        + _circle(150, 240, 88, fill="none", stroke=GOLD, stroke_width="1.2", stroke_opacity="0.7")
        + "".join(
            _circle(
                150 + 92 * math.cos(math.radians(a)),
                240 + 92 * math.sin(math.radians(a)),
                2.2,
                fill=GOLD_LIGHT,
            )
            for a in range(0, 360, 15)
        )
        + _spikes(150, 240, 30, 82, 16, 4.5, fill=GOLD, opacity="0.9")
        + _spikes(150, 240, 30, 64, 16, 4, rot=11.25, fill=GOLD_LIGHT, opacity="0.8")
        + _star(150, 240, 40, 16, 8, fill=CREAM, stroke=GOLD, stroke_width="2")
        + _circle(150, 240, 14, fill=INK, stroke=GOLD, stroke_width="3")
        + _star(150, 240, 8, 3, 4, rot=-45, fill=GOLD_LIGHT)
    )
    body = (
        "<defs>"
        f'<radialGradient id="{ident}-bg" cx="0.5" cy="0.5" r="0.7">'
        f'<stop offset="0" stop-color="#2c3483"/><stop offset="1" stop-color="#0a0d2a"/>'
        "</radialGradient>"
        f'<linearGradient id="{ident}-gold" x1="0" y1="0" x2="1" y2="1">'
        f'<stop offset="0" stop-color="{GOLD_LIGHT}"/><stop offset="0.5" stop-color="{GOLD}"/>'
        f'<stop offset="1" stop-color="{GOLD_LIGHT}"/>'
        "</linearGradient>"
        f'<clipPath id="{ident}-clip"><rect x="30" y="30" width="240" height="420" rx="6"/>'
        "</clipPath>"
        "</defs>"
        + _frame(ident)
        + _rect(30, 30, 240, 420, rx="6", fill="none", stroke=GOLD, stroke_width="2")
        + _g(lattice, clip_path=f"url(#{ident}-clip)")
        + _rect(
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
        + _g(half)
        + _g(half, transform="rotate(180 150 240)")
        + medallion
    )
    return _svg("Tarot Master", ident, body, label="Tarot Master")
