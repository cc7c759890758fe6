"""The deck's content as visitors read it: complete, in both languages, and specific per card."""

import pytest

from tarot.models import Card, Spread
from tarot.validation import PlacedCard, layout_overlaps

pytestmark = pytest.mark.django_db

# The texts every card carries; keywords and astrology (none for Aces and courts) are below.
TEXT_FIELDS = (
    "name",
    "summary_upright",
    "summary_reversed",
    "meaning_upright",
    "meaning_reversed",
    "love",
    "work",
    "advice",
    "imagery",
    "numerology",
)

STANDARD_KOREAN_MAJORS = {
    0: "바보",
    1: "마법사",
    2: "여사제",
    3: "여황제",
    4: "황제",
    5: "교황",
    6: "연인",
    7: "전차",
    8: "힘",
    9: "은둔자",
    10: "운명의 수레바퀴",
    11: "정의",
    12: "매달린 사람",
    13: "죽음",
    14: "절제",
    15: "악마",
    16: "탑",
    17: "별",
    18: "달",
    19: "태양",
    20: "심판",
    21: "세계",
}
SUIT_ELEMENTS = {"wands": "fire", "cups": "water", "swords": "air", "pentacles": "earth"}


@pytest.fixture
def cards(seeded_deck):
    return list(Card.objects.filter(deck=seeded_deck))


def test_every_card_has_every_text_in_both_languages(cards):
    missing = [
        f"{card.slug}.{field}_{language}"
        for card in cards
        for field in TEXT_FIELDS
        for language in ("ko", "en")
        if not getattr(card, f"{field}_{language}").strip()
    ]

    assert missing == []


@pytest.mark.parametrize("orientation", ["upright", "reversed"])
def test_every_card_has_three_to_six_keywords_per_language(cards, orientation):
    counts = {
        (card.slug, language): len(
            Card.split_keywords(getattr(card, f"keywords_{orientation}_{language}"))
        )
        for card in cards
        for language in ("ko", "en")
    }

    assert {key: n for key, n in counts.items() if not 3 <= n <= 6} == {}


@pytest.mark.parametrize(
    "field", ["meaning_upright", "meaning_reversed", "summary_upright", "summary_reversed"]
)
@pytest.mark.parametrize("language", ["ko", "en"])
def test_no_two_cards_share_a_meaning(cards, field, language):
    texts = [getattr(card, f"{field}_{language}") for card in cards]

    assert len(set(texts)) == len(texts)


def test_major_arcana_carry_the_standard_korean_names(cards):
    majors = {card.number: card.name_ko for card in cards if card.arcana == "major"}

    assert majors == STANDARD_KOREAN_MAJORS


def test_minor_names_follow_one_korean_convention(cards):
    suits = {"wands": "완드", "cups": "컵", "swords": "소드", "pentacles": "펜타클"}
    ranks = {1: "에이스", 11: "페이지", 12: "나이트", 13: "퀸", 14: "킹"}

    for card in cards:
        if card.arcana == "minor":
            assert card.name_ko == f"{suits[card.suit]} {ranks.get(card.rank, card.rank)}"


def test_elements_and_astrology_follow_tradition(cards):
    by_slug = {card.slug: card for card in cards}

    for card in cards:
        if card.suit:
            assert card.element == SUIT_ELEMENTS[card.suit], card.slug
        else:
            assert card.astrology_ko and card.astrology_en, card.slug
    assert by_slug["the-fool"].astrology_en == "Uranus"
    assert by_slug["the-emperor"].astrology_en == "Aries"
    assert by_slug["two-of-wands"].astrology_en == "Mars in Aries"
    assert by_slug["ten-of-swords"].astrology_en == "Sun in Gemini"


def test_every_card_answers_yes_no_or_maybe(cards):
    assert {card.yes_no for card in cards} <= {"yes", "no", "maybe"}
    assert {card.yes_no for card in cards} == {"yes", "no", "maybe"}


def test_spreads_have_ordered_named_non_overlapping_positions(seeded_deck):
    spreads = Spread.objects.prefetch_related("positions")

    for spread in spreads:
        positions = list(spread.positions.all())
        assert [p.order for p in positions] == list(range(1, len(positions) + 1)), spread.slug
        for position in positions:
            assert position.name_ko and position.name_en and position.prompt_ko
            assert position.prompt_en
        placed = [PlacedCard(p.order, p.x, p.y, p.rotated) for p in positions]
        assert layout_overlaps(placed) == [], spread.slug


def test_required_spreads_are_present_with_their_sizes(seeded_deck):
    sizes = {spread.slug: spread.positions.count() for spread in Spread.objects.all()}

    assert sizes["single-card"] == 1
    assert sizes["three-card-past-present-future"] == 3
    assert sizes["three-card-situation-obstacle-advice"] == 3
    assert sizes["three-card-mind-body-spirit"] == 3
    assert sizes["celtic-cross"] == 10
    assert sizes["relationship"] >= 5
    assert sizes["yes-no"] == 1


def test_the_celtic_cross_crossing_card_lies_on_the_first(seeded_deck):
    first, crossing = Spread.objects.get(slug="celtic-cross").positions.order_by("order")[:2]

    assert crossing.rotated and not first.rotated
    assert (crossing.x, crossing.y) == (first.x, first.y)


def test_an_overlapping_layout_is_caught():
    placed = [PlacedCard(1, 0, 0, False), PlacedCard(2, 0.5, 0.5, False)]

    assert layout_overlaps(placed) == [(0, 1)]
