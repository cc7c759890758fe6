"""The API's refresh tokens of a person, ended together (simplejwt's blacklist)."""

from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken


def refresh_tokens_revoke(*, user_id: int) -> int:
    """Blacklist every refresh token issued to the user that is not blacklisted yet; returns how
    many. Expired ones are included: blacklisting them costs nothing and leaves no gap."""
    outstanding = OutstandingToken.objects.filter(user_id=user_id, blacklistedtoken__isnull=True)
    blacklisted = BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in outstanding], ignore_conflicts=True
    )
    return len(blacklisted)
