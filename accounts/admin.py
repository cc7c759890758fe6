"""People in the admin: sign-in by email, their reading preferences, Django's password handling."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import User, UserManager


def _clean_new_email(form: forms.ModelForm) -> str:
    """Emails are stored lowercased and unique in any letter case (like sign-up)."""
    email = UserManager.normalize_email(form.cleaned_data.get("email"))
    taken = User.objects.filter(email__iexact=email).exclude(pk=form.instance.pk).exists()
    if taken:
        raise forms.ValidationError(gettext("A user with this email address already exists."))
    return email


class UserAdminCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)

    def clean_email(self):
        return _clean_new_email(self)


class UserAdminChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = (
            "email",
            "password",
            "display_name",
            "language",
            "time_zone",
            "notifications_enabled",
            "notification_time",
            "notification_channel",
            "phone_number",
            "is_active",
            "is_staff",
            "is_superuser",
            "groups",
            "user_permissions",
        )

    def clean_email(self):
        return _clean_new_email(self)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserAdminChangeForm
    add_form = UserAdminCreationForm
    ordering = ["email"]
    list_display = [
        "email",
        "display_name",
        "language",
        "time_zone",
        "notification_summary",
        "is_staff",
        "is_active",
        "date_joined",
    ]
    list_filter = [
        "is_staff",
        "is_superuser",
        "is_active",
        "groups",
        "language",
        "notifications_enabled",
        "notification_channel",
    ]
    search_fields = ["email", "display_name"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = (
        (None, {"fields": ("email", "password", "display_name")}),
        (
            _("Preferences"),
            {
                "fields": (
                    "language",
                    "time_zone",
                    "notifications_enabled",
                    "notification_time",
                    "notification_channel",
                    "phone_number",
                )
            },
        ),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "usable_password", "password1", "password2"),
            },
        ),
    )

    @admin.display(description=_("daily notification"))
    def notification_summary(self, user):
        if not user.notifications_enabled:
            return "—"
        return f"{user.notification_time:%H:%M} · {user.get_notification_channel_display()}"
