"""The major arcana: one geometric motif for each of the 22 cards, in the frame's gold line art.

Every motif is drawn inside the arched panel of the frame, whose centre line is x = 150, over a
faint field of stars.
"""

from __future__ import annotations

import math

from .minors import GOLD_PALETTE, SUITS, placed_suit_symbol, suit_symbol
from .primitives import (
    CREAM,
    FONT_FAMILY,
    GOLD,
    GOLD_DARK,
    GOLD_LIGHT,
    GOLD_OUTLINE,
    INK,
    LEAF,
    NIGHT,
    ROSE,
    WATER,
    circle,
    ellipse,
    group,
    line,
    line_art,
    path,
    pentagram_path,
    rays,
    rect,
    spikes,
    star,
    svg_number,
    svg_point,
)


def major_picture(number: int) -> str:
    """What the panel of major arcanum ``number`` (0-21) shows."""
    return group(_star_field(number), class_="sky") + group(
        MAJOR_MOTIFS[number](), class_=f"motif motif-{number}"
    )


def _star_field(seed: int) -> str:
    """A few faint background stars inside the panel.

    Placed by a small linear congruential generator rather than ``random`` so a card's face is
    the same bytes on every run and every Python version.
    """
    stars = []
    state = 1103 + seed * 7919
    for _ in range(14):
        state = (state * 1103515245 + 12345) % 2147483648
        x = 52 + (state % 1960) / 10
        state = (state * 1103515245 + 12345) % 2147483648
        y = 112 + (state % 2500) / 10
        radius = 0.9 + (state % 7) / 6
        stars.append(circle(x, y, radius, fill=CREAM, opacity="0.45"))
    return "".join(stars)


# --------------------------------------------------------------------------- shared scenery


def _sun_disc(cx, cy, radius, ray_start, ray_end, ray_count) -> str:
    """A cream disc in a ring of gold spikes."""
    return spikes(cx, cy, ray_start, ray_end, ray_count, 360 / ray_count / 4.2, fill=GOLD) + circle(
        cx, cy, radius, fill=CREAM, stroke=GOLD, stroke_width="3"
    )


def _tower(x, top, bottom, width) -> str:
    """A crenellated tower centred on ``x``, with a lit window."""
    half_width = width / 2
    merlon_width = width / 5
    outline = f"M{svg_point(x - half_width, bottom)} L{svg_point(x - half_width, top)}"
    for i in range(5):
        left = svg_number(x - half_width + i * merlon_width)
        right = svg_number(x - half_width + (i + 1) * merlon_width)
        if i % 2 == 0:
            outline += f" L{right},{svg_number(top)}"
        else:
            notch = svg_number(top + 7)
            outline += f" L{left},{notch} L{right},{notch} L{right},{svg_number(top)}"
    outline += f" L{svg_point(x + half_width, bottom)} Z"
    return path(outline, fill=INK, **GOLD_OUTLINE) + rect(
        x - 3.5, top + 18, 7, 12, rx="3.5", fill=GOLD_LIGHT
    )


def _waves(start_x, end_x, y, amplitude, period, **attributes) -> str:
    """A wavy line of water from ``start_x`` to ``end_x``; the last wave is cut to fit."""
    data = f"M{svg_point(start_x, y)}"
    x = start_x
    while x < end_x - 0.1:
        step = min(period, end_x - x)
        half_step = svg_number(step / 2)
        data += f" q{svg_point(step / 4, -amplitude)} {half_step},0 t{half_step},0"
        x += step
    return path(data, **line_art(**attributes))


# --------------------------------------------------------------------------- the 22 motifs


