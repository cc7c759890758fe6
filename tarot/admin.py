"""The deck in the admin: decks (with export/import), cards, spreads and their positions.

Every write here ends by moving the deck content version (tarot.cache) once the transaction
commits, so cached API payloads and pages never outlive an editor's change.
"""

import datetime
import uuid

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from modeltranslation.settings import AVAILABLE_LANGUAGES
from modeltranslation.utils import build_localized_fieldname

from core.errors import ApplicationError
from core.permissions import DECK_IMPORT_PERMISSIONS

from .cache import deck_content_changed
from .deck_writer import translated_fields
from .exchange import (
    DeckImportError,
    deck_export_archive,
    deck_export_json,
    deck_import,
    export_filename,
)
from .forms import CardAdminForm, DeckAdminForm, DeckImportForm, SpreadPositionInlineFormSet
from .models import Card, Deck, Spread, SpreadPosition
from .presentation import card_art_version, card_generated_face
from .selectors import SEARCHABLE_CARD_FIELDS
from .validation import CARD_HEIGHT, CARD_WIDTH, PlacedCard, layout_overlaps

admin.site.site_header = _("Tarot Master")
admin.site.site_title = _("Tarot Master")
admin.site.index_title = _("Content and accounts")

PENDING_IMPORT_DIRECTORY = "deck-imports"
PENDING_IMPORT_MAX_AGE = 60 * 60
# Face URLs carry a fingerprint of what the face shows, so a browser may keep them long.
FACE_MAX_AGE = 60 * 60 * 24 * 30


def card_face_url(card: Card) -> str:
    """The generated face, served by the admin so drafts and every deck have one too.

    The public art URL only answers for published cards of the default deck, and redirects
    to the upload when there is one; editors need the face of any card, at any time.
    """
    url = reverse("admin:tarot_card_face", args=[card.pk])
    return f"{url}?v={card_art_version(card)}"


def card_art_url(card: Card) -> str:
    """The image the site shows for the card: the upload, else the generated face."""
    return card.art.url if card.art else card_face_url(card)


class DeckContentAdmin(TranslationAdmin):
    """Slugs are identities (URLs, imports): set once, then read only."""

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "slug"] if obj is not None else readonly

    def get_prepopulated_fields(self, request, obj=None):
        return super().get_prepopulated_fields(request, obj) if obj is None else {}

    def save_related(self, request, form, formsets, change):
        # Runs after every add/change, including list_editable saves.
        super().save_related(request, form, formsets, change)
        transaction.on_commit(deck_content_changed)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        transaction.on_commit(deck_content_changed)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        transaction.on_commit(deck_content_changed)

    def _set_published(self, queryset, *, is_published: bool) -> int:
        count = queryset.update(is_published=is_published, updated_at=timezone.now())
        transaction.on_commit(deck_content_changed)
        return count


# --------------------------------------------------------------------------- decks


