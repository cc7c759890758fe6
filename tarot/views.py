import hashlib

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from .art import card_back_svg, card_face_svg
from .filters import CardFilterForm
from .presentation import card_art_version
from .selectors import card_get_published, card_list, card_neighbours, deck_get_default

ART_MAX_AGE = 60 * 60 * 24 * 365


def _deck_or_404():
    deck = deck_get_default()
    if deck is None:
        raise Http404("No deck has been seeded yet.")
    return deck


@require_safe
def card_list_view(request):
    deck = _deck_or_404()
    form = CardFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    cards = list(
        card_list(
            deck=deck,
            arcana=filters.get("arcana", ""),
            suit=filters.get("suit", ""),
            search=filters.get("q", ""),
        )
    )
    return render(
        request,
        "tarot/card_list.html",
        {"form": form, "cards": cards, "is_filtered": bool(filters and any(filters.values()))},
    )


@require_safe
def card_detail_view(request, slug: str):
    deck = _deck_or_404()
    card = card_get_published(deck=deck, slug=slug)
    if card is None:
        raise Http404("No such card.")
    previous, following = card_neighbours(card=card)
    return render(
        request,
        "tarot/card_detail.html",
        {"card": card, "previous": previous, "following": following},
    )


def _svg_response(request, svg: str, *, versioned: bool) -> HttpResponse:
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["ETag"] = '"' + hashlib.sha256(svg.encode()).hexdigest()[:32] + '"'
    response["Content-Language"] = get_language()
    response["X-Content-Type-Options"] = "nosniff"
    # Versioned URLs change whenever the card does, so they can be cached for a year.
    if versioned:
        patch_cache_control(response, public=True, max_age=ART_MAX_AGE, immutable=True)
    else:
        patch_cache_control(response, public=True, max_age=60 * 60 * 24)
    patch_vary_headers(response, ["Accept-Language"])
    if request.headers.get("If-None-Match") == response["ETag"]:
        not_modified = HttpResponse(status=304)
        for header in ("ETag", "Cache-Control", "Vary", "Content-Language"):
            not_modified[header] = response[header]
        return not_modified
    return response


@require_safe
def card_art_view(request, slug: str):
    deck = _deck_or_404()
    card = card_get_published(deck=deck, slug=slug)
    if card is None:
        raise Http404("No such card.")
    if card.art:
        return HttpResponseRedirect(card.art.url)
    svg = card_face_svg(
        arcana=card.arcana,
        number=card.number,
        suit=card.suit,
        rank=card.rank,
        name=card.name,
        slug=card.slug,
    )
    # Only the current fingerprint is immutable; an old or made-up ?v= gets a short lifetime.
    versioned = request.GET.get("v") == card_art_version(card)
    return _svg_response(request, svg, versioned=versioned)


@require_safe
def card_back_view(request):
    return _svg_response(request, card_back_svg(), versioned=True)