def _the_fool() -> str:
    cliff = "M38,380 L38,292 L120,282 L168,290 L176,300 L164,316 L172,334 L160,352 L166,380 Z"
    return (
        _sun_disc(202, 150, 24, 31, 50, 12)
        + path("M178,372 L204,324 L222,344 L238,310 L254,340", **line_art(stroke_width="3"))
        + path(cliff, fill="#1e2660", **GOLD_OUTLINE)
        + path(
            "M60,300 L96,294 M124,292 L150,296",
            **line_art(stroke_width="2.5", stroke_opacity="0.6"),
        )
        # staff with bundle leaning out over the edge
        + line(132, 282, 178, 200, **line_art())
        + circle(184, 194, 13, fill=ROSE, **GOLD_OUTLINE)
        + path("M178,190 Q186,184 192,190", fill="none", stroke=GOLD_LIGHT, stroke_width="2")
        # the little dog
        + circle(96, 262, 13, fill=CREAM, **GOLD_OUTLINE)
        + path("M86,254 L84,240 L94,250 Z M106,254 L108,240 L98,250 Z", fill=CREAM, **GOLD_OUTLINE)
        + circle(91, 262, 1.8, fill=INK)
        + circle(101, 262, 1.8, fill=INK)
        + path("M82,276 Q74,284 78,292 M110,276 Q116,284 112,290", **line_art(stroke_width="3.5"))
        # a white rose
        + star(84, 140, 12, 7, 5, fill=CREAM, **GOLD_OUTLINE)
        + circle(84, 140, 3.5, fill=GOLD)
    )


def _the_magician() -> str:
    infinity = (
        "M150,130 C164,110 196,110 196,130 C196,150 164,150 150,130 C136,110 104,110 104,130 "
        "C104,150 136,150 150,130 Z"
    )
    tools = "".join(
        placed_suit_symbol(suit, GOLD_PALETTE, x, 292, 44, outline_width=1.6)
        for suit, x in zip(SUITS, (76, 124, 176, 224), strict=True)
    )
    return (
        path(infinity, **line_art(stroke_width="6"))
        + line(150, 170, 150, 244, **line_art(stroke_width="7"))
        + circle(150, 168, 7, fill=CREAM, **GOLD_OUTLINE)
        + circle(150, 246, 7, fill=CREAM, **GOLD_OUTLINE)
        + rays(150, 168, 14, 24, 8, 22.5, **line_art(stroke_width="2.5"))
        + tools
        + rect(52, 318, 196, 14, rx="3", fill="#2a3272", **GOLD_OUTLINE)
        + line(66, 332, 66, 366, **line_art())
        + line(234, 332, 234, 366, **line_art())
    )


def _pillar(x, fill, letter_color, letter) -> str:
    """One of the temple pillars, Boaz or Jachin, with its letter."""
    return (
        rect(x - 13, 150, 26, 204, fill=fill, **GOLD_OUTLINE)
        + rect(x - 20, 138, 40, 14, rx="3", fill=fill, **GOLD_OUTLINE)
        + rect(x - 20, 352, 40, 14, rx="3", fill=fill, **GOLD_OUTLINE)
        + f'<text x="{svg_number(x)}" y="182" text-anchor="middle" font-family="{FONT_FAMILY}" '
        f'font-size="20" font-weight="700" fill="{letter_color}">{letter}</text>'
    )


def _the_high_priestess() -> str:
    return (
        _pillar(82, INK, GOLD_LIGHT, "B")
        + _pillar(218, CREAM, INK, "J")
        # crown of Isis: full moon between two crescents
        + circle(150, 160, 13, fill=CREAM, **GOLD_OUTLINE)
        + path("M130,144 A18,18 0 1 0 130,176 A14,14 0 1 1 130,144 Z", fill=GOLD)
        + path("M170,144 A18,18 0 1 1 170,176 A14,14 0 1 0 170,144 Z", fill=GOLD)
        # solar cross
        + path("M150,216 L150,284 M116,250 L184,250", **line_art(stroke_width="7"))
        + circle(150, 250, 9, fill=NIGHT, **GOLD_OUTLINE)
        # crescent moon at her feet
        + path("M112,310 A38,38 0 0 0 188,310 A40,24 0 0 1 112,310 Z", fill=CREAM, **GOLD_OUTLINE)
    )


