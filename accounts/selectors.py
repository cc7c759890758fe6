"""Account reads."""

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.utils.http import urlsafe_base64_decode

from .models import User
from .tokens import signup_confirmation_tokens


def _user_from_link(*, uidb64: str, token: str, tokens: PasswordResetTokenGenerator) -> User | None:
    """The user a mailed link names, or None when the link is mistyped, used or too old."""
    try:
        user_id = urlsafe_base64_decode(uidb64).decode()
        user = User.objects.filter(pk=user_id).first()
    except (TypeError, ValueError, OverflowError, ValidationError):
        return None
    if user is None or not tokens.check_token(user, token):
        return None
    return user


def user_awaiting_confirmation(*, uidb64: str, token: str) -> User | None:
    """The inactive account a sign-up confirmation link was mailed for, while the link works."""
    return _user_from_link(uidb64=uidb64, token=token, tokens=signup_confirmation_tokens)
