"""The draw engine: uniform, without replacement, honest about reversals, fixed query count."""

import math
from collections import Counter

import pytest
from django.db import IntegrityError
from django.utils import translation

from core.errors import ApplicationError
from readings.models import DrawnCard, Reading
from readings.services import cards_draw, reading_create
from tarot.models import Card
from tarot.selectors import cards_by_id
from tests.accounts.factories import UserFactory

DECK_SIZE = 78
DRAWS = 10_000


def chi_square_bound(degrees_of_freedom: int, z: float = 6.0) -> float:
    """Wilson–Hilferty upper quantile of chi-square at z standard deviations (p ≈ 1e-9).

    A fair shuffle fails this about once in a billion runs; a shuffle that favours one card
    twice as often as chance adds ~128 to the statistic and fails every time.
    """
    k = degrees_of_freedom
    return k * (1 - 2 / (9 * k) + z * math.sqrt(2 / (9 * k))) ** 3


def chi_square(counts: Counter, categories: int, total: int) -> float:
    expected = total / categories
    return sum((counts.get(i, 0) - expected) ** 2 / expected for i in range(categories))


def test_ten_thousand_single_draws_cover_every_card_evenly():
    counts = Counter(
        cards_draw(card_ids=list(range(DECK_SIZE)), count=1, allow_reversed=False)[0][0]
        for _ in range(DRAWS)
    )

    assert set(counts) == set(range(DECK_SIZE))
    assert chi_square(counts, DECK_SIZE, DRAWS) < chi_square_bound(DECK_SIZE - 1)
    expected = DRAWS / DECK_SIZE
    standard_deviation = math.sqrt(DRAWS * (1 / DECK_SIZE) * (1 - 1 / DECK_SIZE))
    assert max(counts.values()) < expected + 6 * standard_deviation


def test_the_uniformity_check_catches_a_modulo_biased_shuffle():
    # The classic bug: a random byte taken modulo 78 makes cards 0–21 a third more likely.
    # Even its expected counts, without any sampling noise on top, fail the bound.
    probabilities = Counter(byte % DECK_SIZE for byte in range(256))
    biased = Counter({card: DRAWS * hits / 256 for card, hits in probabilities.items()})

    assert chi_square(biased, DECK_SIZE, DRAWS) > chi_square_bound(DECK_SIZE - 1)


def test_a_ten_card_draw_never_repeats_a_card():
    for _ in range(2_000):
        drawn = [
            card for card, _ in cards_draw(card_ids=list(range(78)), count=10, allow_reversed=True)
        ]
        assert len(set(drawn)) == 10


def test_reversals_off_never_reverses_and_on_reverses_about_half():
    off = [
        rev
        for _ in range(500)
        for _, rev in cards_draw(card_ids=list(range(78)), count=10, allow_reversed=False)
    ]
    on = [
        rev
        for _ in range(500)
        for _, rev in cards_draw(card_ids=list(range(78)), count=10, allow_reversed=True)
    ]

    assert not any(off)
    assert 0.4 < sum(on) / len(on) < 0.6


def test_a_spread_larger_than_the_deck_is_refused():
    with pytest.raises(ApplicationError) as error:
        cards_draw(card_ids=list(range(5)), count=10, allow_reversed=True)

    assert error.value.message == (
        "덱에 공개된 카드가 5장뿐이라, 이 스프레드에 필요한 10장보다 적어요."
    )


@pytest.mark.django_db
def test_reading_create_stores_one_card_per_position_and_no_card_twice(celtic_cross):
    user = UserFactory()

    reading = reading_create(user=user, spread=celtic_cross, question="  이 길이 맞을까요?  ")

    drawn = list(reading.drawn_cards.select_related("position"))
    assert reading.question == "이 길이 맞을까요?"
    assert reading.share_token is None
    assert [d.position.order for d in drawn] == list(range(1, 11))
    assert len({d.card_id for d in drawn}) == 10