def _the_empress() -> str:
    heart = (
        "M150,330 C112,300 82,266 82,232 C82,204 104,186 126,186 C138,186 146,194 150,202 "
        "C154,194 162,186 174,186 C196,186 218,204 218,232 C218,266 188,300 150,330 Z"
    )
    # the crown of twelve stars, on an elliptical arc above the heart
    stars = "".join(
        star(
            150 + 76 * math.cos(math.radians(degrees)),
            176 + 62 * math.sin(math.radians(degrees)),
            7,
            3,
            6,
            fill=GOLD_LIGHT,
        )
        for degrees in range(-168, -11, 14)
    )
    wheat = ""
    for x, side in ((62, 1), (238, -1)):
        wheat += line(x, 370, x + side * 10, 300, **line_art(stroke_width="3"))
        for i in range(4):
            grain_y = 312 + i * 14
            stalk_x = x + side * (10 - (grain_y - 300) / 7)
            for grain_x, tilt in ((stalk_x - 5, -25), (stalk_x + 5, 25)):
                wheat += ellipse(
                    grain_x,
                    grain_y,
                    4,
                    7,
                    fill=GOLD,
                    transform=f"rotate({tilt} {svg_number(grain_x)} {svg_number(grain_y)})",
                )
        wheat += ellipse(x + side * 10, 296, 3.5, 7, fill=GOLD_LIGHT)
    return (
        stars
        + path(heart, fill=NIGHT, stroke=GOLD, stroke_width="5", stroke_linejoin="round")
        + circle(150, 236, 20, **line_art(stroke=CREAM, stroke_width="6"))
        + path("M150,256 L150,306 M132,284 L168,284", **line_art(stroke=CREAM, stroke_width="6"))
        + wheat
    )


def _the_emperor() -> str:
    mountains = "M38,330 L70,262 L92,290 L118,236 L150,300 L182,236 L208,290 L230,262 L262,330 Z"
    horns = (
        "M100,232 C78,232 70,212 80,200 C90,190 106,198 100,210 C96,218 86,212 90,206 "
        "M200,232 C222,232 230,212 220,200 C210,190 194,198 200,210 C204,218 214,212 210,206"
    )
    return (
        path(mountains, fill="#1c245e", stroke=GOLD, stroke_width="2.5", stroke_linejoin="round")
        + rect(96, 230, 108, 120, rx="4", fill=INK, **GOLD_OUTLINE)
        + rect(108, 244, 84, 92, fill="none", stroke=GOLD, stroke_width="2", stroke_opacity="0.7")
        + path(horns, **line_art(stroke_width="6"))
        # ankh sceptre
        + ellipse(150, 146, 13, 17, **line_art(stroke=CREAM, stroke_width="6"))
        + path("M150,163 L150,300 M128,176 L172,176", **line_art(stroke=CREAM, stroke_width="6"))
        + circle(150, 306, 10, fill=GOLD, **GOLD_OUTLINE)
    )


def _key(rotation: float, color: str) -> str:
    """One of the crossed keys at the Hierophant's feet."""
    shape = (
        circle(0, -58, 13, fill="none", stroke=color, stroke_width="6")
        + line(0, -45, 0, 58, stroke=color, stroke_width="6", stroke_linecap="round")
        + path(
            "M0,38 L16,38 L16,46 M0,52 L12,52",
            fill="none",
            stroke=color,
            stroke_width="5",
            stroke_linejoin="round",
        )
    )
    return group(shape, transform=f"translate(150 300) rotate({svg_number(rotation)})")


def _the_hierophant() -> str:
    return (
        line(150, 112, 150, 250, **line_art(stroke_width="7"))
        + path(
            "M136,134 L164,134 M126,156 L174,156 M116,178 L184,178", **line_art(stroke_width="7")
        )
        + circle(150, 112, 6, fill=GOLD_LIGHT)
        + path(
            "M76,110 L76,232 M224,110 L224,232",
            **line_art(stroke_width="3", stroke_opacity="0.7"),
        )
        + _key(-38, GOLD)
        + _key(38, CREAM)
    )


def _standing_figure(x: float, y: float, fill: str) -> str:
    """A robed figure whose head is centred on (x, y)."""
    body = (
        f"M{svg_point(x, y + 14)} C{svg_point(x + 24, y + 24)} {svg_point(x + 26, y + 80)} "
        f"{svg_point(x + 22, y + 98)} L{svg_point(x - 22, y + 98)} C{svg_point(x - 26, y + 80)} "
        f"{svg_point(x - 24, y + 24)} {svg_point(x, y + 14)} Z"
    )
    return path(body, fill=fill, **GOLD_OUTLINE) + circle(x, y, 14, fill=fill, **GOLD_OUTLINE)


