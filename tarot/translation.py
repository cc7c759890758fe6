from modeltranslation.translator import TranslationOptions, register

from .models import Card, Deck, Spread, SpreadPosition


@register(Deck)
class DeckTranslationOptions(TranslationOptions):
    fields = ("name", "description")


@register(Card)
class CardTranslationOptions(TranslationOptions):
    fields = (
        "name",
        "summary_upright",
        "summary_reversed",
        "meaning_upright",
        "meaning_reversed",
        "keywords_upright",
        "keywords_reversed",
        "love",
        "work",
        "advice",
        "imagery",
        "astrology",
        "numerology",
    )


@register(Spread)
class SpreadTranslationOptions(TranslationOptions):
    fields = ("name", "description")


@register(SpreadPosition)
class SpreadPositionTranslationOptions(TranslationOptions):
    fields = ("name", "prompt")
