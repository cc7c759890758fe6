"""The generated card art: well-formed, self-contained, deterministic SVG for all 78 cards."""

import re
import xml.etree.ElementTree as ET

import pytest

from tarot.art import card_back_svg, card_face_svg

SVG_NS = "http://www.w3.org/2000/svg"
SUITS = ("wands", "cups", "swords", "pentacles")
MAJOR_NAMES = [
    "바보", "마법사", "여사제", "여황제", "황제", "교황", "연인", "전차", "힘", "은둔자",
    "운명의 수레바퀴", "정의", "매달린 사람", "죽음", "절제", "악마", "탑", "별", "달", "태양",
    "심판", "세계",
]  # fmt: skip
SUIT_NAMES = {"wands": "완드", "cups": "컵", "swords": "소드", "pentacles": "펜타클"}
RANK_NAMES = {1: "에이스", 11: "페이지", 12: "나이트", 13: "퀸", 14: "킹"}
RANK_SLUGS = {1: "ace", 11: "page", 12: "knight", 13: "queen", 14: "king"}


def _deck():
    cards = [
        {
            "arcana": "major",
            "number": number,
            "suit": None,
            "rank": None,
            "name": name,
            "slug": f"major-{number}",
        }
        for number, name in enumerate(MAJOR_NAMES)
    ]
    for suit in SUITS:
        for rank in range(1, 15):
            cards.append(
                {
                    "arcana": "minor",
                    "number": rank,
                    "suit": suit,
                    "rank": rank,
                    "name": f"{SUIT_NAMES[suit]} {RANK_NAMES.get(rank, rank)}",
                    "slug": f"{RANK_SLUGS.get(rank, rank)}-of-{suit}",
                }
            )
    return cards


DECK = _deck()


def _parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{{{SVG_NS}}}svg"
    return root


def _text_of(el: ET.Element) -> str:
    """The visible string of one <text> element, wrapped lines joined by a space."""
    return " ".join(part.strip() for part in el.itertext() if part.strip())


def _texts(root: ET.Element) -> list[str]:
    return [_text_of(el) for el in root.iter(f"{{{SVG_NS}}}text")]


def _classes(el: ET.Element) -> list[str]:
    return (el.get("class") or "").split()


def _check_document(svg: str) -> ET.Element:
    root = _parse(svg)
    assert root.get("viewBox") == "0 0 300 480"
    assert root.get("role") == "img"
    assert root.get("width") is None and root.get("height") is None
    # nothing from outside: no images, scripts, foreign objects, links or web fonts
    for tag in ("image", "script", "foreignObject", "style", "a"):
        assert root.find(f".//{{{SVG_NS}}}{tag}") is None, tag
    assert "href" not in svg
    assert "@import" not in svg
    assert svg.count("http") == 1  # the namespace only
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    assert len(ids) == len(set(ids))
    for ref in re.findall(r"url\(([^)]*)\)", svg):
        assert ref.startswith("#") and ref[1:] in ids, ref
    return root


def test_deck_list_is_complete():
    assert len(DECK) == 78
    assert len({card["slug"] for card in DECK}) == 78


@pytest.mark.parametrize("card", DECK, ids=lambda card: card["slug"])
def test_every_card_is_well_formed_and_named(card):
    svg = card_face_svg(**card)
    root = _check_document(svg)
    title = root.find(f"{{{SVG_NS}}}title")
    assert title is not None and title.text == card["name"]
    assert card["name"] in _texts(root)
    assert svg == card_face_svg(**card)  # deterministic


@pytest.mark.parametrize(
    "card",
    [DECK[10], DECK[22 + 13], DECK[22 + 14 * 3 + 4]],
    ids=lambda card: card["slug"],
)
def test_names_are_escaped(card):
    name = "Tom & Jerry <b>\"bold\"</b> 'quoted'"
    svg = card_face_svg(**{**card, "name": name})
    root = _check_document(svg)
    assert root.find(f"{{{SVG_NS}}}title").text == name
    assert name in _texts(root)
    assert "<b>" not in svg
    assert "&amp;" in svg