def _the_lovers() -> str:
    wing = (
        "M132,160 C108,138 84,130 58,136 C74,146 80,152 86,160 C76,160 68,164 62,172 "
        "C86,170 106,176 128,178 Z"
    )
    return (
        _sun_disc(150, 156, 20, 24, 40, 12)
        + path(wing, fill=GOLD_LIGHT, **GOLD_OUTLINE)
        + group(path(wing, fill=GOLD_LIGHT, **GOLD_OUTLINE), transform="matrix(-1 0 0 1 300 0)")
        + path("M150,218 L188,320 L112,320 Z", fill="#1c245e", **GOLD_OUTLINE)
        + _standing_figure(96, 244, CREAM)
        + _standing_figure(204, 244, GOLD)
        + line(60, 344, 240, 344, **line_art(stroke_width="3"))
    )


def _chariot_wheel(cx, cy, radius) -> str:
    return (
        circle(cx, cy, radius, fill=INK, **GOLD_OUTLINE)
        + rays(cx, cy, 0, radius, 8, 0, **line_art(stroke_width="3"))
        + circle(cx, cy, 4, fill=GOLD)
    )


def _the_chariot() -> str:
    canopy_stars = "".join(star(x, 134, 6, 2.5, 6, fill=GOLD_LIGHT) for x in range(86, 220, 32))
    sphinx_body = "M-26,0 L-26,-14 C-26,-22 -16,-22 -12,-18 L14,-18 C22,-18 26,-12 26,0 Z"
    return (
        path("M70,150 Q150,112 230,150", **line_art(stroke_width="6"))
        + canopy_stars
        + path("M84,146 L96,196 M216,146 L204,196", **line_art(stroke_width="4"))
        + rect(90, 196, 120, 92, rx="4", fill=INK, **GOLD_OUTLINE)
        # winged disc
        + path(
            "M120,236 C108,226 98,226 90,230 C102,236 110,240 122,244 Z M180,236 C192,226 "
            "202,226 210,230 C198,236 190,240 178,244 Z",
            fill=GOLD_LIGHT,
        )
        + circle(150, 238, 12, fill=CREAM, **GOLD_OUTLINE)
        + _chariot_wheel(92, 292, 24)
        + _chariot_wheel(208, 292, 24)
        + group(
            path(sphinx_body, fill=INK, **GOLD_OUTLINE)
            + circle(-17, -25, 9, fill=INK, **GOLD_OUTLINE),
            transform="translate(112 356)",
        )
        + group(
            path(sphinx_body, fill=CREAM, **GOLD_OUTLINE)
            + circle(-17, -25, 9, fill=CREAM, **GOLD_OUTLINE),
            transform="translate(188 356) scale(-1 1)",
        )
    )


def _strength() -> str:
    infinity = (
        "M150,130 C160,116 184,116 184,130 C184,144 160,144 150,130 C140,116 116,116 116,130 "
        "C116,144 140,144 150,130 Z"
    )
    return (
        path(infinity, **line_art(stroke_width="5"))
        + spikes(150, 250, 42, 72, 18, 9, fill=GOLD, stroke=GOLD_DARK, stroke_width="1.5")
        + spikes(150, 250, 40, 58, 18, 8, rotation=10, fill=GOLD_LIGHT)
        + circle(150, 250, 44, fill="#c79a4a", **GOLD_OUTLINE)
        + path(
            "M124,240 Q132,232 140,240 M160,240 Q168,232 176,240",
            **line_art(stroke=INK, stroke_width="4"),
        )
        + path("M142,258 L158,258 L150,270 Z", fill=INK)
        + path(
            "M150,270 L150,278 M136,284 Q150,292 164,284",
            **line_art(stroke=INK, stroke_width="3.5"),
        )
        # garland of flowers
        + "".join(
            circle(
                150 + 64 * math.cos(math.radians(degrees)),
                250 + 64 * math.sin(math.radians(degrees)),
                5,
                fill=ROSE,
                stroke=CREAM,
                stroke_width="1.5",
            )
            for degrees in range(30, 151, 24)
        )
    )


def _the_hermit() -> str:
    lantern = "M100,196 L130,196 L136,212 L136,248 L130,262 L100,262 L94,248 L94,212 Z"
    return (
        path(
            "M38,380 L38,340 L100,300 L130,318 L170,272 L262,348 L262,380 Z",
            fill="#1c245e",
            stroke=GOLD,
            stroke_width="2.5",
            stroke_linejoin="round",
        )
        + path("M152,292 L170,272 L190,290 L178,286 L168,296 L160,288 Z", fill=CREAM)
        + line(196, 120, 180, 366, **line_art(stroke_width="7"))
        + circle(115, 230, 46, fill=GOLD_LIGHT, opacity="0.18")
        + path("M115,160 L115,196 M115,160 Q150,150 192,170", **line_art(stroke_width="4"))
        + path(lantern, fill=INK, **GOLD_OUTLINE)
        + star(115, 229, 20, 11.5, 6, fill=CREAM)
        + path("M104,190 L126,190 L120,182 L110,182 Z", fill=GOLD)
    )


