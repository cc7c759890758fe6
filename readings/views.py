import math
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.api.throttling import client_identity, page_request_wait
from core.errors import ApplicationError, form_add_application_error
from core.response_cache import share
from tarot.cache import deck_content_fragment
from tarot.models import Card
from tarot.selectors import spread_list_published

from . import services
from .forms import NotesForm, ReadingForm
from .interpretation import reading_interpret
from .selectors import daily_card_history, reading_get_for_owner, reading_get_shared, reading_list

JOURNAL_PAGE_SIZE = 10
DAILY_HISTORY_PAGE_SIZE = 30


def _todays_card(request):
    """(card, is_reversed, date) for the visitor: personal when signed in, site-wide otherwise."""
    if request.user.is_authenticated:
        on_date = request.user.local_date()
        daily = services.daily_card_get_or_create(user=request.user, on_date=on_date)
        return daily.card, daily.is_reversed, on_date
    on_date = services.site_today()
    card, is_reversed = services.site_daily_card(on_date=on_date)
    return card, is_reversed, on_date


def _site_card_or_none(on_date) -> tuple[Card | None, bool]:
    try:
        return services.site_daily_card(on_date=on_date)
    except ApplicationError:
        return None, False


@require_safe
def home_view(request):
    if request.user.is_authenticated:
        try:
            card, is_reversed, on_date = _todays_card(request)
        except ApplicationError:
            card, is_reversed, on_date = None, False, timezone.localdate()
        shown = ("personal", card.pk if card else None, is_reversed, on_date)
    else:
        # The site-wide card follows from the date: a cache hit reads nothing else.
        card, is_reversed, on_date = None, False, services.site_today()
        shown = ("site", on_date)

    def content() -> str:
        todays = (card, is_reversed) if shown[0] == "personal" else _site_card_or_none(on_date)
        context = {
            "card": todays[0],
            "is_reversed": todays[1],
            "on_date": on_date,
            "spreads": list(spread_list_published()[:4]),
            "user": request.user,
        }
        return render_to_string("readings/home_content.html", context)

    response = render(
        request,
        "readings/home.html",
        {"content": deck_content_fragment("home", *shown, build=content)},
    )
    if request.user.is_authenticated:
        return response
    return share(response, until=services.site_day_ends_at())


