"""The API's refresh tokens of a person, ended together (simplejwt's blacklist), and the
one-off tokens of the links mailed for confirming a sign-up and accepting an invitation."""

import datetime

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken


def refresh_tokens_revoke(*, user_id: int) -> int:
    """Blacklist every refresh token issued to the user that is not blacklisted yet; returns how
    many. Expired ones are included: blacklisting them costs nothing and leaves no gap."""
    outstanding = OutstandingToken.objects.filter(user_id=user_id, blacklistedtoken__isnull=True)
    blacklisted = BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in outstanding], ignore_conflicts=True
    )
    return len(blacklisted)


class _ExpiringTokenGenerator(PasswordResetTokenGenerator):
    """Django's password-reset tokens with their own salt and lifetime.

    The salt keeps the kinds apart (a reset token confirms no sign-up and opens no
    invitation); the hash covers the password and the last sign-in, so a token dies as soon as
    it has done its work."""

    def __init__(self, *, key_salt: str, max_age: datetime.timedelta):
        self.key_salt = key_salt
        self.max_age = max_age
        super().__init__()

    def check_token(self, user, token) -> bool:
        if not (user and token):
            return False
        try:
            timestamp_b36, _hash = token.split("-")
            timestamp = base36_to_int(timestamp_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        age = self._num_seconds(self._now()) - timestamp
        return age <= self.max_age.total_seconds()


class _SignUpConfirmationTokenGenerator(_ExpiringTokenGenerator):
    def _make_hash_value(self, user, timestamp):
        # Confirming activates the account: the same link cannot confirm it a second time.
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"


INVITATION_MAX_AGE = datetime.timedelta(hours=72)

signup_confirmation_tokens = _SignUpConfirmationTokenGenerator(
    key_salt="accounts.tokens.signup_confirmation", max_age=datetime.timedelta(hours=72)
)
editor_invitation_tokens = _ExpiringTokenGenerator(
    key_salt="accounts.tokens.editor_invitation", max_age=INVITATION_MAX_AGE
)