@pytest.mark.django_db
def test_reading_create_without_reversals_stores_no_reversed_card(celtic_cross):
    reading = reading_create(user=UserFactory(), spread=celtic_cross, allow_reversed=False)

    assert not reading.drawn_cards.filter(is_reversed=True).exists()
    assert reading.allow_reversed is False


@pytest.mark.django_db
def test_anonymous_reading_gets_an_unguessable_share_token(three_card_spread):
    reading = reading_create(user=None, spread=three_card_spread)

    assert reading.user is None
    assert len(reading.share_token) >= 32


@pytest.mark.django_db
@pytest.mark.parametrize("question", ["가" * 501, "NUL\x00byte"])
def test_reading_create_refuses_a_bad_question_and_stores_nothing(three_card_spread, question):
    with pytest.raises(ApplicationError) as error:
        reading_create(user=UserFactory(), spread=three_card_spread, question=question)

    assert "question" in error.value.fields
    assert Reading.objects.count() == 0


@pytest.mark.django_db
def test_reading_create_uses_the_same_number_of_queries_for_one_and_ten_cards(
    django_assert_num_queries, single_card_spread, celtic_cross
):
    user = UserFactory()
    reading_create(user=user, spread=single_card_spread)  # warm ContentType/caches
    cards_by_id(card_ids=list(Card.objects.values_list("id", flat=True)))

    # The spread's positions, then the transaction (savepoint, reading, drawn cards, release);
    # the deck, its card ids and the drawn cards' texts come from the cache.
    with django_assert_num_queries(5):
        reading_create(user=user, spread=single_card_spread)
    with django_assert_num_queries(5):
        reading_create(user=user, spread=celtic_cross)


@pytest.mark.django_db
def test_the_database_refuses_the_same_card_twice_in_a_reading(three_card_spread):
    reading = reading_create(user=UserFactory(), spread=three_card_spread)
    first, second = reading.drawn_cards.all()[:2]

    second.card_id = first.card_id
    with pytest.raises(IntegrityError):
        second.save()


@pytest.mark.django_db
def test_the_database_refuses_two_cards_in_one_position(three_card_spread):
    reading = reading_create(user=UserFactory(), spread=three_card_spread)
    first = reading.drawn_cards.first()
    other_card = (
        type(first.card).objects.exclude(id__in=reading.drawn_cards.values("card_id")).first()
    )

    with pytest.raises(IntegrityError):
        DrawnCard.objects.create(reading=reading, position=first.position, card=other_card)


@pytest.mark.django_db
def test_a_yes_no_reading_opens_with_the_cards_answer(seeded_deck):
    from readings.interpretation import reading_interpret
    from readings.selectors import reading_get_for_owner
    from tarot.models import Card, Spread

    user = UserFactory()
    spread = Spread.objects.get(slug="yes-no")
    Card.objects.exclude(slug="the-sun").update(is_published=False)
    upright = reading_create(user=user, spread=spread, allow_reversed=False)

    reading = reading_get_for_owner(user=user, reading_id=upright.pk)
    with translation.override("en"):
        cards, summary = reading_interpret(reading)

    assert spread.answers_yes_no
    assert cards[0].card.slug == "the-sun"
    assert summary[0] == "The answer leans to yes."


def test_a_reversed_card_weakens_its_answer_by_one_step():
    from types import SimpleNamespace

    from readings.interpretation import yes_no_answer

    def drawn(answer, reversed_):
        return SimpleNamespace(card=SimpleNamespace(yes_no=answer), is_reversed=reversed_)

    assert [yes_no_answer(drawn(a, False)) for a in ("yes", "maybe", "no")] == [
        "yes",
        "maybe",
        "no",
    ]
    assert [yes_no_answer(drawn(a, True)) for a in ("yes", "maybe", "no")] == [
        "maybe",
        "no",
        "no",
    ]
