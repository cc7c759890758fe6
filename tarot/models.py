from dataclasses import dataclass

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

KEYWORD_SEPARATOR = ", "


@dataclass(frozen=True)
class CardText:
    """What a card says lying one way up, in the language active when it was asked for."""

    orientation: str
    summary: str
    meaning: str
    keywords: list[str]


class Deck(models.Model):
    """A named deck; the default one is the 78-card Rider–Waite–Smith structure."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    is_default = models.BooleanField(_("default deck"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("deck")
        verbose_name_plural = _("decks")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="tarot_one_default_deck"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Card(models.Model):
    class Arcana(models.TextChoices):
        MAJOR = "major", _("Major arcana")
        MINOR = "minor", _("Minor arcana")

    class Suit(models.TextChoices):
        WANDS = "wands", _("Wands")
        CUPS = "cups", _("Cups")
        SWORDS = "swords", _("Swords")
        PENTACLES = "pentacles", _("Pentacles")

    class Element(models.TextChoices):
        FIRE = "fire", _("Fire")
        WATER = "water", _("Water")
        AIR = "air", _("Air")
        EARTH = "earth", _("Earth")

    class YesNo(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        MAYBE = "maybe", _("Maybe")

    RANK_NAMES = {1: _("Ace"), 11: _("Page"), 12: _("Knight"), 13: _("Queen"), 14: _("King")}

    deck = models.ForeignKey(Deck, on_delete=models.CASCADE, related_name="cards")
    slug = models.SlugField(_("slug"), max_length=60)
    arcana = models.CharField(_("arcana"), max_length=5, choices=Arcana.choices)
    number = models.PositiveSmallIntegerField(_("number"))
    # NULL, not "", so the database constraint can say "a major card has no suit".
    suit = models.CharField(  # noqa: DJ001
        _("suit"), max_length=9, choices=Suit.choices, null=True, blank=True
    )
    rank = models.PositiveSmallIntegerField(
        _("rank"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(14)],
        help_text=_("Minor cards only: 1 Ace, 2–10, 11 Page, 12 Knight, 13 Queen, 14 King."),
    )
    element = models.CharField(_("element"), max_length=5, choices=Element.choices)
    yes_no = models.CharField(
        _("yes/no answer"), max_length=5, choices=YesNo.choices, default=YesNo.MAYBE
    )
    position = models.PositiveSmallIntegerField(
        _("deck order"), help_text=_("Where the card stands in the deck, from 0.")
    )

    # Translated (ko/en) through modeltranslation; see tarot/translation.py.
    name = models.CharField(_("name"), max_length=100)
    summary_upright = models.CharField(_("upright summary"), max_length=200)
    summary_reversed = models.CharField(_("reversed summary"), max_length=200)
    meaning_upright = models.TextField(_("upright meaning"))
    meaning_reversed = models.TextField(_("reversed meaning"))
    keywords_upright = models.CharField(
        _("upright keywords"), max_length=300, blank=True, help_text=_("Separated by commas.")
    )
    keywords_reversed = models.CharField(
        _("reversed keywords"), max_length=300, blank=True, help_text=_("Separated by commas.")
    )
    love = models.TextField(_("love"), blank=True)
    work = models.TextField(_("work"), blank=True)
    advice = models.TextField(_("advice"), blank=True)
    imagery = models.TextField(_("imagery"), blank=True)
    astrology = models.CharField(_("astrological correspondence"), max_length=100, blank=True)
    numerology = models.CharField(_("numerology"), max_length=200, blank=True)

    art = models.ImageField(_("uploaded art"), upload_to="cards/", blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("card")
        verbose_name_plural = _("cards")
        ordering = ["deck_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["deck", "slug"], name="tarot_card_slug_per_deck"),
            models.UniqueConstraint(
                fields=["deck", "number"],
                condition=Q(arcana="major"),
                name="tarot_major_number_per_deck",
            ),
            models.UniqueConstraint(
                fields=["deck", "suit", "rank"],
                condition=Q(arcana="minor"),
                name="tarot_minor_suit_rank_per_deck",
            ),
            models.CheckConstraint(
                name="tarot_card_arcana_consistent",
                condition=(
                    Q(
                        arcana="major",
                        suit__isnull=True,
                        rank__isnull=True,
                        number__gte=0,
                        number__lte=21,
                    )
                    # NULL IN (...) is unknown, and CHECK lets unknown pass: say NOT NULL.
                    | Q(
                        arcana="minor",
                        suit__isnull=False,
                        rank__isnull=False,
                        suit__in=["wands", "cups", "swords", "pentacles"],
                        rank__gte=1,
                        rank__lte=14,
                        number=models.F("rank"),
                    )
                ),
                violation_error_message=_(
                    "A major card has a number 0–21 and no suit or rank; "
                    "a minor card has a suit and a rank 1–14 equal to its number."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("tarot:card-detail", kwargs={"slug": self.slug})

    @property
    def is_major(self) -> bool:
        return self.arcana == self.Arcana.MAJOR

    @staticmethod
    def split_keywords(value: str) -> list[str]:
        return [keyword.strip() for keyword in value.split(",") if keyword.strip()]

    @property
    def upright_keywords(self) -> list[str]:
        return self.split_keywords(self.keywords_upright)

    @property
    def reversed_keywords(self) -> list[str]:
        return self.split_keywords(self.keywords_reversed)

    def text_for(self, *, is_reversed: bool) -> CardText:
        """The card's words lying this way up: the one place that chooses between the upright
        and the reversed texts for pages, API payloads and messages alike."""
        if is_reversed:
            return CardText(
                orientation=gettext("reversed"),
                summary=self.summary_reversed,
                meaning=self.meaning_reversed,
                keywords=self.reversed_keywords,
            )
        return CardText(
            orientation=gettext("upright"),
            summary=self.summary_upright,
            meaning=self.meaning_upright,
            keywords=self.upright_keywords,
        )


class Spread(models.Model):
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("display order"), default=0)
    answers_yes_no = models.BooleanField(
        _("answers yes or no"),
        default=False,
        help_text=_("The reading opens with a yes, no or maybe taken from the first card."),
    )
    is_published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("spread")
        verbose_name_plural = _("spreads")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class SpreadPosition(models.Model):
    """A place in a spread: what it asks, and where it is drawn (centre, in card units)."""

    spread = models.ForeignKey(Spread, on_delete=models.CASCADE, related_name="positions")
    order = models.PositiveSmallIntegerField(_("order"), validators=[MinValueValidator(1)])
    name = models.CharField(_("name"), max_length=100)
    prompt = models.CharField(_("prompt"), max_length=300)
    x = models.FloatField(_("x"), default=0, validators=[MinValueValidator(0)])
    y = models.FloatField(_("y"), default=0, validators=[MinValueValidator(0)])
    rotated = models.BooleanField(
        _("drawn sideways"), default=False, help_text=_("Like the crossing card of a Celtic Cross.")
    )

    class Meta:
        verbose_name = _("spread position")
        verbose_name_plural = _("spread positions")
        ordering = ["spread_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["spread", "order"], name="tarot_position_order_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"
