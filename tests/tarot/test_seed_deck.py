from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tarot.models import Card, Deck, Spread, SpreadPosition
from tests.subprocesses import run_python

pytestmark = pytest.mark.django_db

CARD_TEXT = ("name", "summary_upright", "summary_reversed", "meaning_upright", "meaning_reversed")


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_deck", *args, stdout=out)
    return out.getvalue()


def test_seeding_twice_leaves_exactly_the_standard_deck_and_spreads():
    first = seed()
    spreads_after_first = list(Spread.objects.values_list("slug", flat=True))
    second = seed()

    assert "cards: 78 created" in first
    assert "cards: 0 created, 0 updated, 78 unchanged" in second
    assert Deck.objects.count() == 1
    assert Card.objects.count() == 78
    assert list(Spread.objects.values_list("slug", flat=True)) == spreads_after_first
    assert Card.objects.filter(arcana="major").count() == 22
    assert Counter(Card.objects.filter(arcana="minor").values_list("suit", flat=True)) == {
        "wands": 14,
        "cups": 14,
        "swords": 14,
        "pentacles": 14,
    }
    slugs = list(Card.objects.values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs))


def test_majors_are_numbered_zero_to_twenty_one_with_strength_eight_and_justice_eleven():
    seed()

    majors = dict(Card.objects.filter(arcana="major").values_list("number", "slug"))

    assert sorted(majors) == list(range(22))
    assert majors[8] == "strength"
    assert majors[11] == "justice"
    assert majors[0] == "the-fool"
    assert majors[21] == "the-world"


def test_minors_run_ace_to_king_in_every_suit():
    seed()

    for suit in ("wands", "cups", "swords", "pentacles"):
        ranks = list(
            Card.objects.filter(suit=suit).order_by("position").values_list("rank", flat=True)
        )
        assert ranks == list(range(1, 15))
        assert Card.objects.get(suit=suit, rank=1).slug == f"ace-of-{suit}"
        assert Card.objects.get(suit=suit, rank=14).slug == f"king-of-{suit}"


def test_every_card_has_korean_and_english_names_and_short_meanings():
    seed()

    for card in Card.objects.all():
        for field in CARD_TEXT:
            for language in ("ko", "en"):
                assert getattr(card, f"{field}_{language}").strip(), (card.slug, field, language)


def test_required_spreads_exist_with_their_positions_in_both_languages():
    seed()

    sizes = {spread.slug: spread.positions.count() for spread in Spread.objects.all()}

    assert sizes["single-card"] == 1
    assert sizes["three-card-past-present-future"] == 3
    assert sizes["celtic-cross"] == 10
    for position in SpreadPosition.objects.all():
        assert position.name_ko and position.name_en
        assert position.prompt_ko and position.prompt_en


def test_seeding_keeps_an_editors_change_unless_asked_to_update():
    seed()
    Card.objects.filter(slug="the-fool").update(meaning_upright_ko="편집자가 고친 문장")

    seed()
    kept = Card.objects.get(slug="the-fool").meaning_upright_ko
    report = seed("--update")
    restored = Card.objects.get(slug="the-fool").meaning_upright_ko

    assert kept == "편집자가 고친 문장"
    assert "cards: 0 created, 1 updated, 77 unchanged" in report
    assert restored != "편집자가 고친 문장"


def test_unknown_deck_is_refused_with_a_clear_message_and_nothing_written():
    with pytest.raises(
        CommandError, match=r"Unknown deck “unknown”\. Known decks: rider-waite-smith"
    ):
        seed("--deck", "unknown")

    assert Card.objects.count() == 0


def test_unknown_deck_exits_non_zero_from_the_command_line():
    result = run_python(["manage.py", "seed_deck", "--deck", "unknown"])

    assert result.returncode == 1
    assert "Unknown deck “unknown”" in result.stderr