@admin.register(Deck)
class DeckAdmin(DeckContentAdmin):
    form = DeckAdminForm
    list_display = ["name", "slug", "is_default", "card_count"]
    search_fields = ["slug", "name_ko", "name_en"]
    fields = ["slug", "name", "description", "is_default"]
    prepopulated_fields = {"slug": ("name_en",)}
    actions = ["export_json", "export_archive"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(card_count=Count("cards"))

    @admin.display(description=_("cards"), ordering="card_count")
    def card_count(self, deck):
        return deck.card_count

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="tarot_deck_import",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_import": request.user.has_perms(DECK_IMPORT_PERMISSIONS),
        }
        return super().changelist_view(request, extra_context)

    # ---- export

    def _only_deck(self, request, queryset) -> Deck | None:
        decks = list(queryset[:2])
        if len(decks) != 1:
            self.message_user(
                request, gettext("Select exactly one deck to export."), messages.ERROR
            )
            return None
        return decks[0]

    def _download(self, request, queryset, *, with_art: bool):
        deck = self._only_deck(request, queryset)
        if deck is None:
            return None
        try:
            content = deck_export_archive(deck=deck) if with_art else deck_export_json(deck=deck)
        except ApplicationError as error:
            self.message_user(request, error.message, messages.ERROR)
            return None
        filename = export_filename(deck=deck, with_art=with_art)
        return HttpResponse(
            content,
            content_type="application/zip" if with_art else "application/json; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )

    @admin.action(description=_("Export the selected deck (JSON)"))
    def export_json(self, request, queryset):
        return self._download(request, queryset, with_art=False)

    @admin.action(description=_("Export the selected deck with uploaded art (zip)"))
    def export_archive(self, request, queryset):
        return self._download(request, queryset, with_art=True)

    # ---- import: upload → dry-run preview → confirm

    def import_view(self, request):
        if not request.user.has_perms(DECK_IMPORT_PERMISSIONS):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Import deck"),
            "form": DeckImportForm(),
        }
        if request.method == "POST" and "token" in request.POST:
            return self._import_apply(request, context)
        if request.method == "POST":
            form = DeckImportForm(request.POST, request.FILES)
            context["form"] = form
            if form.is_valid():
                source = form.cleaned_data["file"].read()
                try:
                    context["report"] = deck_import(source=source, dry_run=True)
                except DeckImportError as error:
                    context["import_error"] = error
                else:
                    context["token"] = _store_pending_import(request, source)
                    context["file_name"] = form.cleaned_data["file"].name
        return TemplateResponse(request, "admin/tarot/deck/import.html", context)

    def _import_apply(self, request, context):
        name = _pending_import_name(request, request.POST["token"])
        if name is None or not default_storage.exists(name):
            self.message_user(
                request,
                gettext("That preview has expired; upload the file again."),
                messages.ERROR,
            )
            return redirect("admin:tarot_deck_import")
        with default_storage.open(name, "rb") as pending:
            source = pending.read()
        try:
            report = deck_import(source=source)
        except DeckImportError as error:
            # The database changed between the preview and the confirmation.
            context["import_error"] = error
            return TemplateResponse(request, "admin/tarot/deck/import.html", context)
        finally:
            default_storage.delete(name)
        self.message_user(
            request,
            gettext("Imported deck “%(deck)s”: %(summary)s.")
            % {"deck": report.deck_slug, "summary": "; ".join(report.summary_lines())},
            messages.SUCCESS,
        )
        for warning in report.warnings:
            self.message_user(request, warning, messages.WARNING)
        return redirect("admin:tarot_deck_changelist")


def _store_pending_import(request, source: bytes) -> str:
    """Keep the previewed file until the editor confirms; return a signed token naming it.

    The file goes to the shared media storage (not local disk) because the confirmation
    may reach another web process than the preview.
    """
    _remove_stale_pending_imports()
    name = default_storage.save(
        f"{PENDING_IMPORT_DIRECTORY}/{uuid.uuid4().hex}.upload", ContentFile(source)
    )
    return signing.dumps({"name": name, "user": request.user.pk}, salt="deck-import")


def _pending_import_name(request, token: str) -> str | None:
    try:
        payload = signing.loads(token, salt="deck-import", max_age=PENDING_IMPORT_MAX_AGE)
    except signing.BadSignature:
        return None
    if payload.get("user") != request.user.pk:
        return None
    return payload.get("name")


def _remove_stale_pending_imports() -> None:
    try:
        _directories, files = default_storage.listdir(PENDING_IMPORT_DIRECTORY)
    except FileNotFoundError:
        return
    cutoff = timezone.now() - datetime.timedelta(seconds=PENDING_IMPORT_MAX_AGE)
    for file_name in files:
        name = f"{PENDING_IMPORT_DIRECTORY}/{file_name}"
        if default_storage.get_modified_time(name) < cutoff:
            default_storage.delete(name)


# --------------------------------------------------------------------------- cards

CARD_IDENTITY_FIELDS = (
    "deck",
    "slug",
    "arcana",
    "number",
    "suit",
    "rank",
    "position",
    "is_published",
)
CARD_CORRESPONDENCE_FIELDS = ("element", "yes_no")
CARD_TRANSLATED_CORRESPONDENCE_FIELDS = ("astrology", "numerology")
# Translated: the form has one field per language (name_ko, name_en, …). The correspondences
# have their own section, so the text sections hold the other translated fields.
CARD_TEXT_FIELDS = tuple(
    name for name in translated_fields(Card) if name not in CARD_TRANSLATED_CORRESPONDENCE_FIELDS
)


