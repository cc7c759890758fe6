import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import translation

from tarot.models import Card, SpreadPosition
from tests.tarot.factories import DeckFactory, MajorCardFactory, SpreadPositionFactory

pytestmark = pytest.mark.django_db


def minor(**overrides):
    values = {"arcana": "minor", "suit": "cups", "rank": 2, "number": 2, "slug": "two-of-cups"}
    return MajorCardFactory.build(deck=DeckFactory(), **{**values, **overrides})


def test_a_minor_card_without_a_suit_is_refused_by_the_database():
    with pytest.raises(IntegrityError):
        minor(suit=None).save()


def test_a_minor_card_whose_number_differs_from_its_rank_is_refused():
    with pytest.raises(IntegrityError):
        minor(number=5).save()


def test_a_major_card_with_a_suit_is_refused():
    card = MajorCardFactory.build(deck=DeckFactory(), suit="wands")

    with pytest.raises(IntegrityError):
        card.save()


def test_a_major_card_numbered_past_twenty_one_is_refused():
    card = MajorCardFactory.build(deck=DeckFactory(), number=22, position=22)

    with pytest.raises(IntegrityError):
        card.save()


def test_model_validation_explains_the_arcana_rule():
    card = minor(suit=None)

    with (
        translation.override("en"),
        pytest.raises(ValidationError, match="a minor card has a suit"),
    ):
        card.full_clean()


def test_card_slug_is_unique_within_a_deck_but_not_across_decks():
    first = MajorCardFactory(slug="the-fool", number=0)
    MajorCardFactory(slug="the-fool", number=0)  # another deck

    with pytest.raises(IntegrityError):
        MajorCardFactory(deck=first.deck, slug="the-fool", number=1)


def test_position_order_is_unique_within_a_spread():
    position = SpreadPositionFactory(order=1)

    with pytest.raises(IntegrityError):
        SpreadPosition.objects.create(
            spread=position.spread, order=1, name_ko="둘", name_en="Two", prompt_ko="?", x=3
        )


def test_keywords_split_into_a_clean_list():
    assert Card.split_keywords("시작, 모험 ,  자유,") == ["시작", "모험", "자유"]
