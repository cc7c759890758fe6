import hashlib

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from core.response_cache import share

from .art import card_back_svg
from .cache import deck_content_fragment
from .filters import CardFilterForm
from .presentation import card_art_version, card_generated_face
from .selectors import card_get_published, card_list, card_neighbours, deck_get_default

ART_MAX_AGE = 60 * 60 * 24 * 365


def _deck_or_404():
    deck = deck_get_default()
    if deck is None:
        raise Http404("No deck has been seeded yet.")
    return deck


@require_safe
def card_list_view(request):
    form = CardFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    arcana, suit, search = filters.get("arcana", ""), filters.get("suit", ""), filters.get("q", "")

    def results_html() -> str:
        cards = list(card_list(deck=_deck_or_404(), arcana=arcana, suit=suit, search=search))
        return render_to_string("tarot/card_list_results.html", {"cards": cards})

    def content_html() -> str:
        # Searches are not cached: every text a visitor types would make another entry.
        if search:
            results = results_html()
        else:
            results = deck_content_fragment("cards", arcana, suit, build=results_html)
        context = {"form": form, "results": results, "is_filtered": any(filters.values())}
        return render_to_string("tarot/card_list_content.html", context)

    # The encyclopedia without filters, linked from every page, is the same for every visitor;
    # with filters the form shows what this visitor typed.
    if request.GET:
        content = content_html()
    else:
        content = deck_content_fragment("cards-page", build=content_html)
    response = render(request, "tarot/card_list.html", {"content": content})
    # Searches and values the form refused stay out of the workers' memory (an entry per text).
    if request.GET and (search or not form.is_valid()):
        return response
    # Kept for the form's values, not the query string: another spelling of the same filters (an
    # empty value, a repeated or unknown parameter) is answered alike but not kept again.
    return share(
        response,
        query=tuple((name, filters[name]) for name in ("arcana", "suit") if filters.get(name)),
    )


@require_safe
def card_detail_view(request, slug: str):
    def page() -> dict[str, str]:
        card = card_get_published(deck=_deck_or_404(), slug=slug)
        if card is None:
            raise Http404("No such card.")
        previous, following = card_neighbours(card=card)
        html = render_to_string(
            "tarot/card_detail_content.html",
            {"card": card, "previous": previous, "following": following},
        )
        return {"title": card.name, "description": card.summary_upright, "html": html}

    page_parts = deck_content_fragment("card", slug, build=page)
    return share(render(request, "tarot/card_detail.html", {"page": page_parts}))


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
    return get_conditional_response(request, etag=response["ETag"], response=response)


@require_safe
def card_art_view(request, slug: str):
    def art() -> dict[str, str]:
        card = card_get_published(deck=_deck_or_404(), slug=slug)
        if card is None:
            raise Http404("No such card.")
        if card.art:
            return {"upload_url": card.art.url}
        svg = card_generated_face(card)
        return {"svg": svg, "fingerprint": card_art_version(card)}

    # Drawing a face costs more than serving a cached page, and a new visitor of the
    # encyclopedia asks for all 78: each is drawn once per language and deck content version.
    face = deck_content_fragment("card-art", slug, build=art)
    if "upload_url" in face:
        return HttpResponseRedirect(face["upload_url"])
    # Only the current fingerprint is immutable; an old or made-up ?v= gets a short lifetime.
    versioned = request.GET.get("v") == face["fingerprint"]
    response = _svg_response(request, face["svg"], versioned=versioned)
    # A made-up ?v= would make another entry per value typed.
    if request.GET and not versioned:
        return response
    return share(response, query=(("v", face["fingerprint"]),) if versioned else ())


@require_safe
def card_back_view(request):
    return share(_svg_response(request, card_back_svg(), versioned=True))
