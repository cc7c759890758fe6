"""Readings and daily cards in the admin: read only, for staff with the view permission.

They are people's own draws: nobody edits them here, not even a superuser; accounts are
deleted (with their readings) through the user admin or the account deletion page.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import DailyCard, DrawnCard, NotificationDelivery, Reading


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DrawnCardInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = DrawnCard
    fields = ["position", "card", "is_reversed"]
    readonly_fields = fields
    ordering = ["position__order"]
    extra = 0
    can_delete = False
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("position", "card")


@admin.register(Reading)
class ReadingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["id", "created_at", "user", "spread", "deck", "question_start", "is_shared"]
    list_display_links = ["id", "created_at"]
    list_filter = [("created_at", admin.DateFieldListFilter), "spread", "deck", "allow_reversed"]
    list_select_related = ["user", "spread", "deck"]
    date_hierarchy = "created_at"
    search_fields = ["user__email", "question"]
    show_full_result_count = False
    fields = [
        "user",
        "spread",
        "deck",
        "question",
        "allow_reversed",
        "is_shared",
        "notes",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields
    inlines = [DrawnCardInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "spread", "deck")

    @admin.display(description=_("question"))
    def question_start(self, reading):
        question = reading.question
        return question if len(question) <= 60 else f"{question[:59]}…"

    @admin.display(description=_("shared"), boolean=True)
    def is_shared(self, reading):
        return bool(reading.share_token)


@admin.register(DailyCard)
class DailyCardAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["date", "user", "card", "is_reversed", "created_at"]
    list_filter = [("date", admin.DateFieldListFilter), "is_reversed", "card__arcana"]
    list_select_related = ["user", "card"]
    date_hierarchy = "date"
    search_fields = ["user__email"]
    show_full_result_count = False
    fields = ["user", "date", "card", "is_reversed", "created_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "card")


@admin.register(NotificationDelivery)
class NotificationDeliveryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Who was sent their daily card, how, and what went wrong: for support, never edited."""

    list_display = ["local_date", "user", "channel", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel", ("local_date", admin.DateFieldListFilter)]
    list_select_related = ["user"]
    date_hierarchy = "local_date"
    search_fields = ["user__email"]
    show_full_result_count = False
    fields = [
        "user",
        "local_date",
        "channel",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "claimed_until",
        "sent_at",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields
