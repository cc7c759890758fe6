"""Turns a drawn reading into words: each position's prompt with its card's meaning, and a
composed summary of the spread as a whole. Text comes out in the active language."""

from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tarot.models import Card, CardText

from .models import DrawnCard, Reading

SUIT_THEMES = {
    "wands": lambda: _("Wands lead: this is about drive, ambition and what you want to start."),
    "cups": lambda: _("Cups lead: feelings and relationships are at the centre of this question."),
    "swords": lambda: _("Swords lead: thoughts, words and decisions carry the weight here."),
    "pentacles": lambda: _(
        "Pentacles lead: money, work, the body and daily life are what is in play."
    ),
}


@dataclass(frozen=True)
class CardInPosition:
    drawn: DrawnCard

    @property
    def card(self) -> Card:
        return self.drawn.card

    @property
    def is_reversed(self) -> bool:
        return self.drawn.is_reversed

    @property
    def text(self) -> CardText:
        return self.card.text_for(is_reversed=self.is_reversed)


# A reversed card weakens its answer by one step; "no" cannot get weaker.
REVERSED_ANSWER = {"yes": "maybe", "maybe": "no", "no": "no"}
ANSWER_TEXT = {
    "yes": lambda: _("The answer leans to yes."),
    "maybe": lambda: _("The answer is not settled yet: maybe."),
    "no": lambda: _("The answer leans to no."),
}


def yes_no_answer(item: CardInPosition) -> str:
    """yes, no or maybe: the card's own answer, one step weaker when it came out reversed."""
    answer = item.card.yes_no
    return REVERSED_ANSWER[answer] if item.is_reversed else answer


def reading_interpret(reading: Reading) -> tuple[list[CardInPosition], list[str]]:
    """The cards in position order and the summary paragraphs for the whole spread.

    Expects ``drawn_cards_in_order``, as the readings.selectors give it.
    """
    cards = [CardInPosition(drawn) for drawn in reading.drawn_cards_in_order]
    summary = reading_summary(cards)
    if cards and reading.spread.answers_yes_no:
        summary.insert(0, ANSWER_TEXT[yes_no_answer(cards[0])]())
    return cards, summary


def reading_summary(cards: list[CardInPosition]) -> list[str]:
    if not cards:
        return []
    total = len(cards)
    paragraphs = []
    if total == 1:
        only = cards[0]
        text = only.text
        paragraphs.append(
            _("%(card)s, %(orientation)s: %(summary)s")
            % {"card": only.card.name, "orientation": text.orientation, "summary": text.summary}
        )
        return paragraphs

    majors = sum(1 for item in cards if item.card.is_major)
    if majors * 2 >= total:
        paragraphs.append(
            ngettext(
                "%(count)d of %(total)d card is a major arcanum: forces larger than everyday "
                "choices are at work, and this is a turning point worth taking seriously.",
                "%(count)d of %(total)d cards are major arcana: forces larger than everyday "
                "choices are at work, and this is a turning point worth taking seriously.",
                majors,
            )
            % {"count": majors, "total": total}
        )
    suits = Counter(item.card.suit for item in cards if item.card.suit)
    if suits:
        (leading, count), *rest = suits.most_common()
        if count >= 2 and (not rest or rest[0][1] < count):
            paragraphs.append(SUIT_THEMES[leading]())
    reversed_count = sum(1 for item in cards if item.is_reversed)
    if reversed_count * 2 > total:
        paragraphs.append(
            _(
                "Most cards came out reversed: energy is held back or turned inward. Look at "
                "what you are resisting before pushing forward."
            )
        )
    last = cards[-1]
    text = last.text
    paragraphs.append(
        _("%(position)s — %(card)s (%(orientation)s): %(summary)s")
        % {
            "position": last.drawn.position.name,
            "card": last.card.name,
            "orientation": text.orientation,
            "summary": text.summary,
        }
    )
    return paragraphs