@require_safe
def daily_view(request):
    try:
        card, is_reversed, on_date = _todays_card(request)
    except ApplicationError as error:
        raise Http404(error.message) from error
    history = None
    if request.user.is_authenticated:
        history = Paginator(
            daily_card_history(user=request.user, until=on_date), DAILY_HISTORY_PAGE_SIZE
        ).get_page(request.GET.get("page"))
    return render(
        request,
        "readings/daily.html",
        {"card": card, "is_reversed": is_reversed, "on_date": on_date, "history": history},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def reading_new_view(request):
    spreads = list(spread_list_published())
    initial_spread = request.GET.get("spread") or (spreads[0].slug if spreads else None)
    if request.method == "POST":
        form = ReadingForm(request.POST)
        # The API's reading_create rate and count: the site must not be the way around it.
        wait = page_request_wait(request, scope="reading_create")
        if wait is not None:
            seconds = math.ceil(wait)
            form.add_error(
                None,
                ngettext(
                    "Too many draws in a short time. Please try again in %(seconds)s second.",
                    "Too many draws in a short time. Please try again in %(seconds)s seconds.",
                    seconds,
                )
                % {"seconds": seconds},
            )
            response = _reading_new_page(request, form, spreads, status=429)
            response["Retry-After"] = str(seconds)
            return response
        if form.is_valid():
            user = request.user if request.user.is_authenticated else None
            draw = {
                "user": user,
                "spread": form.cleaned_data["spread"],
                "question": form.cleaned_data["question"],
                "allow_reversed": form.cleaned_data["allow_reversed"],
            }
            token = form.cleaned_data["draw_token"]
            try:
                if token:
                    reading = services.reading_create_once(
                        client=client_identity(request), key=token, **draw
                    )
                else:
                    reading = services.reading_create(**draw)
            except services.IdempotencyKeyReused:
                # The visitor went back and changed a form already drawn: a fresh form page.
                form = ReadingForm(request.POST.dict() | {"draw_token": _draw_token_new()})
                form.is_valid()
                form.add_error(
                    None,
                    _("This form was already used for a draw. Check your choices and draw again."),
                )
                return _reading_new_page(request, form, spreads, status=409)
            except ApplicationError as error:
                form_add_application_error(form, error)
            else:
                # ?drawn=1 asks the page to turn the cards over once, on this first view only.
                target = reading.get_shared_url() if user is None else reading.get_absolute_url()
                return redirect(f"{target}?drawn=1")
    else:
        form = ReadingForm(
            initial={
                "spread": initial_spread,
                "allow_reversed": True,
                "draw_token": _draw_token_new(),
            }
        )
    return _reading_new_page(request, form, spreads)


def _draw_token_new() -> str:
    return secrets.token_urlsafe(16)


def _reading_new_page(request, form: ReadingForm, spreads: list, *, status: int = 200):
    context = {
        "form": form,
        "spreads": spreads,
        "anonymous_retention_days": services.ANONYMOUS_READING_RETENTION.days,
    }
    return render(request, "readings/reading_new.html", context, status=status)


def _share_url(request, reading) -> str | None:
    path = reading.get_shared_url()
    return None if path is None else request.build_absolute_uri(path)


def _owned_reading_or_404(request, pk: int):
    reading = reading_get_for_owner(user=request.user, reading_id=pk)
    if reading is None:
        raise Http404("No such reading.")
    return reading


@login_required
@require_safe
def reading_detail_view(request, pk: int):
    reading = _owned_reading_or_404(request, pk)
    cards, summary = reading_interpret(reading)
    return render(
        request,
        "readings/reading_detail.html",
        {
            "reading": reading,
            "cards": cards,
            "summary": summary,
            "notes_form": NotesForm(initial={"notes": reading.notes}),
            "share_url": _share_url(request, reading),
        },
    )


@login_required
@require_POST
def reading_notes_view(request, pk: int):
    reading = _owned_reading_or_404(request, pk)
    form = NotesForm(request.POST)
    if form.is_valid():
        services.reading_update_notes(reading=reading, notes=form.cleaned_data["notes"])
        messages.success(request, _("Your notes are saved."))
        return redirect(reading)
    cards, summary = reading_interpret(reading)
    return render(
        request,
        "readings/reading_detail.html",
        {"reading": reading, "cards": cards, "summary": summary, "notes_form": form},
        status=400,
    )


@login_required
@require_POST
def reading_share_view(request, pk: int):
    reading = _owned_reading_or_404(request, pk)
    if request.POST.get("action") == "revoke":
        services.reading_unshare(reading=reading)
        messages.success(request, _("The share link is revoked; it no longer opens."))
    else:
        services.reading_share(reading=reading)
        messages.success(request, _("Anyone with the link can now see this reading."))
    return redirect(reading)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def reading_delete_view(request, pk: int):
    reading = _owned_reading_or_404(request, pk)
    if request.method == "POST":
        services.reading_delete(reading=reading)
        messages.success(request, _("The reading is deleted."))
        return redirect("readings:journal")
    return render(request, "readings/reading_confirm_delete.html", {"reading": reading})


@login_required
@require_safe
def journal_view(request):
    page = Paginator(reading_list(user=request.user), JOURNAL_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "readings/journal.html", {"page": page})


@require_safe
def shared_view(request, token: str):
    reading = reading_get_shared(token=token)
    if reading is None:
        raise Http404("This link does not exist or was revoked.")
    cards, summary = reading_interpret(reading)
    response = render(
        request,
        "readings/shared.html",
        {
            "reading": reading,
            "cards": cards,
            "summary": summary,
            # The link to pass on, without ?drawn=1 (which only turns the cards over once).
            "share_url": request.build_absolute_uri(request.path),
            "is_own_anonymous": reading.user_id is None,
            "anonymous_retention_days": services.ANONYMOUS_READING_RETENTION.days,
        },
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    # As its API twin: a revoked link must stop showing the reading at once, caches included.
    patch_cache_control(response, private=True, no_store=True)
    return response
