"""The account emails: sign-up confirmation, the notice to an address that already has an
account, and the content editor's invitation. Plain text, in the recipient's language, with
links built from ``settings.SITE_URL`` (never from the request's Host)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from core.links import site_url

from .models import User
from .tokens import INVITATION_MAX_AGE, editor_invitation_tokens, signup_confirmation_tokens


def _send(*, template: str, to: str, language: str, context: dict) -> None:
    with translation.override(language):
        subject = render_to_string(f"registration/{template}_subject.txt", context)
        body = render_to_string(f"registration/{template}_email.txt", context)
    send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [to])


def _uid(user: User) -> str:
    return urlsafe_base64_encode(force_bytes(user.pk))


def signup_confirmation_link(*, user: User) -> str:
    with translation.override(user.language):
        path = reverse(
            "accounts:signup_confirm",
            kwargs={"uidb64": _uid(user), "token": signup_confirmation_tokens.make_token(user)},
        )
    return site_url(path)


def signup_confirmation_send(*, user: User) -> None:
    _send(
        template="signup_confirmation",
        to=user.email,
        language=user.language,
        context={"email": user.email, "confirm_url": signup_confirmation_link(user=user)},
    )


def signup_taken_notice_send(*, user: User) -> None:
    """Tell the owner of an address that someone tried to sign up with it, in their language."""
    with translation.override(user.language):
        context = {
            "email": user.email,
            "login_url": site_url(reverse("accounts:login")),
            "password_reset_url": site_url(reverse("accounts:password_reset")),
        }
    _send(template="signup_taken", to=user.email, language=user.language, context=context)


def editor_invitation_link(*, user: User) -> str:
    with translation.override(user.language):
        path = reverse(
            "accounts:invitation",
            kwargs={"uidb64": _uid(user), "token": editor_invitation_tokens.make_token(user)},
        )
    return site_url(path)


def editor_invitation_send(*, user: User) -> str:
    """Mail the invitation; returns its link."""
    link = editor_invitation_link(user=user)
    _send(
        template="editor_invitation",
        to=user.email,
        language=user.language,
        context={
            "email": user.email,
            "invitation_url": link,
            "hours": int(INVITATION_MAX_AGE.total_seconds() // 3600),
        },
    )
    return link