@pytest.mark.parametrize(
    "name",
    [
        "The Wheel of Fortune",
        "Queen of Pentacles",
        "아주 아주 아주 긴 한국어 카드 이름입니다",
        "Supercalifragilisticexpialidocious-and-then-some",
    ],
)
def test_long_names_are_shrunk_or_wrapped(name):
    root = _check_document(card_face_svg(**{**DECK[10], "name": name}))
    banner = [el for el in root.iter(f"{{{SVG_NS}}}text") if _text_of(el) == name]
    assert len(banner) == 1
    text = banner[0]
    lines = text.findall(f"{{{SVG_NS}}}tspan") or [text]
    assert len(lines) <= 2
    assert float(text.get("font-size")) < 26 or len(lines) == 2
    assert float(text.get("font-size")) >= 11


def test_short_names_use_the_full_size():
    root = _check_document(card_face_svg(**DECK[8]))  # 힘
    sizes = [
        float(el.get("font-size")) for el in root.iter(f"{{{SVG_NS}}}text") if _text_of(el) == "힘"
    ]
    assert sizes == [26]


def test_majors_have_distinct_art_even_with_the_same_name():
    svgs = [
        card_face_svg(arcana="major", number=n, suit=None, rank=None, name="같은 이름", slug="same")
        for n in range(22)
    ]
    assert len(set(svgs)) == 22
    motifs = []
    for svg in svgs:
        root = _parse(svg)
        motif = [el for el in root.iter() if "motif" in _classes(el)]
        assert len(motif) == 1
        motifs.append(ET.tostring(motif[0]))
    assert len(set(motifs)) == 22


def test_majors_show_their_roman_numeral():
    numerals = ["0", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
    numerals += ["XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX", "XXI"]
    for card, numeral in zip(DECK[:22], numerals, strict=True):
        assert numeral in _texts(_parse(card_face_svg(**card)))


@pytest.mark.parametrize("suit", SUITS)
@pytest.mark.parametrize("rank", range(2, 11))
def test_pip_cards_draw_rank_symbols(suit, rank):
    card = {"arcana": "minor", "number": rank, "suit": suit, "rank": rank}
    root = _parse(card_face_svg(**card, name=f"{suit} {rank}", slug=f"{rank}-of-{suit}"))
    pips = [el for el in root.iter() if "pip" in _classes(el)]
    assert len(pips) == rank
    assert all(f"pip-{suit}" in _classes(el) for el in pips)
    assert str(rank) in _texts(root)


@pytest.mark.parametrize("suit", SUITS)
def test_aces_and_courts(suit):
    labels = {}
    bodies = set()
    for rank in (1, 11, 12, 13, 14):
        card = {"arcana": "minor", "number": rank, "suit": suit, "rank": rank}
        svg = card_face_svg(**card, name="이름", slug="same")
        root = _parse(svg)
        assert not [el for el in root.iter() if "pip" in _classes(el)]
        emblems = [el for el in root.iter() if {"ace", "emblem"} & set(_classes(el))]
        assert len(emblems) == 1
        labels[rank] = set(_texts(root))
        bodies.add(svg)
    assert len(bodies) == 5
    for rank, label in {1: "A", 11: "P", 12: "Kn", 13: "Q", 14: "K"}.items():
        assert label in labels[rank]


def test_suits_have_their_own_palette():
    svgs = {
        suit: card_face_svg(arcana="minor", number=3, suit=suit, rank=3, name="x", slug="x")
        for suit in SUITS
    }
    gradients = {re.search(r'stop-color="(#[0-9a-f]{6})"', svg).group(1) for svg in svgs.values()}
    assert len(gradients) == 4


def test_ids_depend_on_slug_and_palette():
    a = card_face_svg(**DECK[36])
    b = card_face_svg(**DECK[37])
    ids_a = {el.get("id") for el in _parse(a).iter() if el.get("id")}
    ids_b = {el.get("id") for el in _parse(b).iter() if el.get("id")}
    assert ids_a and not ids_a & ids_b


def test_back_parses_and_is_deterministic():
    svg = card_back_svg()
    root = _check_document(svg)
    assert root.find(f"{{{SVG_NS}}}title") is not None
    assert svg == card_back_svg()
    assert svg not in {card_face_svg(**card) for card in DECK}


@pytest.mark.parametrize(
    "kwargs",
    [
        {"arcana": "major", "number": 22, "suit": None, "rank": None},
        {"arcana": "minor", "number": 3, "suit": "coins", "rank": 3},
        {"arcana": "minor", "number": 15, "suit": "cups", "rank": 15},
        {"arcana": "trump", "number": 1, "suit": None, "rank": None},
    ],
)
def test_invalid_cards_are_rejected(kwargs):
    with pytest.raises(ValueError):
        card_face_svg(**kwargs, name="x", slug="x")
