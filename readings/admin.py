from django.contrib import admin

from .models import DailyCard, Reading


@admin.register(Reading)
class ReadingAdmin(admin.ModelAdmin):
    list_display = ["id", "spread", "user", "created_at"]
    list_filter = ["spread", "created_at"]
    list_select_related = ["spread", "user"]


@admin.register(DailyCard)
class DailyCardAdmin(admin.ModelAdmin):
    list_display = ["date", "user", "card", "is_reversed"]
    list_select_related = ["user", "card"]