_CLOUD = "M-18,7 C-26,7 -26,-5 -16,-5 C-16,-14 -3,-16 0,-7 C4,-14 17,-12 15,-3 C24,-3 24,7 17,7 Z"


def _wheel_of_fortune() -> str:
    letters = "".join(
        f'<text x="{svg_number(150 + 66 * math.cos(math.radians(degrees)))}" '
        f'y="{svg_number(236 + 66 * math.sin(math.radians(degrees)) + 6)}" text-anchor="middle" '
        f'font-family="{FONT_FAMILY}" font-size="17" font-weight="700" fill="{GOLD_LIGHT}">'
        f"{letter}</text>"
        for letter, degrees in zip("TARO", (-90, 0, 90, 180), strict=True)
    )
    return (
        circle(150, 236, 82, fill=INK, stroke=GOLD, stroke_width="6")
        + circle(150, 236, 52, fill=NIGHT, stroke=GOLD, stroke_width="4")
        + rays(150, 236, 52, 82, 8, 22.5, **line_art(stroke_width="3"))
        + letters
        + rays(150, 236, 12, 52, 8, 0, **line_art(stroke_width="4"))
        + circle(150, 236, 14, fill=CREAM, **GOLD_OUTLINE)
        + path("M126,150 L150,128 L174,150 Z", fill=GOLD_LIGHT, **GOLD_OUTLINE)
        + path("M58,176 Q74,194 58,214 T60,254 T56,298", **line_art(stroke=LEAF))
        + "".join(
            path(_CLOUD, fill=CREAM, stroke=GOLD, stroke_width="2", transform=f"translate({x} {y})")
            for x, y in ((70, 122), (230, 122), (70, 352), (230, 352))
        )
    )


def _justice() -> str:
    pan = "M-26,0 Q0,26 26,0 Z"
    return (
        path("M150,108 L160,126 L160,290 L140,290 L140,126 Z", fill=CREAM, **GOLD_OUTLINE)
        + path("M116,290 L184,290 L184,302 L116,302 Z", fill=GOLD, **GOLD_OUTLINE)
        + rect(143, 302, 14, 34, fill=INK, **GOLD_OUTLINE)
        + circle(150, 344, 9, fill=GOLD, **GOLD_OUTLINE)
        + path("M76,188 Q150,170 224,188", **line_art(stroke_width="6"))
        + circle(150, 180, 7, fill=GOLD_LIGHT, **GOLD_OUTLINE)
        + path(
            "M76,188 L56,248 M76,188 L96,248 M224,188 L204,248 M224,188 L244,248",
            **line_art(stroke_width="2.5"),
        )
        + group(path(pan, fill=GOLD, **GOLD_OUTLINE), transform="translate(76 248)")
        + group(path(pan, fill=GOLD, **GOLD_OUTLINE), transform="translate(224 248)")
        + path("M64,372 L236,372", **line_art(stroke_width="3"))
    )


def _the_hanged_man() -> str:
    return (
        path("M70,372 L70,124 M230,372 L230,124", **line_art(stroke=LEAF, stroke_width="8"))
        + rect(58, 112, 184, 16, rx="6", fill="#4f7a3e", **GOLD_OUTLINE)
        + line(150, 128, 150, 152, **line_art(stroke_width="3"))
        # legs: one straight, one bent to make the figure four
        + path(
            "M150,152 L150,226 M150,176 L180,200 L152,214",
            **line_art(stroke=CREAM, stroke_width="8"),
        )
        + path(
            "M132,288 L116,262 L138,240 M168,288 L184,262 L162,240",
            **line_art(stroke=CREAM, stroke_width="6"),
        )
        + path("M128,224 L172,224 L164,294 L136,294 Z", fill=ROSE, **GOLD_OUTLINE)
        + spikes(150, 312, 24, 40, 16, 5, fill=GOLD_LIGHT)
        + circle(150, 312, 24, fill="none", stroke=GOLD, stroke_width="3")
        + circle(150, 312, 15, fill=CREAM, **GOLD_OUTLINE)
    )


def _death() -> str:
    rose = "".join(
        circle(
            150 + 15 * math.cos(math.radians(degrees)),
            178 + 15 * math.sin(math.radians(degrees)),
            11,
            fill=CREAM,
            stroke=GOLD_DARK,
            stroke_width="2",
        )
        for degrees in range(-90, 270, 72)
    ) + circle(150, 178, 8, fill=GOLD, stroke=GOLD_DARK, stroke_width="1.5")
    return (
        line(84, 110, 84, 372, **line_art(stroke_width="6"))
        + path("M84,124 L218,124 L218,236 L84,236 Z", fill="#05071a", **GOLD_OUTLINE)
        + rose
        + spikes(150, 334, 34, 50, 11, 4, rotation=-165, span=165, fill=GOLD)
        + path("M120,334 A30,30 0 0 1 180,334 Z", fill=CREAM)
        + _tower(122, 280, 334, 26)
        + _tower(216, 272, 334, 30)
        + line(40, 334, 260, 334, **line_art(stroke_width="3.5"))
        + _waves(70, 240, 354, 4, 34, stroke_width="3", stroke=WATER)
    )


def _temperance() -> str:
    cup = suit_symbol("cups", GOLD_PALETTE, 2.4)
    return (
        rect(124, 112, 52, 52, fill="none", stroke=GOLD, stroke_width="4")
        + path("M150,120 L168,154 L132,154 Z", fill=GOLD_LIGHT)
        + group(cup, transform="translate(92 214) rotate(45) scale(0.74)")
        + path("M126,204 C160,204 186,226 190,258", **line_art(stroke=WATER, stroke_width="7"))
        + group(cup, transform="translate(190 292) scale(0.74)")
        + path("M40,360 Q100,340 150,360 T262,356", **line_art(stroke_width="3"))
        + _waves(54, 122, 344, 4, 22, stroke=WATER, stroke_width="3")
        + path(
            "M86,318 L86,292 M86,300 Q72,286 78,276 Q88,284 86,300 M86,296 Q100,284 94,274 "
            "Q84,282 86,296",
            **line_art(stroke=LEAF, stroke_width="2.5"),
        )
        + _sun_disc(236, 344, 8, 11, 18, 10)
    )


