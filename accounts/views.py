import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, PasswordResetConfirmView, PasswordResetView
from django.http import HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.errors import ApplicationError, form_add_application_error
from core.links import site_url
from core.response_cache import private_no_store

from . import selectors, services
from .forms import DeleteAccountForm, EmailAuthenticationForm, PreferencesForm, SignUpForm
from .tokens import editor_invitation_tokens


def _remember_language(response, language: str):
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


def _redirect_in_language(viewname: str, language: str):
    with translation.override(language):
        return _remember_language(redirect(viewname), language)


class EmailLoginView(LoginView):
    """Log in by email; the site then speaks the language the person chose in preferences."""

    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        language = form.get_user().language
        if response.url == resolve_url(settings.LOGIN_REDIRECT_URL):
            with translation.override(language):
                response = redirect(settings.LOGIN_REDIRECT_URL)
        return _remember_language(response, language)


class SitePasswordResetView(PasswordResetView):
    """Django's reset, with the emailed link built on ``settings.SITE_URL`` instead of the
    request's Host header, which the client chooses."""

    email_template_name = "registration/password_reset_email.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        self.extra_email_context = {"site_url": site_url("")}
        return super().form_valid(form)


class EditorInvitationView(PasswordResetConfirmView):
    """A content editor's first password, through the link ``create_editor`` mailed: Django's
    reset confirmation with the invitation's own tokens (single use, 72 hours)."""

    token_generator = editor_invitation_tokens
    template_name = "registration/invitation_accept.html"
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("admin:index")


@require_http_methods(["GET", "HEAD", "POST"])
def signup_view(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_register(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                language=translation.get_language() or settings.LANGUAGE_CODE,
            )
        except ApplicationError as error:
            form_add_application_error(form, error, field_names={"password": "password1"})
        else:
            return redirect("accounts:signup_sent")
    return render(request, "accounts/signup.html", {"form": form})


@require_safe
def signup_sent_view(request):
    return render(request, "accounts/signup_sent.html")


# GET only shows the button: mail scanners open links, and must not use up the confirmation.
@require_http_methods(["GET", "HEAD", "POST"])
def signup_confirm_view(request, uidb64: str, token: str):
    user = selectors.user_awaiting_confirmation(uidb64=uidb64, token=token)
    if user is None:
        return render(request, "accounts/signup_confirm.html", {"validlink": False})
    if request.method == "POST":
        services.user_signup_confirm(user=user)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        with translation.override(user.language):
            messages.success(request, _("Welcome to Tarot Master."))
        return _redirect_in_language("home", user.language)
    return render(request, "accounts/signup_confirm.html", {"validlink": True, "email": user.email})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def preferences_view(request):
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.user_update_preferences(user=request.user, **changes)
        except ApplicationError as error:
            form_add_application_error(form, error)
        else:
            with translation.override(request.user.language):
                messages.success(request, _("Your preferences are saved."))
            return _redirect_in_language("accounts:preferences", request.user.language)
    return render(request, "accounts/preferences.html", {"form": form})


@login_required
@require_http_methods(["POST"])
def sign_out_everywhere_view(request):
    language = request.user.language
    services.user_sign_out_everywhere(user=request.user)
    logout(request)
    with translation.override(language):
        messages.success(
            request, _("You are signed out everywhere: on every browser and in the app.")
        )
    return _redirect_in_language("accounts:login", language)


@login_required
@require_safe
def export_view(request):
    data = services.user_export_data(user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    filename = f"tarot-master-export-{timezone.localdate():%Y%m%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return private_no_store(response)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def delete_view(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_delete(user=request.user, password=form.cleaned_data["password"])
        logout(request)
        messages.success(request, _("Your account and all its readings are deleted."))
        return redirect("home")
    return render(request, "accounts/delete.html", {"form": form})
