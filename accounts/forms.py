from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import User
from .services import PREFERENCE_FIELDS
from .validators import available_time_zones

COMMON_TIME_ZONES = (
    "Asia/Seoul",
    "Asia/Tokyo",
    "Asia/Shanghai",
    "Asia/Singapore",
    "Australia/Sydney",
    "Europe/London",
    "Europe/Paris",
    "Europe/Berlin",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "Pacific/Honolulu",
    "UTC",
)


def time_zone_choices():
    others = sorted(available_time_zones() - set(COMMON_TIME_ZONES))
    return [
        (_("Common"), [(zone, zone) for zone in COMMON_TIME_ZONES]),
        (_("All time zones"), [(zone, zone) for zone in others]),
    ]


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Email"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


class SignUpForm(forms.Form):
    email = forms.EmailField(
        label=_("Email"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters; not only numbers, and not a common password."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords are not the same."))
        return cleaned


class PreferencesForm(forms.ModelForm):
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices)

    class Meta:
        model = User
        # The view hands every field to user_update_preferences, which refuses any other.
        fields = PREFERENCE_FIELDS
        widgets = {
            "notification_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "phone_number": forms.TextInput(
                attrs={"placeholder": "+821012345678", "autocomplete": "tel", "inputmode": "tel"}
            ),
        }

    def clean(self):
        cleaned = super().clean()
        wants_sms = cleaned.get("notifications_enabled") and cleaned.get("notification_channel")
        if wants_sms == User.Channel.SMS and not cleaned.get("phone_number"):
            self.add_error("phone_number", _("A phone number is needed for SMS notifications."))
        return cleaned


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."))
        return password