def _the_devil() -> str:
    chain = "".join(
        ellipse(
            x,
            y,
            6,
            4,
            fill="none",
            stroke=GOLD,
            stroke_width="2.5",
            transform=f"rotate({svg_number(tilt)} {svg_number(x)} {svg_number(y)})",
        )
        for x, y, tilt in (
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
        path(horns, fill=CREAM, **GOLD_OUTLINE)
        + circle(150, 178, 46, fill=INK, stroke=GOLD, stroke_width="5")
        + path(pentagram_path(150, 178, 40, rotation=90), **line_art(stroke=ROSE))
        + path("M104,250 L196,250 L186,306 L114,306 Z", fill=INK, **GOLD_OUTLINE)
        + path("M104,262 L196,262", stroke=GOLD, stroke_width="2")
        + chain
        + circle(88, 356, 12, fill=CREAM, **GOLD_OUTLINE)
        + circle(212, 356, 12, fill=GOLD, **GOLD_OUTLINE)
        + path("M120,240 L150,226 L180,240", **line_art(stroke_width="4"))
    )


def _the_tower() -> str:
    bolt = "M62,100 L128,150 L112,156 L168,196 L118,178 L132,170 Z"
    crown = "M-22,10 L-22,-8 L-12,2 L0,-14 L12,2 L22,-8 L22,10 Z"
    flames = "".join(
        path(f"M{svg_point(x, y)} q-6,-10 0,-18 q6,8 0,18 Z", fill=color)
        for x, y, color in (
            (70, 230, ROSE),
            (84, 290, GOLD_LIGHT),
            (224, 220, GOLD_LIGHT),
            (236, 296, ROSE),
            (212, 340, GOLD),
            (62, 346, GOLD),
        )
    )
    return (
        path("M108,196 L192,196 L204,368 L96,368 Z", fill=INK, **GOLD_OUTLINE)
        + path("M104,196 L196,196 L196,210 L104,210 Z", fill=INK, **GOLD_OUTLINE)
        + rect(140, 236, 20, 30, rx="10", fill=ROSE, stroke=GOLD_LIGHT, stroke_width="2")
        + rect(120, 292, 16, 24, rx="8", fill=GOLD_LIGHT)
        + rect(164, 292, 16, 24, rx="8", fill=GOLD_LIGHT)
        + path("M40,376 Q70,360 96,368 L204,368 Q232,360 260,376", **line_art(stroke_width="3"))
        + path(bolt, fill=CREAM, **GOLD_OUTLINE)
        + group(path(crown, fill=GOLD, **GOLD_OUTLINE), transform="translate(208 160) rotate(28)")
        + flames
    )


def _the_star() -> str:
    small_stars = "".join(
        star(x, y, 11, 4, 8, fill=GOLD_LIGHT)
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
        star(150, 166, 56, 18, 8, fill=CREAM, stroke=GOLD, stroke_width="3")
        + star(150, 166, 32, 12, 8, rotation=-67.5, fill=GOLD)
        + small_stars
        + path("M120,300 L126,290 L142,290 L148,300 L144,318 L124,318 Z", fill=GOLD, **GOLD_OUTLINE)
        + path("M142,296 C160,300 172,316 176,334", **line_art(stroke=WATER, stroke_width="4"))
        + _waves(50, 250, 344, 5, 40, stroke=WATER, stroke_width="4")
        + _waves(70, 230, 362, 4, 40, stroke=WATER, stroke_width="3", stroke_opacity="0.7")
    )


def _the_moon() -> str:
    drops = "".join(
        path(f"M{svg_point(x, y)} q-5,8 0,12 q5,-4 0,-12 Z", fill=GOLD_LIGHT)
        for x, y in ((124, 214), (150, 222), (176, 214))
    )
    return (
        spikes(150, 150, 40, 60, 16, 5, fill=GOLD)
        + circle(150, 150, 38, fill=CREAM, **GOLD_OUTLINE)
        + path("M156,118 A32,32 0 1 0 156,182 A26,32 0 1 1 156,118 Z", fill="#c9b98a")
        + drops
        + _tower(70, 236, 328, 28)
        + _tower(230, 236, 328, 28)
        + path(
            "M150,250 C128,272 176,292 146,312 C120,330 170,344 150,362",
            **line_art(stroke=GOLD_LIGHT, stroke_width="6"),
        )
        + path("M40,346 Q90,330 118,352 M182,352 Q210,330 262,346", **line_art(stroke_width="3"))
        + ellipse(100, 366, 38, 9, fill="none", stroke=WATER, stroke_width="3")
    )


def _the_sun() -> str:
    # between the straight rays, rays that zigzag from side to side of their direction
    wavy_rays = []
    for i in range(8):
        angle = math.radians(22.5 + i * 45)
        along_x, along_y = math.cos(angle), math.sin(angle)
        across_x, across_y = -along_y, along_x
        bends = []
        for k in range(5):
            distance = 58 + k * 9
            sideways = 6 * (1 if k % 2 else -1) if 0 < k < 4 else 0
            bends.append(
                (
                    150 + distance * along_x + sideways * across_x,
                    184 + distance * along_y + sideways * across_y,
                )
            )
        wavy_rays.append("M" + " L".join(svg_point(x, y) for x, y in bends))
    flowers = "".join(
        star(x, 296, 13, 6, 10, fill=GOLD_LIGHT) + circle(x, 296, 6, fill=GOLD_DARK)
        for x in (72, 116, 184, 228)
    )
    bricks = (
        "M40,322 L260,322 M40,342 L260,342 M70,306 L70,322 M120,306 L120,322 M170,306 "
        "L170,322 M220,306 L220,322 M95,322 L95,342 M145,322 L145,342 M195,322 L195,342 "
        "M245,322 L245,342"
    )
    return (
        spikes(150, 184, 50, 100, 8, 7, fill=GOLD)
        + path(" ".join(wavy_rays), **line_art(stroke=GOLD_LIGHT, stroke_width="4"))
        + circle(150, 184, 50, fill=CREAM, stroke=GOLD, stroke_width="4")
        + circle(150, 184, 38, fill="none", stroke=GOLD, stroke_width="2", stroke_opacity="0.6")
        + rect(38, 306, 224, 54, fill="#1c245e")
        + path(bricks, **line_art(stroke_width="2.5"))
        + line(38, 306, 262, 306, **line_art(stroke_width="4"))
        + flowers
    )


def _judgement() -> str:
    cloud = (
        "M56,150 C50,132 70,120 84,130 C90,110 118,110 124,128 C132,116 152,118 154,134 "
        "C168,128 184,138 176,152 Z"
    )
    tombs = "".join(
        rect(x - 18, 330, 36, 22, rx="3", fill=INK, **GOLD_OUTLINE)
        + circle(x, 318, 9, fill=CREAM, **GOLD_OUTLINE)
        + path(
            f"M{svg_point(x - 9, 330)} L{svg_point(x - 20, 302)} "
            f"M{svg_point(x + 9, 330)} L{svg_point(x + 20, 302)}",
            **line_art(stroke=CREAM, stroke_width="4"),
        )
        for x in (84, 150, 216)
    )
    return (
        path(cloud, fill=CREAM, **GOLD_OUTLINE)
        + path(
            "M228,236 A24,24 0 0 1 212,254 M238,238 A34,34 0 0 1 214,264 "
            "M248,240 A44,44 0 0 1 216,274",
            **line_art(stroke_width="3"),
        )
        + path("M124,152 L198,226", **line_art(stroke_width="7"))
        + path("M190,222 L218,204 L208,250 Z", fill=GOLD, **GOLD_OUTLINE)
        + path("M144,174 L190,174 L190,224 L144,224 Z", fill=CREAM, **GOLD_OUTLINE)
        + path("M167,180 L167,218 M150,199 L184,199", **line_art(stroke=ROSE))
        + _waves(40, 262, 360, 5, 37, stroke=WATER, stroke_width="3.5")
        + tombs
    )


def _the_world() -> str:
    # the wreath: leaves round an ellipse, each turned off the ellipse's tangent
    leaves = []
    for i in range(28):
        angle = math.radians(i * 360 / 28)
        x, y = 150 + 62 * math.cos(angle), 234 + 104 * math.sin(angle)
        tangent = math.degrees(math.atan2(104 * math.cos(angle), -62 * math.sin(angle)))
        leaves.append(
            ellipse(
                x,
                y,
                9,
                4,
                fill=LEAF if i % 2 else "#6f9f58",
                transform=f"rotate({svg_number(tangent + 30)} {svg_number(x)} {svg_number(y)})",
            )
        )
    ribbons = "M134,120 L166,140 M166,120 L134,140 M134,328 L166,348 M166,328 L134,348"
    corners = "".join(
        circle(x, y, 14, fill=INK, stroke=GOLD, stroke_width="3")
        + star(x, y, 9, 3.5, 4, rotation=-90, fill=GOLD_LIGHT)
        for x, y in ((72, 126), (228, 126), (72, 344), (228, 344))
    )
    robe = (
        "M150,196 C162,200 166,222 161,248 C158,264 157,276 156,290 L144,290 "
        "C143,276 142,262 139,248 C134,222 138,200 150,196 Z"
    )
    dancer = (
        path(
            "M142,212 L122,194 M158,214 L180,236 M152,288 L154,326 M148,288 L130,302 L150,310",
            **line_art(stroke=CREAM, stroke_width="5"),
        )
        + path("M116,184 L128,204 M176,228 L186,246", **line_art(stroke_width="4"))
        + path(robe, fill=CREAM, **GOLD_OUTLINE)
        + circle(150, 184, 11, fill=CREAM, **GOLD_OUTLINE)
        + path(
            "M128,214 C166,212 128,250 166,262 C178,266 170,282 158,290",
            **line_art(stroke=ROSE, stroke_width="6"),
        )
    )
    return (
        ellipse(150, 234, 62, 104, fill="none", stroke="#5a8a4a", stroke_width="6")
        + "".join(leaves)
        + path(ribbons, **line_art(stroke=ROSE, stroke_width="6"))
        + corners
        + dancer
    )


# in the order of the arcana: MAJOR_MOTIFS[number] draws major arcanum ``number``
MAJOR_MOTIFS = (
    _the_fool, _the_magician, _the_high_priestess, _the_empress, _the_emperor, _the_hierophant,
    _the_lovers, _the_chariot, _strength, _the_hermit, _wheel_of_fortune, _justice,
    _the_hanged_man, _death, _temperance, _the_devil, _the_tower, _the_star, _the_moon, _the_sun,
    _judgement, _the_world,
)  # fmt: skip
