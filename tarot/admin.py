from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from .models import Card, Deck, Spread, SpreadPosition


@admin.register(Deck)
class DeckAdmin(TranslationAdmin):
    list_display = ["name", "slug", "is_default"]


@admin.register(Card)
class CardAdmin(TranslationAdmin):
    list_display = ["position", "name", "arcana", "suit", "is_published"]
    list_filter = ["deck", "arcana", "suit", "is_published"]
    search_fields = ["name_ko", "name_en", "keywords_upright_ko", "keywords_upright_en"]


class SpreadPositionInline(TranslationTabularInline):
    model = SpreadPosition
    extra = 0


@admin.register(Spread)
class SpreadAdmin(TranslationAdmin):
    list_display = ["name", "slug", "order", "is_published"]
    inlines = [SpreadPositionInline]