def localized(names: tuple[str, ...], language: str) -> list[str]:
    return [build_localized_fieldname(name, language) for name in names]


class HasUploadedArtFilter(admin.SimpleListFilter):
    title = _("uploaded art")
    parameter_name = "has_art"

    def lookups(self, request, model_admin):
        return [("yes", _("Uploaded art")), ("no", _("Generated face only"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(art="")
        if self.value() == "no":
            return queryset.filter(art="")
        return queryset


def _language_name(code: str) -> str:
    return dict(settings.LANGUAGES).get(code, code)


@admin.register(Card)
class CardAdmin(DeckContentAdmin):
    form = CardAdminForm
    list_display = [
        "thumbnail",
        "card_number",
        "name_ko",
        "name_en",
        "arcana",
        "suit",
        "is_published",
    ]
    list_display_links = ["thumbnail", "card_number", "name_ko"]
    list_filter = ["deck", "arcana", "suit", "is_published", HasUploadedArtFilter]
    search_fields = list(SEARCHABLE_CARD_FIELDS)
    ordering = ["deck_id", "position"]
    list_per_page = 100
    actions = ["publish", "unpublish"]
    readonly_fields = ["art_preview"]

    class Media:
        css = {"all": ["tarot/admin/deck-admin.css"]}

    prepopulated_fields = {"slug": ("name_en",)}
    fieldsets = [
        (_("Identity"), {"fields": CARD_IDENTITY_FIELDS}),
        *(
            (
                format_lazy(_("Text in {language}"), language=_language_name(language)),
                {"fields": localized(CARD_TEXT_FIELDS, language)},
            )
            for language in AVAILABLE_LANGUAGES
        ),
        (
            _("Correspondences"),
            {
                "fields": [
                    *CARD_CORRESPONDENCE_FIELDS,
                    *(
                        name
                        for language in AVAILABLE_LANGUAGES
                        for name in localized(CARD_TRANSLATED_CORRESPONDENCE_FIELDS, language)
                    ),
                ]
            },
        ),
        (_("Art"), {"fields": ["art", "art_preview"]}),
    ]

    def get_urls(self):
        return [
            path(
                "<path:object_id>/face.svg",
                self.admin_site.admin_view(self.generated_face_view, cacheable=True),
                name="tarot_card_face",
            ),
            *super().get_urls(),
        ]

    def generated_face_view(self, request, object_id):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        card = self.get_object(request, unquote(object_id))
        if card is None:
            raise Http404
        svg = card_generated_face(card)
        response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
        # The SVG is our own escaped drawing; still, nothing in it may run or load anything.
        response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
        response["X-Content-Type-Options"] = "nosniff"
        if request.GET.get("v") == card_art_version(card):
            patch_cache_control(response, private=True, max_age=FACE_MAX_AGE, immutable=True)
        else:
            patch_cache_control(response, private=True, no_cache=True)
        return response

    @admin.display(description=_("art"))
    def thumbnail(self, card):
        return format_html(
            '<img src="{}" alt="" width="40" height="64" loading="lazy" class="card-thumbnail">',
            card_art_url(card),
        )

    @admin.display(description=_("number"), ordering="position")
    def card_number(self, card):
        if card.is_major:
            return card.number
        return Card.RANK_NAMES.get(card.rank, card.rank)

    @admin.display(description=_("preview"))
    def art_preview(self, card):
        if card.pk is None:
            return gettext("The preview appears once the card is saved.")
        return render_to_string(
            "admin/tarot/card/art_preview.html",
            {
                "card": card,
                "uploaded_url": card.art.url if card.art else "",
                "generated_url": card_face_url(card),
            },
        )

    @admin.action(description=_("Publish the selected cards"), permissions=["change"])
    def publish(self, request, queryset):
        count = self._set_published(queryset, is_published=True)
        self.message_user(
            request,
            ngettext("%(count)d card published.", "%(count)d cards published.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Unpublish the selected cards"), permissions=["change"])
    def unpublish(self, request, queryset):
        count = self._set_published(queryset, is_published=False)
        self.message_user(
            request,
            ngettext("%(count)d card unpublished.", "%(count)d cards unpublished.", count)
            % {"count": count},
            messages.SUCCESS,
        )


# --------------------------------------------------------------------------- spreads

PREVIEW_PADDING = 0.3


def layout_preview_context(positions) -> dict:
    """Where to draw each position of a spread (centre coordinates, in card units)."""
    placed = [
        PlacedCard(order=position.order, x=position.x, y=position.y, rotated=position.rotated)
        for position in positions
    ]
    overlapping = {index for pair in layout_overlaps(placed) for index in pair}
    crossed = {(card.x, card.y) for card in placed if card.rotated}
    cards = [
        {
            "order": card.order,
            "name": position.name,
            "rotated": card.rotated,
            "left": card.x - card.width / 2,
            "top": card.y - card.height / 2,
            "width": card.width,
            "height": card.height,
            "x": card.x,
            "y": card.y,
            "overlaps": index in overlapping,
            # A crossed card shows its number in the strip the crossing card leaves uncovered.
            "label_y": card.y - card.height / 2 + 0.29
            if not card.rotated and (card.x, card.y) in crossed
            else card.y + 0.16,
        }
        for index, (card, position) in enumerate(zip(placed, positions, strict=True))
    ]
    # Sideways cards are drawn last so a crossing card lies on top of the card it crosses.
    cards.sort(key=lambda card: (card["rotated"], card["order"]))
    if not cards:
        return {"cards": []}
    left = min(card["left"] for card in cards) - PREVIEW_PADDING
    top = min(card["top"] for card in cards) - PREVIEW_PADDING
    width = max(card["left"] + card["width"] for card in cards) + PREVIEW_PADDING - left
    height = max(card["top"] + card["height"] for card in cards) + PREVIEW_PADDING - top
    return {
        "cards": cards,
        "view_box": f"{left:g} {top:g} {width:g} {height:g}",
        "pixel_width": round(width * 60),
        "pixel_height": round(height * 60),
        "legend": sorted(cards, key=lambda card: card["order"]),
    }


class SpreadPositionInline(TranslationTabularInline):
    model = SpreadPosition
    formset = SpreadPositionInlineFormSet
    fields = ["order", "name", "prompt", "x", "y", "rotated"]
    ordering = ["order"]
    extra = 0

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in ("x", "y"):
            kwargs["widget"] = forms.NumberInput(
                attrs={"step": "0.05", "min": "0", "class": "layout-coordinate"}
            )
        if db_field.name == "order":
            kwargs["widget"] = forms.NumberInput(attrs={"min": "1", "class": "layout-order"})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Spread)
class SpreadAdmin(DeckContentAdmin):
    list_display = ["name", "slug", "position_count", "order", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["slug", "name_ko", "name_en"]
    ordering = ["order", "id"]
    prepopulated_fields = {"slug": ("name_en",)}
    readonly_fields = ["layout_preview"]
    fieldsets = [
        (None, {"fields": ["slug", "name", "description", "order", "is_published"]}),
        (_("Layout"), {"fields": ["layout_preview"]}),
    ]
    inlines = [SpreadPositionInline]
    actions = ["publish", "unpublish"]

    class Media:
        js = ["tarot/admin/spread-layout.js"]
        css = {"all": ["tarot/admin/deck-admin.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(position_count=Count("positions"))

    @admin.display(description=_("positions"), ordering="position_count")
    def position_count(self, spread):
        return spread.position_count

    @admin.display(description=_("preview"))
    def layout_preview(self, spread):
        positions = list(spread.positions.order_by("order")) if spread.pk else []
        return render_to_string(
            "admin/tarot/spread/layout_preview.html",
            {
                **layout_preview_context(positions),
                "card_width": CARD_WIDTH,
                "card_height": CARD_HEIGHT,
            },
        )

    @admin.action(description=_("Publish the selected spreads"), permissions=["change"])
    def publish(self, request, queryset):
        count = self._set_published(queryset, is_published=True)
        self.message_user(
            request,
            ngettext("%(count)d spread published.", "%(count)d spreads published.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Unpublish the selected spreads"), permissions=["change"])
    def unpublish(self, request, queryset):
        count = self._set_published(queryset, is_published=False)
        self.message_user(
            request,
            ngettext("%(count)d spread unpublished.", "%(count)d spreads unpublished.", count)
            % {"count": count},
            messages.SUCCESS,
        )
