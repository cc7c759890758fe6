"""Admin forms for deck content: card art uploads, card identity and spread layouts."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .exchange import DECK_FILE_MAX_BYTES
from .models import Card, Deck
from .validation import (
    ART_MAX_BYTES,
    ART_MIN_SIZE,
    PlacedCard,
    card_art_clean_copy,
    card_identity_problems,
    layout_duplicate_orders,
    layout_overlaps,
)


class CardAdminForm(forms.ModelForm):
    class Meta:
        model = Card
        # CardAdmin's fieldsets choose the fields (one per language for translated text).
        fields = ()
        labels = {"deck": _("deck")}
        widgets = {
            "art": forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
        }
        help_texts = {
            "art": format_lazy(
                _(
                    "PNG, JPEG or WebP, at most {megabytes} MB and at least {width}×{height} "
                    "pixels. Without an upload the site shows the generated face."
                ),
                megabytes=ART_MAX_BYTES // (1024 * 1024),
                width=ART_MIN_SIZE[0],
                height=ART_MIN_SIZE[1],
            ),
        }

    def clean_art(self):
        art = self.cleaned_data.get("art")
        # Only a new upload carries a content type; an unchanged stored file was checked before.
        if art and hasattr(art, "content_type"):
            # Stored re-encoded: only the pixels of an upload are kept (tarot/validation.py).
            return SimpleUploadedFile(art.name, card_art_clean_copy(art), art.content_type)
        return art

    def clean(self):
        cleaned_data = super().clean()
        arcana = cleaned_data.get("arcana")
        if arcana:
            problems = card_identity_problems(
                arcana=arcana,
                number=cleaned_data.get("number"),
                suit=cleaned_data.get("suit") or None,
                rank=cleaned_data.get("rank"),
            )
            for field, message in problems.items():
                if field in self.fields:
                    self.add_error(field, message)
                else:
                    self.add_error(None, message)
        return cleaned_data


class SpreadPositionInlineFormSet(forms.BaseInlineFormSet):
    """Positions of one spread: each order once, and no card lying on another.

    The only overlap allowed is a sideways card on an upright card's centre (a crossing card).
    """

    def _live_forms(self) -> list[forms.Form]:
        live = []
        for form in self.forms:
            is_blank_extra = not form.has_changed() and not form.instance.pk
            if not hasattr(form, "cleaned_data") or is_blank_extra:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            live.append(form)
        return live

    def clean(self):
        # Snapshot before adding errors: add_error() drops the field from cleaned_data.
        rows = [(form, dict(form.cleaned_data)) for form in self._live_forms()]
        layout_is_wrong = False
        ordered = [(form, data["order"]) for form, data in rows if data.get("order") is not None]
        for index, first_index in layout_duplicate_orders([order for _form, order in ordered]):
            layout_is_wrong = True
            ordered[index][0].add_error(
                "order",
                gettext("Order %(order)s is already used by another position of this spread.")
                % {"order": ordered[first_index][1]},
            )

        placed_rows = [
            (form, data)
            for form, data in rows
            if data.get("x") is not None and data.get("y") is not None
        ]
        placed = [
            PlacedCard(
                order=data.get("order") or 0,
                x=data["x"],
                y=data["y"],
                rotated=bool(data.get("rotated")),
            )
            for _form, data in placed_rows
        ]
        for first, second in layout_overlaps(placed):
            layout_is_wrong = True
            placed_rows[second][0].add_error(
                None,
                gettext(
                    "This card overlaps position %(order)s. Move it at least one card apart; "
                    "only a sideways card may lie on another card's centre (a crossing card)."
                )
                % {"order": placed[first].order},
            )
        if layout_is_wrong:
            raise ValidationError(
                gettext("Fix the positions marked below: orders must be unique and cards apart.")
            )
        super().clean()


class DeckAdminForm(forms.ModelForm):
    class Meta:
        model = Deck
        fields = ("slug", "is_default")

    def clean_is_default(self):
        is_default = self.cleaned_data["is_default"]
        if is_default:
            current = Deck.objects.filter(is_default=True).exclude(pk=self.instance.pk).first()
            if current is not None:
                raise ValidationError(
                    gettext(
                        "“%(deck)s” is the default deck. Untick “default deck” there first: "
                        "there is only one default."
                    )
                    % {"deck": current}
                )
        return is_default


class DeckImportForm(forms.Form):
    file = forms.FileField(
        label=_("Deck file"),
        help_text=_("A .json file from export_deck or the admin export, or its .zip with art."),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,.zip,application/json"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".json", ".zip")):
            raise ValidationError(gettext("Upload the .json or .zip file an export produced."))
        if upload.size > DECK_FILE_MAX_BYTES:
            raise ValidationError(
                gettext("The file is %(size)s; the limit is %(limit)s.")
                % {
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(DECK_FILE_MAX_BYTES),
                }
            )
        return upload
