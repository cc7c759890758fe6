from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Card


class CardFilterForm(forms.Form):
    """The encyclopedia's filters; invalid values are reported and then ignored, never a 500."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        strip=True,
        widget=forms.SearchInput(attrs={"placeholder": _("Name or keyword, in Korean or English")}),
    )
    arcana = forms.ChoiceField(
        label=_("Arcana"),
        required=False,
        choices=[("", _("All arcana")), *Card.Arcana.choices],
    )
    suit = forms.ChoiceField(
        label=_("Suit"), required=False, choices=[("", _("All suits")), *Card.Suit.choices]
    )
