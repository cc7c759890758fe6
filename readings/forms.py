from django import forms
from django.utils.translation import gettext_lazy as _

from tarot.selectors import spread_list_published

from .models import IDEMPOTENCY_KEY_MAX_LENGTH, NOTES_MAX_LENGTH, QUESTION_MAX_LENGTH


class NoNulCharField(forms.CharField):
    """PostgreSQL cannot store NUL characters; refuse them as a form error, not a 500."""

    def validate(self, value):
        super().validate(value)
        if value and "\x00" in value:
            raise forms.ValidationError(_("This text contains a character that is not allowed."))


class ReadingForm(forms.Form):
    spread = forms.ModelChoiceField(
        label=_("Spread"),
        queryset=spread_list_published(),
        to_field_name="slug",
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a spread."),
            "invalid_choice": _("That spread does not exist. Choose one from the list."),
        },
    )
    question = NoNulCharField(
        label=_("Your question"),
        required=False,
        max_length=QUESTION_MAX_LENGTH,
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                "placeholder": _("What would you like to ask the cards? (optional)"),
            }
        ),
    )
    allow_reversed = forms.BooleanField(
        label=_("Include reversed cards"), required=False, initial=True
    )
    # One per form page: submitting the same page again must not draw again (readings.views).
    draw_token = forms.CharField(
        required=False, max_length=IDEMPOTENCY_KEY_MAX_LENGTH, widget=forms.HiddenInput
    )


class NotesForm(forms.Form):
    notes = NoNulCharField(
        label=_("Journal notes"),
        required=False,
        max_length=NOTES_MAX_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
