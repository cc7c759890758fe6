import factory

from tarot.models import Card, Deck, Spread, SpreadPosition


class DeckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deck

    slug = factory.Sequence(lambda n: f"deck-{n}")
    name_ko = factory.Sequence(lambda n: f"덱 {n}")
    name_en = factory.Sequence(lambda n: f"Deck {n}")


class MajorCardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Card

    deck = factory.SubFactory(DeckFactory)
    arcana = Card.Arcana.MAJOR
    number = factory.Sequence(lambda n: n % 22)
    position = factory.SelfAttribute("number")
    slug = factory.Sequence(lambda n: f"major-{n}")
    element = Card.Element.AIR
    name_ko = factory.Sequence(lambda n: f"카드 {n}")
    name_en = factory.Sequence(lambda n: f"Card {n}")
    summary_upright_ko = "정방향 요약"
    summary_upright_en = "Upright summary"
    summary_reversed_ko = "역방향 요약"
    summary_reversed_en = "Reversed summary"
    meaning_upright_ko = "정방향 의미"
    meaning_upright_en = "Upright meaning"
    meaning_reversed_ko = "역방향 의미"
    meaning_reversed_en = "Reversed meaning"


class SpreadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Spread

    slug = factory.Sequence(lambda n: f"spread-{n}")
    name_ko = factory.Sequence(lambda n: f"스프레드 {n}")
    name_en = factory.Sequence(lambda n: f"Spread {n}")


class SpreadPositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpreadPosition

    spread = factory.SubFactory(SpreadFactory)
    order = factory.Sequence(lambda n: n + 1)
    name_ko = "위치"
    name_en = "Position"
    prompt_ko = "무엇을 알려 주나요?"
    prompt_en = "What does it tell you?"
    x = factory.Sequence(lambda n: n * 1.5)
    y = 0
